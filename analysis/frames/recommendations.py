"""The recommendations page's questions over `ProgrammeTables` (pandas): recommendations per
category, the recommendation table, groups of similar recommendations, and who said each one.

The same questions answered in SQL are `analysis.store.questions.recommendations`; the shaping
steps here (`by_category_shape`, `recommendation_table_shape`, `similar_groups`,
`similar_groups_shape`) are shared by both, so the two stay one definition.
"""

from __future__ import annotations

import pandas as pd

from analysis import similarity
from analysis.frames import records_only
from analysis.tables import ACTED_ON, ProgrammeTables

SPEAKER_COLUMNS = ["speaker", "agency", "speaker_role"]


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


CATEGORY_COLUMNS = ["category", "recommendations", "sessions", "acted_on"]


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
    return by_category_shape(g.reset_index())


def by_category_shape(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts per category [category, recommendations, sessions, acted_on] as the page shows
    them: most recommendations first, then most sessions, then by category."""
    if counts.empty:
        return pd.DataFrame(
            {
                c: pd.Series([], dtype="str" if c == "category" else "int64")
                for c in CATEGORY_COLUMNS
            }
        )
    out = counts[CATEGORY_COLUMNS].astype(
        {"category": "str", "recommendations": "int64", "sessions": "int64", "acted_on": "int64"}
    )
    out = out.sort_values(
        ["recommendations", "sessions", "category"], ascending=[False, False, True]
    )
    return out.reset_index(drop=True)


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
# Text columns that may be all missing on a page: one dtype however few rows there are.
_TEXT_COLUMNS = (
    "text",
    "speaker",
    "agency",
    "title",
    "status",
    "owner_agency",
    "note",
    "speaker_role",
)


def in_category(categories, category: str | None) -> bool:
    """Whether a recommendation's categories (a tuple) hold `category` ("" is: it has none)."""
    if category is None:
        return True
    return category in categories if category else not len(categories)


def recommendation_table(tables: ProgrammeTables, category: str | None = None) -> pd.DataFrame:
    """Every recommendation of the record sessions with its quote, speaker, agency, session and
    follow-up fields; only those in `category` when given ("" for uncategorised). Newest first."""
    t = records_only(tables)
    recs = t.recommendations
    if category is not None:
        recs = recs[recs["categories"].map(lambda c: in_category(c, category)).astype(bool)]
    who = pd.DataFrame(
        _recommendation_speakers(recs, t.turns), index=recs.index, columns=SPEAKER_COLUMNS
    )
    out = pd.concat([recs, who], axis=1).merge(
        t.sessions[["session_id", "title", "session_date"]], on="session_id", how="left"
    )
    out = out.sort_values(
        ["session_date", "session_id", "seq"], ascending=[False, False, True], na_position="last"
    )
    return recommendation_table_shape(out)


def recommendation_table_shape(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of the recommendation table (in order) with its columns and dtypes, whether they are
    the whole list or one page of it."""
    out = rows[RECOMMENDATION_TABLE_COLUMNS].reset_index(drop=True)
    for col in _TEXT_COLUMNS:
        out[col] = out[col].astype("str")
    for col in ("session_date", "due_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[us]")
    for col in ("session_id", "seq", *(() if len(out) else ("recommendation_id",))):
        out[col] = out[col].astype("int64")
    return out


SIMILAR_COLUMNS = [
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


def similar_groups(recs: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The members of the groups of similar recommendations said in two or more sessions.

    `recs` holds session_id, seq and text (and any other columns, kept), in order of session
    and seq; the result adds group, size and n_sessions to the rows that belong to such a group
    (in `recs` order): groups with the most sessions first, numbered from 1.
    """
    if recs.empty:
        return recs.assign(group=[], size=[], n_sessions=[])
    labels = similarity.group_similar(recs["text"].tolist(), threshold)
    frame = recs.assign(raw_group=labels)
    stats = frame.groupby("raw_group").agg(
        size=("seq", "size"), n_sessions=("session_id", "nunique")
    )
    stats = stats[stats["n_sessions"] >= 2].sort_values(["n_sessions", "size"], ascending=False)
    stats["group"] = range(1, len(stats) + 1)
    members = frame[frame["raw_group"].isin(stats.index)]
    return members.join(stats, on="raw_group").drop(columns="raw_group")


def similar_groups_sorted(members: pd.DataFrame) -> pd.DataFrame:
    """`similar_groups` members (with session_date) in the order the table lists them: by group,
    then session date (unknown last), session and seq."""
    return members.sort_values(
        ["group", "session_date", "session_id", "seq"], na_position="last"
    ).reset_index(drop=True)


def similar_groups_shape(rows: pd.DataFrame) -> pd.DataFrame:
    """Sorted members with speakers and titles as the table's columns and dtypes."""
    if rows.empty:
        return pd.DataFrame(columns=SIMILAR_COLUMNS)
    out = rows[SIMILAR_COLUMNS].reset_index(drop=True)
    for col in ("text", "speaker", "agency", "title", "speaker_role"):
        out[col] = out[col].astype("str")
    for col in ("group", "size", "n_sessions", "session_id"):
        out[col] = out[col].astype("int64")
    return out


def similar_recommendation_groups(
    tables: ProgrammeTables, threshold: float = similarity.DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Groups of similar recommendations said in two or more sessions (see analysis.similarity).

    One row per member: [group, size, n_sessions, text, speaker, agency, title, session_date,
    session_id, speaker_role]; groups with the most sessions first, numbered from 1.
    """
    t = records_only(tables)
    members = similar_groups(t.recommendations[["session_id", "seq", "text"]], threshold)
    if members.empty:
        return similar_groups_shape(members)
    who = pd.DataFrame(
        _recommendation_speakers(members, t.turns), index=members.index, columns=SPEAKER_COLUMNS
    )
    out = pd.concat([members, who], axis=1).merge(
        t.sessions[["session_id", "title", "session_date"]], on="session_id", how="left"
    )
    return similar_groups_shape(similar_groups_sorted(out))
