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

from analysis import similarity
from analysis.i18n import DEFAULT_DISPLAY, Display
from analysis.tables import ACTED_ON, ProgrammeTables

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


# ----------------------------------------------------------------------------- overview


def overview_metrics(tables: ProgrammeTables) -> dict[str, float]:
    """The headline numbers: sessions, participants, agencies, recommendations, acted on, reviewed.

    participants is the sum of stated head-counts (participants_known sessions state one);
    acted_on counts recommendations with status agreed, in progress or done; reviewed_share is
    the share of record sessions a person has reviewed; others counts texts of kind other.
    """
    s = tables.sessions
    others = int((~s["is_record"]).sum())
    t = records_only(tables)
    s = t.sessions
    recs = t.recommendations
    n = len(s)
    reviewed = int((s["review_state"] == "reviewed").sum())
    return {
        "sessions": n,
        "participants": int(s["participant_count"].sum(skipna=True)) if n else 0,
        "participants_known": int(s["participant_count"].notna().sum()),
        "agencies": int(t.agencies["canonical"].nunique()),
        "recommendations": len(recs),
        "acted_on": int(recs["status"].isin(ACTED_ON).sum()),
        "turns": len(t.turns),
        "reviewed": reviewed,
        "reviewed_share": reviewed / n if n else 0.0,
        "others": others,
    }


def sessions_per_month(tables: ProgrammeTables) -> pd.DataFrame:
    """Record sessions per calendar month, empty months as 0. [month, sessions]."""
    dates = records_only(tables).sessions["session_date"].dropna()
    if dates.empty:
        return pd.DataFrame({"month": pd.Series([], dtype="datetime64[ns]"), "sessions": []})
    months = dates.dt.to_period("M")
    counts = months.value_counts()
    full = pd.period_range(months.min(), months.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({"month": full.to_timestamp(), "sessions": counts.to_numpy(dtype=int)})


def sessions_per_fiscal_year(tables: ProgrammeTables) -> pd.DataFrame:
    """Record sessions per Thai fiscal year (Oct-Sep, BE). [fiscal_year, sessions]."""
    fy = records_only(tables).sessions["fiscal_year"].dropna()
    if fy.empty:
        return pd.DataFrame({"fiscal_year": pd.Series([], dtype="Int64"), "sessions": []})
    counts = fy.astype(int).value_counts().sort_index()
    full = range(int(counts.index.min()), int(counts.index.max()) + 1)
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({"fiscal_year": list(full), "sessions": counts.to_numpy(dtype=int)})


def sessions_per_province(tables: ProgrammeTables) -> pd.DataFrame:
    """Record sessions per province, most first; unknown province (None) last.

    [province, sessions]
    """
    prov = records_only(tables).sessions["province"]
    counts = prov.value_counts(dropna=True)
    out = pd.DataFrame({"province": counts.index.tolist(), "sessions": counts.to_numpy(dtype=int)})
    unknown = int(prov.isna().sum())
    if unknown:
        out = pd.concat([out, pd.DataFrame({"province": [None], "sessions": [unknown]})])
    return out.reset_index(drop=True)


SESSION_LIST_COLUMNS = [
    "session_id",
    "session_date",
    "title",
    "province",
    "kind",
    "agencies",
    "n_turns",
    "n_recommendations",
    "review_state",
]


def session_table(tables: ProgrammeTables) -> pd.DataFrame:
    """One row per stored text (kinds as filtered), newest first, with its agencies joined."""
    s = tables.sessions
    names = tables.agencies.groupby("session_id", sort=False)["canonical"].agg(" · ".join)
    out = s.assign(agencies=s["session_id"].map(names).fillna(""))
    out = out.sort_values(
        ["session_date", "session_id"], ascending=[False, False], na_position="last"
    )
    return out[SESSION_LIST_COLUMNS].reset_index(drop=True)


def latest_sessions(tables: ProgrammeTables, n: int = 10) -> pd.DataFrame:
    """The `n` most recent record sessions (by session date)."""
    return session_table(records_only(tables)).head(n)


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


def query_terms(query: str) -> list[str]:
    """The words a search looks for: ``'ทำงานกับอบต'`` → ``['ทำงาน', 'อบต']`` (stopwords dropped
    unless the query is nothing but stopwords)."""
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
    return list(dict.fromkeys(content or words))


def _texts_by_session(frame: pd.DataFrame, cols: Sequence[str]) -> dict[int, str]:
    """session_id → the given text columns of all its rows, joined (faster than a groupby)."""
    joined = frame[cols[0]].fillna("").astype(str)
    for col in cols[1:]:
        joined = joined + " " + frame[col].fillna("").astype(str)
    out: dict[int, list[str]] = {}
    for sid, text in zip(frame["session_id"].tolist(), joined.tolist(), strict=True):
        out.setdefault(sid, []).append(text)
    return {sid: "\n".join(texts) for sid, texts in out.items()}


def _search_blobs(tables: ProgrammeTables) -> pd.Series:
    """session_id → all searchable text of the session, lower-cased."""
    s = tables.sessions
    own = _texts_by_session(s, ["title", "venue", "province", "source_name"])
    parts = [
        _texts_by_session(tables.agencies, ["as_written", "canonical"]),
        _texts_by_session(tables.turns, ["speaker", "agency", "text"]),
        _texts_by_session(tables.recommendations, ["text"]),
        _texts_by_session(tables.themes, ["theme"]),
    ]
    ids = s["session_id"].tolist()
    blobs = ["\n".join([own.get(i, "")] + [p.get(i, "") for p in parts]).lower() for i in ids]
    return pd.Series(blobs, index=ids, dtype=object)


def search_sessions(tables: ProgrammeTables, query: str) -> pd.DataFrame:
    """The session list (as `session_table`) restricted to sessions holding every query word.

    The query is segmented with PyThaiNLP, so ``ทำงานกับอบต`` finds a session that says
    ``ทำงานร่วมกับ อบต.``; an empty query gives every session.
    """
    terms = query_terms(query or "")
    table = session_table(tables)
    if not terms:
        return table
    blobs = _search_blobs(tables)
    hit = pd.Series(True, index=blobs.index)
    for term in terms:
        hit &= blobs.str.contains(term, regex=False)
    return table[table["session_id"].isin(hit[hit].index)].reset_index(drop=True)


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


def _snippet(text: str, start: int, length: int, width: int = 90) -> str:
    lo = max(0, start - width)
    hi = min(len(text), start + length + width)
    return ("…" if lo else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


def theme_drilldown(
    tables: ProgrammeTables,
    theme: str | None = None,
    agency: str | None = None,
    province: str | None = None,
    fiscal_year: int | None = None,
    month: pd.Timestamp | str | None = None,
    with_theme: str | None = None,
    per_session: int = 3,
) -> pd.DataFrame:
    """The sessions and quotes behind a bar: sessions matching every given value, with quotes.

    `theme` and `with_theme` (a co-occurrence cell) must both be raised; `month` is any day of the
    month or a Timestamp string.

    Quotes are the session's turns that hold a cue word of the theme (a snippet around it), else
    its recommendations in a category of the theme; at most `per_session` per session, and a
    session without any quote is listed once with an empty quote.
    [session_id, session_date, title, province, speaker, agency, speaker_role, quote]
    """
    t = records_only(tables)
    s = t.sessions
    keep = pd.Series(True, index=s.index)
    for th in (theme, with_theme):
        if th:
            keep &= s["session_id"].isin(t.themes.loc[t.themes["theme"] == th, "session_id"])
    if agency:
        keep &= s["session_id"].isin(
            t.agencies.loc[t.agencies["canonical"] == agency, "session_id"]
        )
    if province:
        keep &= s["province"] == province
    if fiscal_year is not None:
        keep &= (s["fiscal_year"] == int(fiscal_year)).fillna(False).astype(bool)
    if month is not None:
        keep &= s["session_date"].dt.to_period("M") == pd.Timestamp(month).to_period("M")
    sel = s.loc[keep].sort_values(
        ["session_date", "session_id"], ascending=False, na_position="last"
    )
    ids = sel["session_id"].tolist()
    cues = [c for c in theme_cue_words().get(theme or "", ()) if c]
    cats = {c for c, th in category_themes().items() if th == theme}
    turns = t.turns[t.turns["session_id"].isin(ids)]
    recs = t.recommendations[t.recommendations["session_id"].isin(ids)]
    quotes: dict[int, list[dict]] = {}
    if cues:
        for row in turns.itertuples(index=False):
            got = quotes.setdefault(row.session_id, [])
            if len(got) >= per_session:
                continue
            for cue in cues:
                at = row.text.find(cue)
                if at != -1:
                    got.append(
                        {
                            "speaker": row.speaker,
                            "agency": row.agency,
                            "speaker_role": row.speaker_role,
                            "quote": _snippet(row.text, at, len(cue)),
                        }
                    )
                    break
    speakers = _recommendation_speakers(recs, turns)
    for row, who in zip(recs.itertuples(index=False), speakers, strict=True):
        got = quotes.setdefault(row.session_id, [])
        if len(got) >= per_session or (cats and not cats.intersection(row.categories)):
            continue
        if theme and not cats and cues:
            continue
        got.append({**who, "quote": row.text})
    rows = []
    for r in sel.itertuples(index=False):
        base = {
            "session_id": r.session_id,
            "session_date": r.session_date,
            "title": r.title,
            "province": r.province,
        }
        found = quotes.get(r.session_id) or [
            {"speaker": None, "agency": None, "speaker_role": None, "quote": None}
        ]
        rows.extend({**base, **q} for q in found)
    cols = [
        "session_id",
        "session_date",
        "title",
        "province",
        "speaker",
        "agency",
        "speaker_role",
        "quote",
    ]
    return pd.DataFrame(rows, columns=cols)


# ----------------------------------------------------------------------------- recommendations


def _recommendation_speakers(recs: pd.DataFrame, turns: pd.DataFrame) -> list[dict]:
    """Per recommendation row, the turn that says it: {speaker, agency, speaker_role} or Nones."""
    none = {"speaker": None, "agency": None, "speaker_role": None}
    if recs.empty:
        return []
    by_session: dict[int, list[tuple[str, str, str, str]]] = {}
    if not turns.empty:
        sub = turns[turns["session_id"].isin(recs["session_id"].unique())]
        for row in sub.itertuples(index=False):
            by_session.setdefault(row.session_id, []).append(
                (row.text, row.speaker, row.agency, row.speaker_role)
            )
    out = []
    for sid, text in zip(recs["session_id"].tolist(), recs["text"].tolist(), strict=True):
        who = none
        for turn_text, speaker, agency, role in by_session.get(sid, ()):
            if text and text in turn_text:
                who = {"speaker": speaker, "agency": agency, "speaker_role": role}
                break
        out.append(who)
    return out


def recommendations_by_category(tables: ProgrammeTables) -> pd.DataFrame:
    """Recommendations per codebook category (uncategorised as ""), with sessions and how many are
    acted on. A recommendation in two categories counts in both. [category, recommendations,
    sessions, acted_on]."""
    t = records_only(tables)
    recs = t.recommendations[["session_id", "seq", "status"]]
    rc = t.recommendation_categories[["session_id", "seq", "category"]]
    long = recs.merge(rc, on=["session_id", "seq"], how="left")
    long["category"] = long["category"].fillna("")
    long["acted"] = long["status"].isin(ACTED_ON)
    g = long.groupby("category").agg(
        recommendations=("seq", "size"),
        sessions=("session_id", "nunique"),
        acted_on=("acted", "sum"),
    )
    g = g.sort_values(["recommendations", "sessions"], ascending=False).reset_index()
    g["acted_on"] = g["acted_on"].astype(int)
    return g[["category", "recommendations", "sessions", "acted_on"]]


RECOMMENDATION_TABLE_COLUMNS = [
    "text",
    "speaker",
    "agency",
    "categories",
    "title",
    "session_date",
    "status",
    "owner_agency",
    "due_date",
    "note",
    "speaker_role",
    "session_id",
    "seq",
    "recommendation_id",
]


def recommendation_table(tables: ProgrammeTables, category: str | None = None) -> pd.DataFrame:
    """Every recommendation of the record sessions with its quote, speaker, agency, session and
    follow-up fields; only those in `category` when given ("" for uncategorised). Newest first."""
    t = records_only(tables)
    recs = t.recommendations
    if category is not None:
        if category == "":
            recs = recs[recs["categories"].map(len) == 0]
        else:
            recs = recs[recs["categories"].map(lambda c: category in c)]
    who = pd.DataFrame(
        _recommendation_speakers(recs, t.turns),
        index=recs.index,
        columns=["speaker", "agency", "speaker_role"],
    )
    out = pd.concat([recs, who], axis=1).merge(
        t.sessions[["session_id", "title", "session_date"]], on="session_id", how="left"
    )
    out = out.sort_values(
        ["session_date", "session_id", "seq"], ascending=[False, False, True], na_position="last"
    )
    return out[RECOMMENDATION_TABLE_COLUMNS].reset_index(drop=True)


def similar_recommendation_groups(
    tables: ProgrammeTables, threshold: float = similarity.DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Groups of similar recommendations said in two or more sessions (see analysis.similarity).

    One row per member: [group, size, n_sessions, text, speaker, agency, title, session_date,
    session_id, speaker_role]; groups with the most sessions first, numbered from 1.
    """
    cols = [
        "group",
        "size",
        "n_sessions",
        "text",
        "speaker",
        "agency",
        "title",
        "session_date",
        "session_id",
        "speaker_role",
    ]
    t = records_only(tables)
    recs = t.recommendations
    if recs.empty:
        return pd.DataFrame(columns=cols)
    labels = similarity.group_similar(recs["text"].tolist(), threshold)
    frame = recs[["session_id", "seq", "text"]].assign(raw_group=labels)
    stats = frame.groupby("raw_group").agg(
        size=("seq", "size"), n_sessions=("session_id", "nunique")
    )
    stats = stats[stats["n_sessions"] >= 2].sort_values(["n_sessions", "size"], ascending=False)
    if stats.empty:
        return pd.DataFrame(columns=cols)
    stats["group"] = range(1, len(stats) + 1)
    members = frame[frame["raw_group"].isin(stats.index)]
    who = pd.DataFrame(
        _recommendation_speakers(members, t.turns),
        index=members.index,
        columns=["speaker", "agency", "speaker_role"],
    )
    out = pd.concat([members, who], axis=1).join(stats, on="raw_group")
    out = out.merge(
        t.sessions[["session_id", "title", "session_date"]], on="session_id", how="left"
    )
    out = out.sort_values(["group", "session_date", "session_id"], na_position="last")
    return out[cols].reset_index(drop=True)


def presentation_quotes(tables: ProgrammeTables, n: int = 5) -> pd.DataFrame:
    """Quotes for the projector: one spoken recommendation from each of the `n` biggest categories.

    Only recommendations said in a turn (with a speaker) qualify; within a category the one whose
    text is most like the others (the most shared proposal) is chosen.
    [category, text, speaker, agency, speaker_role, title, session_date]
    """
    table = recommendation_table(tables)
    table = table[table["speaker"].notna()]
    cols = ["category", "text", "speaker", "agency", "speaker_role", "title", "session_date"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    table = table.assign(category=table["categories"].map(lambda c: c[0] if c else ""))
    freq = table["text"].value_counts()
    table = table.assign(freq=table["text"].map(freq))
    order = table["category"].value_counts().index.tolist()[:n]
    picks = []
    for cat in order:
        sub = table[table["category"] == cat].sort_values(["freq", "session_date"], ascending=False)
        picks.append(sub.iloc[0])
    return pd.DataFrame(picks)[cols].reset_index(drop=True)


def review_queue_table(rows: Sequence[Mapping]) -> pd.DataFrame:
    """The store's review queue as a table, oldest import first.

    [session_id, source_name, kind, title,
    session_date, programme, imported_at]."""
    cols = [
        "session_id",
        "source_name",
        "kind",
        "title",
        "session_date",
        "programme",
        "imported_at",
    ]
    out = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    out["session_date"] = pd.to_datetime(out["session_date"], errors="coerce")
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

SPARSE_SHARE = 0.75  # a grain is too fine when this share of its periods hold 0 or 1 session
TIME_GRAINS = ("month", "quarter", "fiscal_year")


def fiscal_quarter(dates: pd.Series) -> pd.Series:
    """Quarter of the Thai fiscal year (Oct–Dec is 1, Jan–Mar 2, Apr–Jun 3, Jul–Sep 4)."""
    return ((dates.dt.month - 10) % 12) // 3 + 1


def _sparse(counts: pd.Series) -> bool:
    return len(counts) > 1 and float((counts <= 1).mean()) >= SPARSE_SHARE


def time_grain(tables: ProgrammeTables) -> str:
    """The finest of month, quarter, fiscal year at which most periods hold more than one
    session: months when they do, else fiscal quarters, else fiscal years."""
    per_month = sessions_per_month(tables)["sessions"]
    if not _sparse(per_month):
        return "month"
    if not _sparse(_sessions_per_quarter(tables)["sessions"]):
        return "quarter"
    return "fiscal_year"


def _sessions_per_quarter(tables: ProgrammeTables) -> pd.DataFrame:
    s = records_only(tables).sessions.dropna(subset=["session_date", "fiscal_year"])
    cols = ["fiscal_year", "quarter", "sessions"]
    if s.empty:
        return pd.DataFrame(columns=cols)
    keys = pd.DataFrame(
        {"fiscal_year": s["fiscal_year"].astype(int), "quarter": fiscal_quarter(s["session_date"])}
    )
    counts = keys.value_counts()
    ordinal = keys["fiscal_year"] * 4 + keys["quarter"] - 1
    full = [(o // 4, o % 4 + 1) for o in range(int(ordinal.min()), int(ordinal.max()) + 1)]
    out = pd.DataFrame(full, columns=["fiscal_year", "quarter"])
    out["sessions"] = [int(counts.get(k, 0)) for k in full]
    return out[cols]


def sessions_over_time(tables: ProgrammeTables, grain: str = "auto") -> pd.DataFrame:
    """Record sessions per period, empty periods as 0, at `grain` ("auto" picks `time_grain`).

    month: [month, sessions]; quarter: [fiscal_year, quarter, sessions] (fiscal quarters);
    fiscal_year: [fiscal_year, sessions]. `attrs["grain"]` says which.
    """
    if grain == "auto":
        grain = time_grain(tables)
    if grain == "month":
        out = sessions_per_month(tables)
    elif grain == "quarter":
        out = _sessions_per_quarter(tables)
    elif grain == "fiscal_year":
        out = sessions_per_fiscal_year(tables)
    else:
        raise ValueError(f"unknown grain {grain!r}; use 'auto' or one of {TIME_GRAINS}")
    out.attrs["grain"] = grain
    return out


def drilldown(
    tables: ProgrammeTables,
    theme: str | None = None,
    agency: str | None = None,
    province: str | None = None,
    fiscal_year: int | None = None,
    month: pd.Timestamp | str | None = None,
    with_theme: str | None = None,
    other_agency: str | None = None,
    quarter: int | None = None,
    category: str | None = None,
    per_session: int = 3,
) -> pd.DataFrame:
    """The sessions and quotes behind any bar, cell or point of the dashboard's charts.

    With a theme, as `theme_drilldown` (turns holding its cue words, else its recommendations).
    Otherwise the quotes are the turns of `agency` (and `other_agency`: two agencies that sat
    together), every recommendation in `category` (as many as its bar counts), or the session's
    recommendations.
    `quarter` is a fiscal quarter of `fiscal_year`. Same columns as `theme_drilldown`.
    """
    t = records_only(tables)
    s = t.sessions
    keep = pd.Series(True, index=s.index)
    for ag in (agency, other_agency):
        if ag:
            keep &= s["session_id"].isin(
                t.agencies.loc[t.agencies["canonical"] == ag, "session_id"]
            )
    if quarter is not None:
        dated = s["session_date"].notna()
        in_quarter = pd.Series(False, index=s.index)
        in_quarter[dated] = fiscal_quarter(s.loc[dated, "session_date"]) == int(quarter)
        keep &= in_quarter

    def in_category(cats) -> bool:  # "" is the recommendations with no category
        return category in cats if category else not len(cats)

    if category is not None:
        recs = t.recommendations
        has = recs["categories"].map(in_category)
        keep &= s["session_id"].isin(recs.loc[has, "session_id"])
    if theme or with_theme:
        ids = s.loc[keep, "session_id"]
        return theme_drilldown(
            t.for_sessions(ids), theme or with_theme, None, province, fiscal_year, month,
            with_theme if theme else None, per_session,
        )  # fmt: skip
    base = theme_drilldown(t.for_sessions(s.loc[keep, "session_id"]), None, None, province,
                           fiscal_year, month, None, per_session)  # fmt: skip
    if not (agency or category is not None) or base.empty:
        return base
    ids = base["session_id"].drop_duplicates().tolist()
    quotes: dict[int, list[dict]] = {}
    if category is not None:
        recs = t.recommendations[t.recommendations["session_id"].isin(ids)]
        recs = recs[recs["categories"].map(in_category)]
        for row, who in zip(
            recs.itertuples(index=False), _recommendation_speakers(recs, t.turns), strict=True
        ):
            quotes.setdefault(row.session_id, []).append({**who, "quote": row.text})
    else:
        turns = t.turns[t.turns["session_id"].isin(ids)]
        spoken = turns[turns["agency_canonical"].isin([agency, other_agency])]
        for row in spoken.itertuples(index=False):
            got = quotes.setdefault(row.session_id, [])
            if len(got) < per_session:
                got.append(
                    {
                        "speaker": row.speaker,
                        "agency": row.agency,
                        "speaker_role": row.speaker_role,
                        "quote": _snippet(row.text, 0, 0, 180),
                    }
                )
    info = base.drop_duplicates("session_id")[["session_id", "session_date", "title", "province"]]
    rows = []
    for r in info.itertuples(index=False):
        found = quotes.get(r.session_id)
        if not found:  # the agency did not speak: the session's own quotes as before
            rows.extend(base[base["session_id"] == r.session_id].to_dict("records"))
            continue
        rows.extend({**r._asdict(), **q} for q in found)
    return pd.DataFrame(rows, columns=base.columns)


def search_matches(
    tables: ProgrammeTables, query: str, per_session: int = 3, width: int = 60
) -> pd.DataFrame:
    """Where each query word is found in the sessions a search finds: the words around it.

    [session_id, where, speaker, before, match, after]: `where` is "title", "turn",
    "recommendation" or "agency"; at most `per_session` passages per session, the first one of
    each word first. The text is returned as found (not lower-cased), for showing as plain text.
    """
    cols = ["session_id", "where", "speaker", "before", "match", "after"]
    terms = query_terms(query or "")
    if not terms:
        return pd.DataFrame(columns=cols)
    found = search_sessions(tables, query)
    ids = set(found["session_id"])
    sources = [
        ("title", tables.sessions, "title", None),
        ("turn", tables.turns, "text", "speaker"),
        ("recommendation", tables.recommendations, "text", None),
        ("agency", tables.agencies, "as_written", None),
    ]
    rows: dict[int, list[dict]] = {}
    seen: dict[int, set[str]] = {}
    for where, frame, col, who in sources:
        sub = frame[frame["session_id"].isin(ids)]
        speakers = sub[who].tolist() if who else [None] * len(sub)
        for sid, text, speaker in zip(sub["session_id"], sub[col], speakers, strict=True):
            if not isinstance(text, str) or len(rows.get(sid, ())) >= per_session:
                continue
            low = text.lower()
            for term in terms:
                at = low.find(term)
                if at == -1 or term in seen.setdefault(sid, set()):
                    continue
                seen[sid].add(term)
                lo, hi = max(0, at - width), min(len(text), at + len(term) + width)
                rows.setdefault(sid, []).append(
                    {
                        "session_id": sid,
                        "where": where,
                        "speaker": speaker,
                        "before": ("…" if lo else "") + text[lo:at].lstrip(),
                        "match": text[at : at + len(term)],
                        "after": text[at + len(term) : hi].rstrip()
                        + ("…" if hi < len(text) else ""),
                    }
                )
                break
    order = [sid for sid in found["session_id"] if sid in rows]
    return pd.DataFrame([r for sid in order for r in rows[sid]], columns=cols)


# ----------------------------------------------------------------------------- by page
# The questions of a page live in a module of their own; `frames.name` keeps working.
from analysis.frames.agencies import (  # noqa: E402, F401
    ROLE_ORDER,
    agency_coattendance,
    agency_theme_matrix,
    agency_trend,
    participation_by_agency,
    share_of_voice_by_role,
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
