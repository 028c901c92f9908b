"""The drill-down over `ProgrammeTables` (pandas): the sessions and quotes behind any clicked bar,
cell or point of the dashboard's charts.

Every value of a drill-down selects sessions by what they hold themselves (their themes,
agencies, date, province, recommendations' categories) and quotes each from its own turns and
recommendations, so the answer for the newest `limit` sessions is the answer over just those
sessions: `analysis.store.questions.drill` picks them in SQL and asks `drilldown` here about them.
"""

from __future__ import annotations

import pandas as pd

from analysis.frames import category_themes, fiscal_quarter, records_only, theme_cue_words
from analysis.frames.recommendations import _recommendation_speakers, in_category
from analysis.tables import ProgrammeTables

DRILL_COLUMNS = [
    "session_id",
    "session_date",
    "title",
    "province",
    "speaker",
    "agency",
    "speaker_role",
    "quote",
]


def drill_shape(rows: list[dict]) -> pd.DataFrame:
    """Drill-down rows (dicts) as a frame of one dtype per column, however few sessions there
    are (a page of sessions without titles is still a text column)."""
    out = pd.DataFrame(rows, columns=DRILL_COLUMNS)
    for col in DRILL_COLUMNS[2:]:
        out[col] = out[col].astype("str")
    out["session_id"] = out["session_id"].astype("int64")
    out["session_date"] = pd.to_datetime(out["session_date"]).astype("datetime64[us]")
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
    limit: int | None = None,
) -> pd.DataFrame:
    """The sessions and quotes behind a bar: sessions matching every given value, with quotes.

    `theme` and `with_theme` (a co-occurrence cell) must both be raised; `month` is any day of the
    month or a Timestamp string.

    Quotes are the session's turns that hold a cue word of the theme (a snippet around it), else
    its recommendations in a category of the theme; at most `per_session` per session, and a
    session without any quote is listed once with an empty quote. Sessions newest first; only
    the first `limit` of them when given.
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
    if limit is not None:
        sel = sel.head(limit)
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
    return drill_shape(rows)


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
    limit: int | None = None,
) -> pd.DataFrame:
    """The sessions and quotes behind any bar, cell or point of the dashboard's charts.

    With a theme, as `theme_drilldown` (turns holding its cue words, else its recommendations).
    Otherwise the quotes are the turns of `agency` (and `other_agency`: two agencies that sat
    together), every recommendation in `category` (as many as its bar counts), or the session's
    recommendations.
    `quarter` is a fiscal quarter of `fiscal_year`. Same columns as `theme_drilldown`; only the
    newest `limit` sessions when given (`drilldown_sessions` counts them all).
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

    if category is not None:  # "" is the recommendations with no category
        recs = t.recommendations
        has = recs["categories"].map(lambda cats: in_category(cats, category)).astype(bool)
        keep &= s["session_id"].isin(recs.loc[has, "session_id"])
    if theme or with_theme:
        ids = s.loc[keep, "session_id"]
        return theme_drilldown(
            t.for_sessions(ids), theme or with_theme, None, province, fiscal_year, month,
            with_theme if theme else None, per_session, limit,
        )  # fmt: skip
    base = theme_drilldown(t.for_sessions(s.loc[keep, "session_id"]), None, None, province,
                           fiscal_year, month, None, per_session, limit)  # fmt: skip
    if not (agency or category is not None) or base.empty:
        return base
    ids = base["session_id"].drop_duplicates().tolist()
    quotes: dict[int, list[dict]] = {}
    if category is not None:
        recs = t.recommendations[t.recommendations["session_id"].isin(ids)]
        recs = recs[recs["categories"].map(lambda cats: in_category(cats, category)).astype(bool)]
        for row, who in zip(
            recs.itertuples(index=False), _recommendation_speakers(recs, t.turns), strict=True
        ):
            quotes.setdefault(row.session_id, []).append({**who, "quote": row.text})
    else:
        turns = t.turns[t.turns["session_id"].isin(ids)]
        # the named agencies only: a turn of no agency is nobody's (isin would match None)
        spoken = turns[turns["agency_canonical"].isin([a for a in (agency, other_agency) if a])]
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
    own: dict[int, list[dict]] = {}  # session → its rows of `base`, in order
    for row in base.to_dict("records"):
        own.setdefault(row["session_id"], []).append(row)
    rows = []
    for sid, found_here in own.items():
        found = quotes.get(sid)
        if not found:  # the agency did not speak: the session's own quotes as before
            rows.extend(found_here)
            continue
        info = {k: found_here[0][k] for k in ("session_id", "session_date", "title", "province")}
        rows.extend({**info, **q} for q in found)
    return drill_shape(rows)


def drilldown_sessions(tables: ProgrammeTables, *args) -> int:
    """How many sessions `drilldown(tables, *args)` lists (without its `limit`)."""
    return int(drilldown(tables, *args[:10])["session_id"].nunique())
