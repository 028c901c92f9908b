"""What a viewer may see: the programme with personal names masked, built here, never in pages.

A viewer (see `analysis.auth`) gets dashboards, the presentation and exports, never a raw text:
every speaker is shown as role + agency, and inside titles, turn texts, quotes, recommendations
and notes every name the store knows (speakers, reviewers, users) and every Thai title followed
by a name (the ``masking_titles`` of data/lexicon.yaml: คุณ นาย นาง ดร. ครู ป้า …) become
``[ชื่อ]``. Editors and admins get everything unchanged.

`tables_for` (the programme tables, and so every chart, table, search result and export built
from them) and `session_for` (one session's page) are the two doors; both return copies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

import pandas as pd

from analysis import auth
from analysis.extract.lexicon import alternation, words
from analysis.i18n import Display
from analysis.tables import ProgrammeTables

MASK = "[ชื่อ]"
THAI = "\u0e01-\u0e4e"
MIN_NAME_CHARS = 3  # shorter "names" (ก, นก) are ordinary words too often to mask everywhere
MAX_NAME_CHARS = 24  # a title's name ends here at the latest when nothing else ends it
# Words that end a name but can also start one (มาลี, มีนา, ชวน, ทำนุ): not at its first letter.
_ALSO_NAME_STARTS = ("มา", "มี", "ชวน", "ทำ")
# Words a title follows when it opens a name inside running Thai text (no space before it).
_GLUE = ("โดย", "และ", "กับ", "ท่าน", "ว่า", "ของ", "ให้", "จาก", "ถึง", "ขอบคุณ", "นำโดย", "ทั้ง")

SESSION_TEXT_COLUMNS = ("title", "venue", "source_name")
HIDDEN_SESSION_KEYS = ("raw_text", "source_text", "extracted", "corrections", "content_sha256")


def is_masked_for(actor: auth.Actor | None) -> bool:
    """Whether `actor` gets masked data: a viewer, or nobody signed in."""
    return not isinstance(actor, auth.Actor) or auth.Role.parse(actor.role) < auth.Role.EDITOR


@lru_cache(maxsize=1)
def _title_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(title + name, exceptions at the title, words that end a name)."""
    in_text = words("masking_titles_in_text")
    at_start = [w for w in words("masking_titles") if w not in in_text]
    not_after = "".join(
        f"(?<!{re.escape(w[: -len(t)])})"
        for w in words("masking_title_endings")
        for t in in_text
        if w.endswith(t) and len(w) > len(t)
    )
    before = rf"(?:(?<![{THAI}])" + "".join(f"|(?<={w})" for w in _GLUE) + ")"
    name = rf"(?P<gap>[ \u00a0]?)(?P<run>[{THAI}A-Za-z.]+)(?P<surname>[ \u00a0][{THAI}]+)?"
    # look for a title before trying the lookbehinds: 15 times faster on long texts
    first_letters = "".join(sorted({re.escape(w[0]) for w in [*at_start, *in_text]}))
    quick = rf"(?=[{first_letters}])(?={alternation([*at_start, *in_text])})"
    title = re.compile(
        rf"{quick}(?:{before}(?P<title>{alternation(at_start)})"
        rf"|{not_after}(?P<title2>{alternation(in_text)})){name}"
    )
    exceptions = re.compile(alternation(words("masking_title_exceptions")))
    enders = set(words("masking_name_enders")) | set(words("name_stoppers"))
    enders |= set(words("reporting_verbs")) | set(words("contribution_verbs"))
    return title, exceptions, re.compile(alternation(enders))


def _name_variants(name: str) -> set[str]:
    """A known name, the name without its title, and the given name alone."""
    title, _, _ = _title_patterns()
    name = re.sub(r"\s*[(（].*$", "", str(name)).strip()  # "คุณสมศรี (พช.)": the agency is no name
    out = {name}
    m = title.match(name)
    bare = name[m.start("run") :] if m else name
    out.add(bare.strip())
    out.add(bare.split()[0] if bare.split() else bare)
    return {v for v in out if len(v) >= MIN_NAME_CHARS}


@lru_cache(maxsize=64)
def _names_pattern(names: frozenset[str]) -> re.Pattern | None:
    variants = set().union(*(_name_variants(n) for n in names)) if names else set()
    return re.compile(alternation(variants)) if variants else None


def _mask_titled(match: re.Match) -> str:
    _, exceptions, enders = _title_patterns()
    start = match.start("title") if match.group("title") else match.start("title2")
    if exceptions.match(match.string, start):
        return match.group(0)
    run, surname = match.group("run"), match.group("surname") or ""
    end = min(len(run), MAX_NAME_CHARS)
    for found in enders.finditer(run):
        if found.start() == 0 and run.startswith(_ALSO_NAME_STARTS):
            continue
        end = min(end, found.start())
        break
    if end == 0:
        return match.group(0)  # a title used as a pronoun ("ป้าว่า…"): no name follows
    kept = match.group(0)[: start - match.start()]  # the glue before the title, if any
    if end == len(run) and surname and not enders.match(surname.strip()):
        return kept + MASK  # given name and surname ("ดร.วิไล ศรีสุข")
    return kept + MASK + run[end:] + surname


def masker(known_names: Iterable[str] = ()) -> Callable[[str | None], str | None]:
    """`mask_text` with the names compiled once: for masking many texts with the same names."""
    title, _, _ = _title_patterns()
    names = _names_pattern(frozenset(n for n in known_names if isinstance(n, str) and n.strip()))

    def mask(text: str | None) -> str | None:
        if not isinstance(text, str) or not text:
            return text
        text = title.sub(_mask_titled, text)  # first, so "ลุง" goes with a known name after it
        return names.sub(MASK, text) if names is not None else text

    return mask


def mask_text(text: str | None, known_names: Iterable[str] = ()) -> str | None:
    """`text` with every known name and every title followed by a name replaced by ``[ชื่อ]``."""
    return masker(known_names)(text)


def known_names(tables: ProgrammeTables | None = None, extra: Iterable[str] = ()) -> set[str]:
    """The names a viewer must not see: every speaker and reviewer in `tables`, and `extra`
    (e.g. users' names, `store.user_names`)."""
    out = {n for n in extra if isinstance(n, str) and n.strip()}
    if tables is not None:
        for values in (tables.turns["speaker"], tables.sessions["reviewed_by"]):
            out.update(v for v in values.dropna().unique().tolist() if isinstance(v, str))
    return out


def _role_and_agency(frame: pd.DataFrame, lang: str) -> list:
    """Each turn's speaker as role + agency ("ชาวบ้าน (พช.)"); when one role of one agency has
    several speakers they are numbered in order of first appearance ("ชาวบ้าน 2 (พช.)"), so
    a viewer's counts of people are an editor's. None where the turn has no speaker."""
    disp = Display(lang=lang)
    columns = frame[["speaker", "agency", "speaker_role"]].astype(object)
    rows = list(columns.where(columns.notna(), None).itertuples(index=False, name=None))
    people: dict[tuple, dict[str, int]] = {}
    for name, agency, role in rows:
        if name is not None:
            group = people.setdefault((role, agency), {})
            group.setdefault(name, len(group) + 1)
    out = []
    for name, agency, role in rows:
        if name is None:
            out.append(None)
            continue
        group = people[(role, agency)]
        label = disp.role(role) + (f" {group[name]}" if len(group) > 1 else "")
        out.append(f"{label} ({agency})" if agency else label)
    return out


def _mask_column(frame: pd.DataFrame, column: str, mask: Callable) -> None:
    if column in frame.columns and len(frame):
        frame[column] = frame[column].map(lambda v: mask(v) if isinstance(v, str) else v)


def tables_for(
    actor: auth.Actor | None,
    tables: ProgrammeTables,
    extra_names: Iterable[str] = (),
    lang: str = "th",
) -> ProgrammeTables:
    """The programme tables as `actor` may see them: unchanged for editors and admins; for a
    viewer a copy where every speaker is role + agency, reviewers are gone, and titles, venues,
    file names, turn texts, recommendations and notes are masked (`mask_text`)."""
    return mask_tables(tables, extra_names, lang) if is_masked_for(actor) else tables


def mask_tables(
    tables: ProgrammeTables, extra_names: Iterable[str] = (), lang: str = "th"
) -> ProgrammeTables:
    """The viewer's copy of `tables` (see `tables_for`); for caches keyed on "masked or not"."""
    mask = masker(known_names(tables, extra_names))
    sessions = tables.sessions.copy()
    sessions["reviewed_by"] = None
    for col in SESSION_TEXT_COLUMNS:
        _mask_column(sessions, col, mask)
    turns = tables.turns.copy()
    if len(turns):
        turns["speaker"] = _role_and_agency(turns, lang)
    _mask_column(turns, "text", mask)
    recommendations = tables.recommendations.copy()
    for col in ("text", "note"):
        _mask_column(recommendations, col, mask)
    for frame in (sessions, turns, recommendations):
        frame.attrs = {}  # a different table now: drop any label a cache put on the original
    return ProgrammeTables(
        sessions=sessions,
        agencies=tables.agencies,
        turns=turns,
        recommendations=recommendations,
        recommendation_categories=tables.recommendation_categories,
        themes=tables.themes,
    )


def session_for(
    actor: auth.Actor | None, session: Mapping, extra_names: Iterable[str] = (), lang: str = "th"
) -> dict:
    """One session (as `store.get_session` gives it) as `actor` may see it: unchanged for
    editors and admins; for a viewer without its raw text, extraction and correction history,
    speakers as role + agency, reviewer and follow-up editors gone, texts masked."""
    return mask_session(session, extra_names, lang) if is_masked_for(actor) else dict(session)


def mask_session(session: Mapping, extra_names: Iterable[str] = (), lang: str = "th") -> dict:
    """The viewer's copy of one session (see `session_for`)."""
    session = dict(session)
    rec = dict(session.get("record") or {})
    turns = [dict(t) for t in rec.get("turns") or []]
    names = {t.get("speaker") for t in turns} | {session.get("reviewed_by")} | set(extra_names)
    mask = masker(n for n in names if isinstance(n, str) and n.strip())
    if turns:
        frame = pd.DataFrame(
            [
                {k: t.get(k) for k in ("speaker", "agency")}
                | {"speaker_role": t.get("speaker_role") or "unknown"}
                for t in turns
            ]
        )
        for t, shown in zip(turns, _role_and_agency(frame, lang), strict=True):
            t["speaker"] = shown
            t["text"] = mask(t.get("text"))
    rec["turns"] = turns
    for key in ("title", "venue"):
        rec[key] = mask(rec.get(key))
    rec["recommendations"] = [mask(r) for r in rec.get("recommendations") or []]
    session["record"] = rec
    session["followups"] = [
        {k: v for k, v in dict(f).items() if k not in ("updated_by", "updated_at")}
        | {"note": mask(f.get("note"))}
        for f in session.get("followups") or []
    ]
    session["source_name"] = mask(session.get("source_name"))
    session["reviewed_by"] = None
    for key in HIDDEN_SESSION_KEYS:
        session.pop(key, None)
    return session


# "before", "match", "after": the words around a search match (`frames.search_matches`)
FRAME_TEXT_COLUMNS = (*SESSION_TEXT_COLUMNS, "text", "note", "quote", "before", "match", "after")


def mask_frame(
    frame: pd.DataFrame,
    mask: Callable[[str | None], str | None],
    numbers: Mapping[tuple, tuple[int, int]],
    lang: str = "th",
) -> pd.DataFrame:
    """A viewer's copy of one page's rows (an answer of `analysis.store.questions`), masked as
    `mask_tables` masks the tables they come from: texts through `mask`, reviewers gone, and a
    speaker (with agency and speaker_role columns beside it) as role + agency, numbered by
    `numbers` ((speaker, agency, role) → (number, speakers of that role and agency), from
    `questions.scope.speaker_numbers`) as in the whole store."""
    out = frame.copy()
    out.attrs = {}
    for col in FRAME_TEXT_COLUMNS:
        _mask_column(out, col, mask)
    if "reviewed_by" in out.columns:
        out["reviewed_by"] = None
    if "speaker" in out.columns and len(out):
        disp = Display(lang=lang)
        labels = []
        for name, agency, role in zip(
            out["speaker"],
            out["agency"] if "agency" in out.columns else [None] * len(out),
            out["speaker_role"] if "speaker_role" in out.columns else ["unknown"] * len(out),
            strict=True,
        ):
            if not isinstance(name, str):
                labels.append(None)
                continue
            agency = agency if isinstance(agency, str) else None
            number, of = numbers.get((name, agency, role), (0, 1))
            label = disp.role(role) + (f" {number}" if of > 1 else "")
            labels.append(f"{label} ({agency})" if agency else label)
        out["speaker"] = labels
    return out
