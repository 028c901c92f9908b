"""The sessions page's questions over `ProgrammeTables`: the session list (newest first), the
latest sessions, the word search and its matches in context, and the review queue's table.

The SQL answers (`analysis.store.questions.sessions`) page the list in the database and share
the shaping here: `session_list` (rows and their agencies joined), `matches_frame` (the words
around each query word in given texts) and `review_queue_table`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.frames import _texts_by_session, query_terms, records_only
from analysis.tables import ProgrammeTables

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
AGENCY_SEPARATOR = " · "
MATCH_COLUMNS = [
    "session_id",
    "where",
    "speaker",
    "agency",
    "speaker_role",
    "before",
    "match",
    "after",
]
REVIEW_QUEUE_COLUMNS = [
    "session_id",
    "source_name",
    "kind",
    "title",
    "session_date",
    "programme",
    "imported_at",
]


# ----------------------------------------------------------------------------- shapes


def agency_names(agencies: pd.DataFrame) -> pd.Series:
    """session_id → its agencies' canonical names in order, joined with " · "."""
    return agencies.groupby("session_id", sort=False)["canonical"].agg(AGENCY_SEPARATOR.join)


def session_list(sessions: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """The list's columns of `sessions` (already in list order) with `names` (`agency_names`)
    as its agencies column ("" for a session without one)."""
    joined = names.to_dict()
    agencies = pd.Series(
        [joined.get(sid, "") for sid in sessions["session_id"].tolist()],
        index=sessions.index,
        dtype="str",
    )
    return sessions.assign(agencies=agencies)[SESSION_LIST_COLUMNS].reset_index(drop=True)


def matches_frame(
    found: Sequence[int],
    sources: Iterable[tuple[str, pd.DataFrame, str]],
    terms: Sequence[str],
    per_session: int = 3,
    width: int = 60,
) -> pd.DataFrame:
    """The words around each of `terms` in the texts of the `found` sessions (in that order).

    `sources` are (where, frame, text column) in the order to look, each frame holding
    session_id, the text column and, for turns, speaker, agency and speaker_role, its rows in
    session and seq order. A text gives at most one passage (the first term it holds not yet
    shown for its session); at most `per_session` passages per session.
    """
    ids = set(found)
    rows: dict[int, list[dict]] = {}
    seen: dict[int, set[str]] = {}
    for where, frame, col in sources:
        sub = frame[frame["session_id"].isin(ids)]
        people = (
            zip(sub["speaker"], sub["agency"], sub["speaker_role"], strict=True)
            if "speaker" in sub.columns
            else [(None, None, None)] * len(sub)
        )
        for sid, text, who in zip(sub["session_id"], sub[col], people, strict=True):
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
                        "speaker": who[0],
                        "agency": who[1],
                        "speaker_role": who[2],
                        "before": ("…" if lo else "") + text[lo:at].lstrip(),
                        "match": text[at : at + len(term)],
                        "after": text[at + len(term) : hi].rstrip()
                        + ("…" if hi < len(text) else ""),
                    }
                )
                break
    order = [sid for sid in found if sid in rows]
    return pd.DataFrame([r for sid in order for r in rows[sid]], columns=MATCH_COLUMNS)


def review_queue_table(rows: Sequence[Mapping]) -> pd.DataFrame:
    """The store's review queue as a table, oldest import first.

    [session_id, source_name, kind, title, session_date, programme, imported_at]."""
    out = pd.DataFrame(
        [{c: r.get(c) for c in REVIEW_QUEUE_COLUMNS} for r in rows], columns=REVIEW_QUEUE_COLUMNS
    )
    out["session_date"] = pd.to_datetime(out["session_date"], errors="coerce")
    return out


# ----------------------------------------------------------------------------- the questions


def session_table(tables: ProgrammeTables) -> pd.DataFrame:
    """One row per stored text (kinds as filtered), newest first, with its agencies joined."""
    s = tables.sessions.sort_values(
        ["session_date", "session_id"], ascending=[False, False], na_position="last"
    )
    return session_list(s, agency_names(tables.agencies))


def latest_sessions(tables: ProgrammeTables, n: int = 10) -> pd.DataFrame:
    """The `n` most recent record sessions (by session date)."""
    return session_table(records_only(tables)).head(n)


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


def match_sources(tables: ProgrammeTables) -> list[tuple[str, pd.DataFrame, str]]:
    """Where `search_matches` looks, in order: titles, turns, recommendations, agencies."""
    return [
        ("title", tables.sessions, "title"),
        ("turn", tables.turns, "text"),
        ("recommendation", tables.recommendations, "text"),
        ("agency", tables.agencies, "as_written"),
    ]


def search_matches(
    tables: ProgrammeTables,
    query: str,
    session_ids: Sequence[int] | None = None,
    per_session: int = 3,
    width: int = 60,
) -> pd.DataFrame:
    """Where each query word is found in the sessions a search finds (only those of
    `session_ids` when given: the page's rows): the words around it.

    [session_id, where, speaker, agency, speaker_role, before, match, after]: `where` is
    "title", "turn", "recommendation" or "agency" (speaker, agency and role are a turn's); at
    most `per_session` passages per session, the first one of each word first, sessions in
    the list's order. The text is returned as found (not lower-cased), for showing as plain
    text.
    """
    terms = query_terms(query or "")
    if not terms:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    found = search_sessions(tables, query)["session_id"].tolist()
    if session_ids is not None:
        wanted = set(session_ids)
        found = [sid for sid in found if sid in wanted]
    return matches_frame(found, match_sources(tables), terms, per_session, width)
