"""The one set of filters every page shares, how they cut the tables, and how they live in a URL.

A `Filters` value is frozen and hashable. `apply_filters(tables, filters)` keeps the sessions that
pass every filter and restricts all the other tables to them. `to_query_params()` /
`from_query_params()` round-trip through URL query parameters, so a copied link reproduces the
view: ``?fy=2549&province=นครศรีธรรมราช&agency=กรมการพัฒนาชุมชน``.

Semantics (each filter left empty means "no restriction"):
- programme: the session's programme equals it.
- date_from / date_to: the session's first day lies in the range (inclusive); sessions without a
  known date are left out once either bound is set.
- fiscal_years: Thai government fiscal years (1 Oct – 30 Sep) in the Buddhist era, e.g. 2549 runs
  from 2005-10-01 to 2006-09-30.
- provinces, kinds: the session's value is one of them (no kind chosen means every kind).
- agencies: the session had at least one of these agencies (canonical names) present.
- themes: the session has at least one of these themes.
The default kinds are the two record kinds; texts of kind ``other`` are kept in the store and only
shown when the kind filter asks for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from urllib.parse import urlencode

import pandas as pd

from analysis.record import KINDS
from analysis.tables import RECORD_KINDS, ProgrammeTables
from analysis.ui_state import URL_INTS, url_date, url_int

# Filters field → URL query parameter name. Lists repeat the parameter (?fy=2549&fy=2550).
QUERY_NAMES = {
    "programme": "programme",
    "date_from": "from",
    "date_to": "to",
    "fiscal_years": "fy",
    "provinces": "province",
    "agencies": "agency",
    "kinds": "kind",
    "themes": "theme",
}
DEFAULT_KINDS: tuple[str, ...] = tuple(RECORD_KINDS)


@dataclass(frozen=True)
class Filters:
    """What the user chose in the sidebar. Tuples keep it hashable (a cache key)."""

    programme: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    fiscal_years: tuple[int, ...] = ()
    provinces: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    kinds: tuple[str, ...] = DEFAULT_KINDS
    themes: tuple[str, ...] = ()

    def __post_init__(self):
        for name in ("fiscal_years", "provinces", "agencies", "kinds", "themes"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value or ()))
        if not self.kinds:  # nothing chosen means no restriction, like every other filter
            object.__setattr__(self, "kinds", tuple(KINDS))
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kind(s) {sorted(unknown)}; use {KINDS}")

    def is_default(self) -> bool:
        return self == Filters()

    def replace(self, **changes) -> Filters:
        return replace(self, **changes)

    def to_query_params(self) -> dict[str, list[str]]:
        """Non-default filters as URL query parameters (name → list of values)."""
        out: dict[str, list[str]] = {}
        default = Filters()
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            name = QUERY_NAMES[f.name]
            if isinstance(value, tuple):
                out[name] = [str(v) for v in value]
            elif isinstance(value, date):
                out[name] = [value.isoformat()]
            elif value is not None:
                out[name] = [str(value)]
        return out

    def key(self) -> str:
        """A stable string for this value (cache keys, links): the URL query string."""
        return urlencode(self.to_query_params(), doseq=True)

    @classmethod
    def from_query_params(cls, params: Mapping[str, str | list[str]]) -> Filters:
        """Read filters from query parameters, ignoring values that cannot be read.

        `params` maps a name to one value or a list of values (Streamlit's `query_params`
        `get_all` gives lists). A bad date or year (``?fy=²``, a date outside 1900–2200) is
        dropped rather than raising, because a URL is user input (`ui_state.url_notices` says
        which).
        """

        def values(name: str) -> list[str]:
            raw = params.get(name)
            if raw is None:
                return []
            items = [raw] if isinstance(raw, str) else list(raw)
            return [v.strip() for v in items if v is not None and str(v).strip()]

        def one_date(name: str) -> date | None:
            return next((url_date(v) for v in values(name)), None)

        lo, hi = URL_INTS["fy"]
        years = [y for v in values("fy") if (y := url_int(v, lo, hi)) is not None]
        kinds = tuple(k for k in values("kind") if k in KINDS) or DEFAULT_KINDS
        programme = values("programme")
        return cls(
            programme=programme[0] if programme else None,
            date_from=one_date("from"),
            date_to=one_date("to"),
            fiscal_years=tuple(sorted(set(years))),
            provinces=tuple(dict.fromkeys(values("province"))),
            agencies=tuple(dict.fromkeys(values("agency"))),
            kinds=tuple(k for k in KINDS if k in kinds),
            themes=tuple(dict.fromkeys(values("theme"))),
        )

    @classmethod
    def from_key(cls, key: str) -> Filters:
        from urllib.parse import parse_qs

        return cls.from_query_params(parse_qs(key))


def apply_filters(tables: ProgrammeTables, filters: Filters) -> ProgrammeTables:
    """The tables restricted to the sessions that pass every filter (see module docstring)."""
    keep = session_mask(tables, filters)
    if bool(keep.all()):
        return tables
    return tables.for_sessions(tables.sessions.loc[keep, "session_id"])


def session_mask(tables: ProgrammeTables, filters: Filters) -> pd.Series:
    """Which rows of `tables.sessions` pass every filter (a boolean Series on its index)."""
    s = tables.sessions
    keep = pd.Series(True, index=s.index)
    if filters.programme:
        keep &= s["programme"] == filters.programme
    if filters.date_from is not None:
        keep &= s["session_date"] >= pd.Timestamp(filters.date_from)
    if filters.date_to is not None:
        keep &= s["session_date"] <= pd.Timestamp(filters.date_to)
    if filters.fiscal_years:
        keep &= s["fiscal_year"].isin(list(filters.fiscal_years)).fillna(False).astype(bool)
    if filters.provinces:
        keep &= s["province"].isin(list(filters.provinces))
    if filters.kinds:
        keep &= s["kind"].isin(list(filters.kinds))
    if filters.agencies:
        a = tables.agencies
        ids = a.loc[a["canonical"].isin(list(filters.agencies)), "session_id"]
        keep &= s["session_id"].isin(ids)
    if filters.themes:
        th = tables.themes
        ids = th.loc[th["theme"].isin(list(filters.themes)), "session_id"]
        keep &= s["session_id"].isin(ids)
    return keep


def filter_options(tables: ProgrammeTables) -> dict[str, list]:
    """The values each filter can take in these tables (for the sidebar widgets)."""
    s = tables.sessions
    dates = s["session_date"].dropna()
    return {
        "programmes": sorted(s["programme"].dropna().unique().tolist()),
        "fiscal_years": sorted(int(y) for y in s["fiscal_year"].dropna().unique()),
        "provinces": sorted(s["province"].dropna().unique().tolist()),
        "agencies": _most_first(tables.agencies["canonical"]),
        "kinds": list(KINDS),
        "themes": _most_first(tables.themes["theme"]),
        "date_min": dates.min().date() if len(dates) else None,
        "date_max": dates.max().date() if len(dates) else None,
    }


def _most_first(values: pd.Series) -> list:
    """Distinct values, the most frequent first, ties in alphabetical order."""
    counts = values.value_counts()
    return sorted(counts.index.tolist(), key=lambda v: (-int(counts[v]), v))


def hidden_by_kind(tables: ProgrammeTables, filters: Filters) -> dict[str, int]:
    """Kind → how many stored texts pass every other filter but are hidden by the kind filter
    (with the default filter, the texts of kind ``other``: plans, invitations), so a page can
    say that they are hidden and offer to show them instead of hiding them silently."""
    kinds = tables.sessions.loc[session_mask(tables, filters.replace(kinds=tuple(KINDS))), "kind"]
    hidden = kinds[~kinds.isin(list(filters.kinds))]
    return {str(k): int(n) for k, n in hidden.value_counts().items()}
