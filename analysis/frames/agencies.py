"""หน่วยงาน Agencies page questions over `ProgrammeTables`: who took part and who spoke.

Each question is an aggregation (here in pandas; `analysis.store.questions.agencies` does the
same in SQL) followed by a shaping step on the small aggregated result (`*_frame` below) that
both share, so the two answer with one definition. Top-N choices rank by sessions, most first,
ties in alphabetical order (`most_first`), as the sidebar lists agencies and themes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.frames import records_only
from analysis.tables import ProgrammeTables, fiscal_year_be

ROLE_ORDER = ("community member", "official", "facilitator", "chair", "unknown")


# ----------------------------------------------------------------------------- shared shaping


def most_first(counts: Mapping[str, int], top: int | None = None) -> list[str]:
    """Names by count, the most first, ties in alphabetical order (code-point order, on either
    backend); the first `top` when given."""
    order = sorted(counts, key=lambda name: (-int(counts[name]), name))
    return order if top is None else order[:top]


def _distinct_counts(frame: pd.DataFrame, column: str) -> dict[str, int]:
    """Value of `column` → distinct sessions holding it."""
    pairs = frame[["session_id", column]].drop_duplicates()
    return {str(k): int(v) for k, v in pairs[column].value_counts().items()}


def agency_sessions(t: ProgrammeTables) -> dict[str, int]:
    """Agency (canonical) → sessions it attended."""
    return _distinct_counts(t.agencies, "canonical")


def theme_sessions(t: ProgrammeTables) -> dict[str, int]:
    """Theme → sessions raising it."""
    return _distinct_counts(t.themes, "theme")


def _top_agencies(t: ProgrammeTables, top: int) -> list[str]:
    return most_first(agency_sessions(t), top)


def _top_themes(t: ProgrammeTables, top: int) -> list[str]:
    return most_first(theme_sessions(t), top)


def month_text(dates: pd.Series) -> pd.Series:
    """Dates as 'YYYY-MM' (what `scope.month_of` gives in SQL)."""
    return dates.dt.strftime("%Y-%m")


def fiscal_year_of_month(month: str) -> int:
    """The BE fiscal year of a 'YYYY-MM' month."""
    return fiscal_year_be(pd.Timestamp(f"{month}-01"))


def plain(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`columns` of `frame` rebuilt from plain Python values, so that an aggregate read from SQL
    and one computed in pandas shape into frames of the same dtypes (empty ones too)."""
    return pd.DataFrame({c: frame[c].tolist() for c in columns}, columns=list(columns))


def pair_counts(
    left: pd.DataFrame, right: pd.DataFrame, names: Sequence[str] = ("row", "column")
) -> pd.DataFrame:
    """Distinct sessions per (left value, right value) of two [session_id, value] frames joined
    on the session: [row, column, sessions] (named by `names`)."""
    a = left.drop_duplicates().set_axis(["session_id", names[0]], axis=1)
    b = right.drop_duplicates().set_axis(["session_id", names[1]], axis=1)
    pairs = a.merge(b, on="session_id")
    g = pairs.groupby(list(names)).size().rename("sessions").reset_index()
    return g


def together(frame: pd.DataFrame, column: str, values: Sequence[str], other: str) -> pd.DataFrame:
    """Sessions holding each pair of `values` of `column` (an agency or theme) together, as a
    matrix; the diagonal is the sessions holding it. Index named `column`, columns `other`."""
    rows = frame.loc[frame[column].isin(list(values)), ["session_id", column]]
    return matrix_frame(pair_counts(rows, rows, (column, other)), values, values, (column, other))


def matrix_frame(
    long: pd.DataFrame,
    rows: Sequence[str],
    columns: Sequence[str],
    names: tuple[str, str],
) -> pd.DataFrame:
    """A [row, column, sessions] frame as a matrix with `rows` × `columns` (0 where absent),
    index and columns named `names`."""
    long = plain(long, list(long.columns))
    if len(long):
        m = long.set_index(list(long.columns[:2]))["sessions"].unstack(fill_value=0)
    else:
        m = pd.DataFrame()
    m = m.reindex(index=list(rows), columns=list(columns), fill_value=0).fillna(0).astype(int)
    m.index.name, m.columns.name = names
    return m


# ----------------------------------------------------------------------------- questions


ATTENDED_COLUMNS = ["agency", "sessions", "type"]
SPOKEN_COLUMNS = ["agency", "turns", "chars", "people"]


def participation_frame(attended: pd.DataFrame, spoken: pd.DataFrame, total: int) -> pd.DataFrame:
    """`participation_by_agency` from its aggregates: `attended` [agency, sessions, type] and
    `spoken` [agency, turns, chars, people] (one row per agency each), `total` characters."""
    attended, spoken = plain(attended, ATTENDED_COLUMNS), plain(spoken, SPOKEN_COLUMNS)
    out = attended.set_index("agency").join(spoken.set_index("agency"), how="outer")
    out.index.name = "agency"
    out = out.reset_index()
    out["sessions"] = out["sessions"].fillna(0).astype(int)
    out["type"] = out["type"].fillna("unknown")
    for col in ("turns", "chars", "people"):
        out[col] = out[col].fillna(0).astype(int)
    out["share_of_voice"] = out["chars"] / total if total else 0.0
    out = out.sort_values(["sessions", "chars", "agency"], ascending=[False, False, True])
    cols = ["agency", "type", "sessions", "turns", "chars", "share_of_voice", "people"]
    return out[cols].reset_index(drop=True)


def participation_by_agency(tables: ProgrammeTables) -> pd.DataFrame:
    """Per agency (canonical): sessions attended, turns, characters spoken, share of voice, people.

    share_of_voice is the agency's characters over all characters spoken (turns without an agency
    count in the total, so shares add up to less than 1 when villagers speak for themselves);
    people counts distinct named speakers attributed to the agency. `type` is the agency's type
    as first found (lowest session, then order in the session).
    """
    t = records_only(tables)
    a = t.agencies.drop_duplicates(["session_id", "canonical"])
    attended = (
        a.groupby("canonical")
        .agg(sessions=("session_id", "nunique"), type=("type", "first"))
        .rename_axis("agency")
        .reset_index()
    )
    turns = t.turns
    spoken = (
        turns.dropna(subset=["agency_canonical"])
        .groupby("agency_canonical")
        .agg(turns=("seq", "size"), chars=("chars", "sum"), people=("speaker", "nunique"))
        .rename_axis("agency")
        .reset_index()
    )
    return participation_frame(
        attended[ATTENDED_COLUMNS], spoken[SPOKEN_COLUMNS], int(turns["chars"].sum())
    )


ROLE_COLUMNS = ["speaker_role", "turns", "chars", "people"]


def role_frame(by_role: pd.DataFrame, total: int) -> pd.DataFrame:
    """`share_of_voice_by_role` from [speaker_role, turns, chars, people] (one row per role)."""
    g = plain(by_role, ROLE_COLUMNS).set_index("speaker_role").astype(int)
    order = [r for r in ROLE_ORDER if r in g.index] + sorted(set(g.index) - set(ROLE_ORDER))
    g = g.reindex(order)
    g["share_of_voice"] = g["chars"] / total if total else 0.0
    g.index.name = "speaker_role"
    return g.reset_index()[["speaker_role", "turns", "chars", "share_of_voice", "people"]]


def share_of_voice_by_role(tables: ProgrammeTables) -> pd.DataFrame:
    """Turns, characters and share of voice per speaker role (community members, officials, …)."""
    turns = records_only(tables).turns
    g = (
        turns.groupby("speaker_role")
        .agg(turns=("seq", "size"), chars=("chars", "sum"), people=("speaker", "nunique"))
        .reset_index()
    )
    return role_frame(g, int(turns["chars"].sum()))


def agency_theme_matrix(tables: ProgrammeTables, top: int = 15) -> pd.DataFrame:
    """Sessions per (agency, theme) for the `top` agencies and themes: agencies as rows."""
    t = records_only(tables)
    agencies, themes = _top_agencies(t, top), _top_themes(t, top)
    a = t.agencies.loc[t.agencies["canonical"].isin(agencies), ["session_id", "canonical"]]
    th = t.themes.loc[t.themes["theme"].isin(themes), ["session_id", "theme"]]
    long = pair_counts(a, th, ("agency", "theme"))
    return matrix_frame(long, agencies, themes, ("agency", "theme"))


def agency_coattendance(tables: ProgrammeTables, top: int = 15) -> pd.DataFrame:
    """Sessions each pair of the `top` agencies attended together (diagonal: sessions attended)."""
    t = records_only(tables)
    agencies = t.agencies.rename(columns={"canonical": "agency"})
    return together(agencies, "agency", _top_agencies(t, top), "other")


def trend_frame(per_month: pd.DataFrame, agencies: Iterable[str]) -> pd.DataFrame:
    """`agency_trend` from [month ('YYYY-MM'), agency, sessions]: per fiscal year, every year
    from the first to the last with a session, every agency of `agencies`, 0 where none."""
    agencies = list(agencies)
    per_month = plain(per_month, ["month", "agency", "sessions"])
    if per_month.empty or not agencies:
        return pd.DataFrame(columns=["fiscal_year", "agency", "sessions"])
    years = per_month["month"].map(fiscal_year_of_month)
    g = per_month.assign(fiscal_year=years).groupby(["fiscal_year", "agency"])["sessions"].sum()
    span = range(int(years.min()), int(years.max()) + 1)
    full = pd.MultiIndex.from_product([span, agencies], names=["fiscal_year", "agency"])
    g = g.reindex(full, fill_value=0).rename("sessions").reset_index()
    g["fiscal_year"] = g["fiscal_year"].astype(int)
    g["sessions"] = g["sessions"].astype(int)
    return g


def agency_trend(tables: ProgrammeTables, top: int = 6) -> pd.DataFrame:
    """Sessions attended per fiscal year for the `top` agencies. [fiscal_year, agency, sessions]."""
    t = records_only(tables)
    agencies = _top_agencies(t, top)
    a = t.agencies.loc[t.agencies["canonical"].isin(agencies), ["session_id", "canonical"]]
    dated = t.sessions.dropna(subset=["session_date"])
    months = pd.DataFrame(
        {"session_id": dated["session_id"], "month": month_text(dated["session_date"])}
    )
    long = pair_counts(months, a, ("month", "agency"))
    return trend_frame(long, agencies)
