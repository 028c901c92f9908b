"""The overview page's questions over `ProgrammeTables`: headline numbers and sessions per
month, fiscal quarter, fiscal year and province.

Each is split in two so that the SQL answers (`analysis.store.questions.overview`) share the
shaping: an aggregate (`month_counts`: record sessions per calendar month that has any) that
SQL computes with GROUP BY, and a shape (`month_frame`, `quarter_frame`, `fiscal_year_frame`,
`grain_of`, `over_time_frame`, `province_frame`, `headline`) that turns the small aggregate
into what the page draws. Fiscal years and quarters are derived from the months (a session's
fiscal year and quarter depend on its month alone), so one GROUP BY serves every time chart.
"""

from __future__ import annotations

import pandas as pd

from analysis.frames import records_only
from analysis.tables import ACTED_ON, ProgrammeTables

SPARSE_SHARE = 0.75  # a grain is too fine when this share of its periods hold 0 or 1 session
TIME_GRAINS = ("month", "quarter", "fiscal_year")


def fiscal_quarter(dates: pd.Series) -> pd.Series:
    """Quarter of the Thai fiscal year (Oct–Dec is 1, Jan–Mar 2, Apr–Jun 3, Jul–Sep 4)."""
    return ((dates.dt.month - 10) % 12) // 3 + 1


# ----------------------------------------------------------------------------- shapes


def headline(
    *,
    sessions: int,
    participants: int,
    participants_known: int,
    agencies: int,
    recommendations: int,
    acted_on: int,
    turns: int,
    reviewed: int,
    others: int,
) -> dict[str, float]:
    """`overview_metrics` from its counts (the share reviewed is derived here)."""
    return {
        "sessions": int(sessions),
        "participants": int(participants) if sessions else 0,
        "participants_known": int(participants_known),
        "agencies": int(agencies),
        "recommendations": int(recommendations),
        "acted_on": int(acted_on),
        "turns": int(turns),
        "reviewed": int(reviewed),
        "reviewed_share": reviewed / sessions if sessions else 0.0,
        "others": int(others),
    }


def month_frame(counts: pd.Series) -> pd.DataFrame:
    """[month, sessions] from sessions per month (a Series on a monthly PeriodIndex), every
    month from the first to the last, empty months as 0."""
    if counts.empty:
        return pd.DataFrame({"month": pd.Series([], dtype="datetime64[ns]"), "sessions": []})
    full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({"month": full.to_timestamp(), "sessions": counts.to_numpy(dtype=int)})


def _fiscal_years(months: pd.PeriodIndex) -> list[int]:
    return [p.year + 543 + (1 if p.month >= 10 else 0) for p in months]


def _quarters(months: pd.PeriodIndex) -> list[int]:
    return [(p.month - 10) % 12 // 3 + 1 for p in months]


def fiscal_year_frame(counts: pd.Series) -> pd.DataFrame:
    """[fiscal_year, sessions] (Thai fiscal years, BE) from sessions per month, every year from
    the first to the last, empty years as 0."""
    if counts.empty:
        return pd.DataFrame({"fiscal_year": pd.Series([], dtype="Int64"), "sessions": []})
    per_year = counts.groupby(_fiscal_years(counts.index)).sum()
    full = range(int(per_year.index.min()), int(per_year.index.max()) + 1)
    per_year = per_year.reindex(full, fill_value=0)
    return pd.DataFrame({"fiscal_year": list(full), "sessions": per_year.to_numpy(dtype=int)})


def quarter_frame(counts: pd.Series) -> pd.DataFrame:
    """[fiscal_year, quarter, sessions] (fiscal quarters) from sessions per month, every quarter
    from the first to the last, empty quarters as 0."""
    cols = ["fiscal_year", "quarter", "sessions"]
    if counts.empty:
        return pd.DataFrame(columns=cols)
    per: dict[int, int] = {}
    for year, quarter, n in zip(
        _fiscal_years(counts.index), _quarters(counts.index), counts.tolist(), strict=True
    ):
        ordinal = year * 4 + quarter - 1
        per[ordinal] = per.get(ordinal, 0) + int(n)
    full = [(o // 4, o % 4 + 1) for o in range(min(per), max(per) + 1)]
    out = pd.DataFrame(full, columns=["fiscal_year", "quarter"])
    out["sessions"] = [per.get(y * 4 + q - 1, 0) for y, q in full]
    return out[cols]


def _sparse(counts: pd.Series) -> bool:
    return len(counts) > 1 and float((counts <= 1).mean()) >= SPARSE_SHARE


def grain_of(counts: pd.Series) -> str:
    """`time_grain` from sessions per month."""
    if not _sparse(month_frame(counts)["sessions"]):
        return "month"
    if not _sparse(quarter_frame(counts)["sessions"]):
        return "quarter"
    return "fiscal_year"


def over_time_frame(counts: pd.Series, grain: str = "auto") -> pd.DataFrame:
    """`sessions_over_time` from sessions per month."""
    if grain == "auto":
        grain = grain_of(counts)
    if grain == "month":
        out = month_frame(counts)
    elif grain == "quarter":
        out = quarter_frame(counts)
    elif grain == "fiscal_year":
        out = fiscal_year_frame(counts)
    else:
        raise ValueError(f"unknown grain {grain!r}; use 'auto' or one of {TIME_GRAINS}")
    out.attrs["grain"] = grain
    return out


def province_frame(counts: pd.Series, unknown: int) -> pd.DataFrame:
    """[province, sessions] from sessions per known province (most first, ties in order of
    first appearance) and the number whose province is unknown (a last row None)."""
    out = pd.DataFrame({"province": counts.index.tolist(), "sessions": counts.to_numpy(dtype=int)})
    if unknown:
        out = pd.concat([out, pd.DataFrame({"province": [None], "sessions": [unknown]})])
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- the questions


def month_counts(tables: ProgrammeTables) -> pd.Series:
    """Record sessions per calendar month that has any (a Series on a monthly PeriodIndex)."""
    dates = records_only(tables).sessions["session_date"].dropna()
    return dates.dt.to_period("M").value_counts()


def overview_metrics(tables: ProgrammeTables) -> dict[str, float]:
    """The headline numbers: sessions, participants, agencies, recommendations, acted on, reviewed.

    participants is the sum of stated head-counts (participants_known sessions state one);
    acted_on counts recommendations with status agreed, in progress or done; reviewed_share is
    the share of record sessions a person has reviewed; others counts texts of kind other.
    """
    others = int((~tables.sessions["is_record"]).sum())
    t = records_only(tables)
    s = t.sessions
    recs = t.recommendations
    return headline(
        sessions=len(s),
        participants=int(s["participant_count"].sum(skipna=True)) if len(s) else 0,
        participants_known=int(s["participant_count"].notna().sum()),
        agencies=int(t.agencies["canonical"].nunique()),
        recommendations=len(recs),
        acted_on=int(recs["status"].isin(ACTED_ON).sum()),
        turns=len(t.turns),
        reviewed=int((s["review_state"] == "reviewed").sum()),
        others=others,
    )


def sessions_per_month(tables: ProgrammeTables) -> pd.DataFrame:
    """Record sessions per calendar month, empty months as 0. [month, sessions]."""
    return month_frame(month_counts(tables))


def sessions_per_fiscal_year(tables: ProgrammeTables) -> pd.DataFrame:
    """Record sessions per Thai fiscal year (Oct-Sep, BE). [fiscal_year, sessions]."""
    return fiscal_year_frame(month_counts(tables))


def _sessions_per_quarter(tables: ProgrammeTables) -> pd.DataFrame:
    """Record sessions per fiscal quarter. [fiscal_year, quarter, sessions]."""
    return quarter_frame(month_counts(tables))


def time_grain(tables: ProgrammeTables) -> str:
    """The finest of month, quarter, fiscal year at which most periods hold more than one
    session: months when they do, else fiscal quarters, else fiscal years."""
    return grain_of(month_counts(tables))


def sessions_over_time(tables: ProgrammeTables, grain: str = "auto") -> pd.DataFrame:
    """Record sessions per period, empty periods as 0, at `grain` ("auto" picks `time_grain`).

    month: [month, sessions]; quarter: [fiscal_year, quarter, sessions] (fiscal quarters);
    fiscal_year: [fiscal_year, sessions]. `attrs["grain"]` says which.
    """
    return over_time_frame(month_counts(tables), grain)


def sessions_per_province(tables: ProgrammeTables) -> pd.DataFrame:
    """Record sessions per province, most first; unknown province (None) last.

    [province, sessions]
    """
    prov = records_only(tables).sessions["province"]
    return province_frame(prov.value_counts(dropna=True), int(prov.isna().sum()))
