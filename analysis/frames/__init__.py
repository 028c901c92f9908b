"""One function per question a page asks, each over `ProgrammeTables` (already filtered).

Every function here is pure pandas/Python: no Streamlit, no SQL. Pages call exactly one of these
per chart or table and hand the result to `analysis.figures`. Chart frames count record sessions
only (kinds transcript and summary); texts of kind ``other`` stay in the store and in the session
list but are left out of the charts.

Outputs use language-neutral values (codes such as ``official`` or ``agreed``, ISO dates as
Timestamps, fiscal years in BE); `analysis.figures.display_table` turns them into labels.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import pandas as pd

from analysis.i18n import DEFAULT_DISPLAY, Display
from analysis.tables import ProgrammeTables

# ----------------------------------------------------------------------------- helpers


def records_only(tables: ProgrammeTables) -> ProgrammeTables:
    """The tables of the record sessions (kind transcript or summary)."""
    s = tables.sessions
    if bool(s["is_record"].all()):
        return tables
    return tables.for_sessions(s.loc[s["is_record"], "session_id"])


def _session_info(tables: ProgrammeTables) -> pd.DataFrame:
    return tables.sessions[["session_id", "title", "session_date", "province", "fiscal_year"]]


@lru_cache(maxsize=1)
def theme_cue_words() -> dict[str, tuple[str, ...]]:
    """Theme label → the codebook's cue words for it (evidence to highlight and quote)."""
    from analysis import codebook

    out: dict[str, tuple[str, ...]] = {}
    for theme in codebook.themes():
        out[theme["label"]] = tuple(theme.get("cues") or ())
    return out


@lru_cache(maxsize=1)
def category_themes() -> dict[str, str]:
    """Recommendation category id → the theme label it belongs to (when the codebook says)."""
    from analysis import codebook

    return {c["id"]: c["theme"] for c in codebook.categories() if c.get("theme")}


# ----------------------------------------------------------------------------- search


@lru_cache(maxsize=1)
def _tokenizer_dict():
    """PyThaiNLP's word list plus the programme's own terms (codebook cues, agency names)."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    words = set(thai_words())
    for cues in theme_cue_words().values():
        words.update(c for c in cues if " " not in c)
    try:
        from analysis import gazetteer

        words.update(gazetteer.names())
    except (ImportError, AttributeError):
        pass
    return dict_trie(words)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def tokenize(text: str) -> list[str]:
    """Thai words of `text` (PyThaiNLP newmm with the programme dictionary), no whitespace."""
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, custom_dict=_tokenizer_dict(), engine="newmm", keep_whitespace=False)


_WORDLIKE = re.compile(r"[0-9A-Za-z\u0e01-\u0e4e]")


MAX_QUERY_TERMS = 64  # a search looks for this many distinct words of its query at most


def query_terms(query: str) -> list[str]:
    """The words a search looks for: ``'ทำงานกับอบต'`` → ``['ทำงาน', 'อบต']`` (stopwords dropped
    unless the query is nothing but stopwords); the first MAX_QUERY_TERMS distinct ones, so that
    a pasted page of text cannot make a search of thousands of words (in SQL, a statement too
    deep for SQLite)."""
    if not query.strip():
        return []
    words: list[str] = []
    for w in tokenize(query.strip()):
        if not _WORDLIKE.search(w):
            continue
        if len(w) == 1 and words:  # a stray character of an unknown word: อบต → อบ + ต
            words[-1] += w
        else:
            words.append(w)
    words = [w.lower() for w in words]
    content = [w for w in words if w not in _stopwords()]
    return list(dict.fromkeys(content or words))[:MAX_QUERY_TERMS]


def _texts_by_session(frame: pd.DataFrame, cols: Sequence[str]) -> dict[int, str]:
    """session_id → the given text columns of all its rows, joined (faster than a groupby)."""
    joined = frame[cols[0]].fillna("").astype(str)
    for col in cols[1:]:
        joined = joined + " " + frame[col].fillna("").astype(str)
    out: dict[int, list[str]] = {}
    for sid, text in zip(frame["session_id"].tolist(), joined.tolist(), strict=True):
        out.setdefault(sid, []).append(text)
    return {sid: "\n".join(texts) for sid, texts in out.items()}


# The overview and sessions pages' questions (after the helpers they use: records_only,
# query_terms, _texts_by_session), so that `frames.name` finds them as before.
from analysis.frames.overview import (  # noqa: E402, F401
    SPARSE_SHARE,
    TIME_GRAINS,
    _sessions_per_quarter,
    fiscal_quarter,
    overview_metrics,
    sessions_over_time,
    sessions_per_fiscal_year,
    sessions_per_month,
    sessions_per_province,
    time_grain,
)
from analysis.frames.sessions import (  # noqa: E402, F401
    SESSION_LIST_COLUMNS,
    latest_sessions,
    review_queue_table,
    search_matches,
    search_sessions,
    session_table,
)

# ----------------------------------------------------------------------------- one session


SESSION_FIELDS = (
    "kind",
    "title",
    "session_date",
    "end_date",
    "time_range",
    "venue",
    "province",
    "participant_count",
    "agencies",
    "themes",
    "programme",
    "source_name",
    "review_state",
    "reviewed_by",
)


def session_fields(session: Mapping, disp: Display = DEFAULT_DISPLAY) -> pd.DataFrame:
    """A session's fields as a two-column table [field, value], labelled and dated for `disp`."""
    rec = session.get("record") or {}
    rows = []
    for name in SESSION_FIELDS:
        value = rec.get(name, session.get(name))
        if name in ("session_date", "end_date"):
            value = disp.date(value)
        elif name == "kind":
            value = disp.kind(value or "other")
        elif name == "review_state":
            value = disp.review_state(value)
        elif name == "agencies":
            canon = {
                a.get("as_written"): a.get("canonical") for a in rec.get("agencies_canonical") or []
            }
            value = " · ".join(
                f"{a} ({canon[a]})" if canon.get(a) and canon[a] != a else a for a in value or []
            )
        elif isinstance(value, list | tuple):
            value = " · ".join(map(str, value))
        rows.append({"field": disp.column(name), "value": "" if value is None else str(value)})
    return pd.DataFrame(rows)


def speaker_display(turns, anonymise: bool, lang: str = "th") -> list[str]:
    """How to name each turn's speaker: ``คุณสุนันทา (พช.)``, or ``เจ้าหน้าที่รัฐ (พช.)`` when
    `anonymise` (role + agency instead of a name: for projectors and exports, personal data).

    `turns` is a DataFrame with speaker, agency, speaker_role columns, or a list of turn dicts.
    """
    disp = Display(lang=lang)
    rows = turns.to_dict("records") if isinstance(turns, pd.DataFrame) else list(turns)
    out = []
    for t in rows:
        agency = t.get("agency")
        agency = (
            None if agency is None or (isinstance(agency, float) and math.isnan(agency)) else agency
        )
        who = (
            disp.role(t.get("speaker_role"))
            if anonymise
            else (t.get("speaker") or disp.t("unknown"))
        )
        out.append(f"{who} ({agency})" if agency else who)
    return out


def anonymise_speakers(frame: pd.DataFrame, lang: str = "th") -> pd.DataFrame:
    """A copy of a frame with speaker/agency/speaker_role columns whose `speaker` shows role +
    agency instead of the person's name (see `speaker_display`)."""
    cols = [c for c in ("speaker", "agency", "speaker_role") if c in frame.columns]
    if "speaker" not in cols:
        return frame
    named = frame["speaker"].notna()
    shown = speaker_display(frame[cols], anonymise=True, lang=lang)
    out = frame.copy()
    out.attrs = {}  # a different table now: drop any label a cache put on the original
    out["speaker"] = [s if n else None for s, n in zip(shown, named, strict=True)]
    return out


def conversation(session: Mapping, anonymise: bool = False, lang: str = "th") -> list[dict]:
    """A session's turns in order as chat messages: {name, role, agency, text}."""
    turns = (session.get("record") or {}).get("turns") or []
    names = speaker_display(turns, anonymise, lang)
    return [
        {
            "name": name,
            "role": t.get("speaker_role") or "unknown",
            "agency": t.get("agency"),
            "text": t.get("text") or "",
        }
        for name, t in zip(names, turns, strict=True)
    ]


def session_recommendations(session: Mapping) -> pd.DataFrame:
    """One session's recommendations with their categories and follow-up, in order.

    [seq, text, categories, status, owner_agency, due_date, note]
    """
    rec = session.get("record") or {}
    cats = rec.get("recommendation_categories") or []
    follow = session.get("followups") or []
    rows = []
    for i, text in enumerate(rec.get("recommendations") or []):
        f = follow[i] if i < len(follow) else {}
        rows.append(
            {
                "seq": i + 1,
                "text": text,
                "categories": tuple(cats[i]) if i < len(cats) else (),
                "status": f.get("status") or "proposed",
                "owner_agency": f.get("owner_agency"),
                "due_date": pd.to_datetime(f.get("due_date"), errors="coerce"),
                "note": f.get("note"),
            }
        )
    cols = ["seq", "text", "categories", "status", "owner_agency", "due_date", "note"]
    return pd.DataFrame(rows, columns=cols)


def highlight_marks(session: Mapping) -> dict[str, list[str]]:
    """What to mark in a session's text: label → phrases (recommendations, speakers, agencies,
    theme cue words), in order of precedence where they overlap."""
    rec = session.get("record") or {}
    cues = theme_cue_words()
    theme_words: list[str] = []
    for theme in rec.get("themes") or []:
        theme_words.extend(cues.get(theme, ()))
    speakers = [t.get("speaker") for t in rec.get("turns") or [] if t.get("speaker")]
    return {
        "recommendation": list(rec.get("recommendations") or []),
        "speaker": list(dict.fromkeys(speakers)),
        "agency": list(rec.get("agencies") or []),
        "theme": list(dict.fromkeys(theme_words)),
    }


def highlight_spans(text: str, marks: Mapping[str, Iterable[str]]) -> list[tuple[str, str | None]]:
    """Split `text` into (segment, label) pieces, label None for plain text.

    Every occurrence of every phrase is found; where found spans overlap, the one listed under an
    earlier label in `marks` wins, then the longer one. Joining the segments gives `text` back:
    ``highlight_spans('ควรทำกับ อบต. ก่อน', {'agency': ['อบต.']})`` →
    ``[('ควรทำกับ ', None), ('อบต.', 'agency'), (' ก่อน', None)]``.
    """
    found: list[tuple[int, int, int, str]] = []  # (priority, -length, start, label)
    for priority, (label, phrases) in enumerate(marks.items()):
        for phrase in {p for p in phrases if p and p.strip()}:
            start = text.find(phrase)
            while start != -1:
                found.append((priority, -len(phrase), start, label))
                start = text.find(phrase, start + len(phrase))
    taken = [False] * len(text)
    spans: list[tuple[int, int, str]] = []
    for _priority, neg_len, start, label in sorted(found):
        end = start - neg_len
        if any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        spans.append((start, end, label))
    spans.sort()
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, label in spans:
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], label))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


# ----------------------------------------------------------------------------- review form

FORM_TEXT_FIELDS = (
    "title",
    "session_date",
    "end_date",
    "time_range",
    "venue",
    "province",
    "participant_count",
)
FORM_LIST_FIELDS = ("agencies", "themes", "recommendations")
TURN_FIELDS = ("speaker", "agency", "speaker_role", "text")


def review_form_values(session: Mapping) -> dict:
    """The review form's starting values for a session: text fields as strings, list fields as
    one item per line, turns as a table."""
    rec = session.get("record") or {}
    values: dict = {"kind": rec.get("kind") or "other"}
    for name in FORM_TEXT_FIELDS:
        value = rec.get(name)
        values[name] = "" if value is None else str(value)
    for name in FORM_LIST_FIELDS:
        values[name] = "\n".join(rec.get(name) or [])
    values["turns"] = pd.DataFrame(
        [{k: t.get(k) for k in TURN_FIELDS} for t in rec.get("turns") or []],
        columns=list(TURN_FIELDS),
    )
    return values


def _turn_list(turns) -> list[dict]:
    rows = turns.to_dict("records") if isinstance(turns, pd.DataFrame) else list(turns or [])
    out = []
    for r in rows:
        text = r.get("text")
        if text is None or (isinstance(text, float) and math.isnan(text)) or not str(text).strip():
            continue
        turn = {}
        for k in TURN_FIELDS:
            v = r.get(k)
            turn[k] = (
                None if v is None or (isinstance(v, float) and math.isnan(v)) or v == "" else v
            )
        turn["text"] = str(text)
        turn["speaker"] = turn["speaker"] or ""
        turn["speaker_role"] = turn["speaker_role"] or "unknown"
        out.append(turn)
    return out


def corrections_from_form(session: Mapping, values: Mapping) -> dict:
    """The fields whose form value differs from the session's current value, as the values to
    pass to `store.correct` (lists split by line, empty text as None). Unchanged fields are left
    out, so saving an untouched form records no correction."""
    start = review_form_values(session)
    out: dict = {}
    if values.get("kind") and values["kind"] != start["kind"]:
        out["kind"] = values["kind"]
    for name in FORM_TEXT_FIELDS:
        new = (values.get(name) or "").strip()
        if new != start[name].strip():
            out[name] = new or None
    for name in FORM_LIST_FIELDS:
        new = [line.strip() for line in (values.get(name) or "").split("\n") if line.strip()]
        if new != [line.strip() for line in start[name].split("\n") if line.strip()]:
            out[name] = new
    if "turns" in values:
        new_turns = _turn_list(values["turns"])
        if new_turns != _turn_list(start["turns"]):
            out["turns"] = new_turns
    return out


def corrections_table(session: Mapping) -> pd.DataFrame:
    """A session's corrections, newest first: [corrected_at, corrected_by, field, value]."""
    rows = [
        {
            "corrected_at": c.get("corrected_at"),
            "corrected_by": c.get("corrected_by"),
            "field": c.get("field"),
            "value": str(c.get("value"))[:300],
        }
        for c in session.get("corrections") or []
    ]
    return pd.DataFrame(rows, columns=["corrected_at", "corrected_by", "field", "value"]).iloc[::-1]


def queue_labels(queue: pd.DataFrame, limit: int = 70) -> dict[int, str]:
    """session_id → a short label for picking a record of the queue: its title, else file name."""
    labels = queue["title"].fillna(queue["source_name"]).fillna("")
    return {
        int(sid): (text if len(text) <= limit else text[: limit - 1] + "…")
        for sid, text in zip(queue["session_id"], labels, strict=True)
    }


AUDIT_COLUMNS = ["at", "actor_email", "action_label", "session_id", "details"]


def audit_table(entries: Sequence[Mapping]) -> pd.DataFrame:
    """Audit entries (`store.audit_trail`) as a plain table: [at, actor_email, action_label,
    session_id, details], the details as one line of JSON (shown as text, never rendered)."""
    rows = [
        {
            "at": e["at"],
            "actor_email": e["actor_email"],
            "action_label": e["action_label"],
            # text: most entries (users, exports) are about no session, and a column of numbers
            # and blanks does not survive the table's Arrow conversion
            "session_id": "" if e["session_id"] is None else str(e["session_id"]),
            "details": json.dumps(e.get("details") or {}, ensure_ascii=False, sort_keys=True),
        }
        for e in entries
    ]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def users_table(users: Sequence[Mapping]) -> pd.DataFrame:
    """The store's users (`store.list_users`) as a plain table."""
    columns = ["email", "name", "role", "has_password", "locked", "created_at"]
    rows = [{**{k: u.get(k) for k in columns}, "role": str(u["role"])} for u in users]
    return pd.DataFrame(rows, columns=columns)


# ----------------------------------------------------------------------------- issue 12 — drill
# Honest time bins, the distinct sessions behind a stacked bar, and the sessions and quotes behind
# any clicked bar, cell or point.


from analysis.frames.agencies import (  # noqa: E402, F401
    ROLE_ORDER,
    agency_coattendance,
    agency_theme_matrix,
    agency_trend,
    participation_by_agency,
    share_of_voice_by_role,
)
from analysis.frames.drill import drilldown, drilldown_sessions, theme_drilldown  # noqa: E402, F401
from analysis.frames.present import presentation_quotes  # noqa: E402, F401
from analysis.frames.recommendations import (  # noqa: E402, F401
    RECOMMENDATION_TABLE_COLUMNS,
    _recommendation_speakers,
    recommendation_table,
    recommendations_by_category,
    similar_recommendation_groups,
)
from analysis.frames.themes import (  # noqa: E402, F401
    KEY_PHRASE_STOPWORDS,
    MAX_KEY_PHRASE_DOCUMENTS,
    key_phrases,
    theme_cooccurrence,
    theme_counts,
    themes_by_agency,
    themes_by_agency_counted,
    themes_by_province,
    themes_over_quarters,
    themes_over_time,
)
