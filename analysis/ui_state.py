"""Small non-Streamlit helpers the dashboard's UI layer needs (pages/_common.py caches them).

`store_version(engine)` is a cheap fingerprint of everything the dashboard shows: it changes
whenever a session is imported, corrected, re-extracted, reviewed or deleted, or a follow-up is
edited, by this process or any other (the CLI, another dashboard). The pages key their cached
tables on it, so an edit shows up on the next rerun without clearing caches by hand.

`url_int`, `url_date` and `url_notices` read the numbers and dates of a URL safely (below).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa

from analysis import models as m


def store_version(engine) -> str:
    """A string that changes whenever the store's content changes (one small query)."""
    s, c, f = m.sessions, m.corrections, m.followups
    query = sa.select(
        sa.select(sa.func.count(s.c.id)).scalar_subquery(),
        sa.select(sa.func.max(s.c.id)).scalar_subquery(),
        sa.select(sa.func.max(s.c.updated_at)).scalar_subquery(),
        sa.select(sa.func.count(s.c.reviewed_by)).scalar_subquery(),
        sa.select(sa.func.max(s.c.reviewed_at)).scalar_subquery(),
        sa.select(sa.func.max(c.c.id)).scalar_subquery(),
        sa.select(sa.func.count(f.c.id)).scalar_subquery(),
        sa.select(sa.func.max(f.c.updated_at)).scalar_subquery(),
    )
    with engine.connect() as conn:
        row = conn.execute(query).one()
    return "|".join("" if v is None else str(v) for v in row)


# ----------------------------------------------------------------------------- URL parameters
# A URL is user input: anyone can send a link with ?session=² or ?fy=99999999999999999999. The
# pages read their numbers through `url_int`, and `url_notices` says (Thai first) which values
# were ignored, so a bad link shows a notice and the page, never a traceback.

MAX_ID = 2**63 - 1  # the largest id either database can hold (BIGINT)
URL_INTS = {  # parameter → (smallest, largest) value a page accepts
    "session": (1, MAX_ID),
    "slide": (1, 100_000),
    "fy": (2400, 2800),  # fiscal years in the Buddhist era
}
URL_DATES = ("from", "to")
DATE_RANGE = (date(1900, 1, 1), date(2200, 12, 31))  # the sidebar's date pickers' range
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def url_int(raw, lo: int = 1, hi: int = MAX_ID) -> int | None:
    """A whole number from a URL, or None when it is missing, not plain ASCII digits, or out of
    [lo, hi]: ``url_int("12")`` → 12; ``url_int("²")``, ``url_int("1e3")``, ``url_int("-1")``,
    ``url_int("99999999999999999999999")`` → None."""
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw.strip()):
        return None
    value = int(raw.strip())
    return value if lo <= value <= hi else None


def url_date(raw) -> date | None:
    """An ISO date from a URL within the dashboard's range, else None."""
    try:
        value = date.fromisoformat(raw.strip()) if isinstance(raw, str) else None
    except ValueError:
        return None
    return value if value is not None and DATE_RANGE[0] <= value <= DATE_RANGE[1] else None


def bad_url_values(params: Mapping[str, str | list[str]]) -> dict[str, list[str]]:
    """The values of known numeric/date parameters that cannot be used, by parameter."""
    bad: dict[str, list[str]] = {}
    for name, raw in params.items():
        values = [raw] if isinstance(raw, str) else list(raw or ())
        if name in URL_INTS:
            lo, hi = URL_INTS[name]
            wrong = [v for v in values if url_int(v, lo, hi) is None]
        elif name in URL_DATES:
            wrong = [v for v in values if url_date(v) is None]
        else:
            continue
        if wrong:
            bad[name] = wrong
    return bad


def url_notice(name: str, value: str) -> str:
    """One line, Thai then English, for a URL value that was ignored (the value cut short)."""
    shown = value if len(value) <= 40 else value[:39] + "…"
    if name in URL_DATES:
        want_th, want_en = "วันที่แบบ 2006-11-17", "a date like 2006-11-17"
    elif name == "session":
        want_th, want_en = "เลขที่ของบันทึก (ตัวเลข)", "a session number"
    else:
        lo, hi = URL_INTS[name]
        want_th, want_en = f"ตัวเลข {lo}–{hi}", f"a number from {lo} to {hi}"
    return (
        f"ไม่ใช้ค่า {name}={shown!r} ในลิงก์ ต้องเป็น{want_th} "
        f"(ignored {name}={shown!r} in the link: it must be {want_en})"
    )


def url_notices(params: Mapping[str, str | list[str]]) -> list[str]:
    """Notices for every ignored URL value (see `url_notice`)."""
    return [url_notice(n, v) for n, values in bad_url_values(params).items() for v in values]


# ----------------------------------------------------------------------------- month choosers
# issue 12 — thai: the sidebar chooses dates as Buddhist-era months ("พ.ย. 2565"), not with a
# Gregorian calendar. A "from" chooser offers each month's first day, a "to" chooser its last
# day, so the Filters (and the URL) keep holding plain dates; a date from a link or a saved view
# that is not a month's first/last day stays offered, shown as that day.


def month_end(d: date) -> date:
    """The last day of `d`'s month: ``month_end(date(2024, 2, 10))`` → 2024-02-29."""
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def is_month_bound(d: date, end: bool) -> bool:
    """Whether `d` is its month's first day (end=False) or last day (end=True)."""
    return d == month_end(d) if end else d.day == 1


def month_choices(lo: date | None, hi: date | None, end: bool, *keep: date | None) -> list[date]:
    """The dates a month chooser offers, oldest first: the first (or, with `end`, last) day of
    every month from `lo`'s to `hi`'s, plus each date of `keep` (what the view already holds)."""
    out: set[date] = {d for d in keep if d is not None}
    if lo is not None and hi is not None and lo <= hi:
        y, m = lo.year, lo.month
        while (y, m) <= (hi.year, hi.month):
            first = date(y, m, 1)
            out.add(month_end(first) if end else first)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return sorted(out)


# ----------------------------------------------------------------------------- review flow
# issue 12 — thai: the review form shows its dates as the person reads them (17 พ.ย. 2565) and
# reads what they type in either era; "save and next" opens the next record of the queue.

FORM_DATE_FIELDS = ("session_date", "end_date")


def next_in_queue(queue: list[int], current: int) -> int | None:
    """The record to open after `current` is reviewed: the next one in queue order, else the
    first other one still waiting (the queue wraps round), else None when none is left."""
    rest = [sid for sid in queue if sid != current]
    if current in queue:
        after = queue[queue.index(current) + 1 :]
        rest = [sid for sid in after if sid != current] or rest
    return rest[0] if rest else None


def form_dates_shown(values: dict, lang: str = "th", era: str = "be") -> dict:
    """The review form's starting values with its ISO dates written as shown (17 พ.ย. 2565)."""
    from analysis.i18n import format_date

    out = dict(values)
    for name in FORM_DATE_FIELDS:
        if out.get(name):
            out[name] = format_date(out[name], lang, era)
    return out


def date_reworded(text: str, lang: str = "th", era: str = "be") -> str:
    """A typed date written again as shown in `lang`/`era` (after the switch); text that is not
    a date is left as it is, for the person to see and fix."""
    from analysis.i18n import format_date, parse_date

    try:
        day = parse_date(text)
    except ValueError:
        return text
    return format_date(day, lang, era) if day else ""


def form_dates_typed(values: dict) -> dict:
    """The submitted form values with each typed date read back to ISO (either era, see
    `i18n.parse_date`; a date left as shown reads back to its stored value). Raises ValueError
    with the text that is not a date."""
    from analysis.i18n import parse_date

    out = dict(values)
    for name in FORM_DATE_FIELDS:
        typed = (out.get(name) or "").strip()
        try:
            day = parse_date(typed)
        except ValueError:
            raise ValueError(typed) from None
        out[name] = day.isoformat() if day else ""
    return out


def corrections_shown(corrections, disp):
    """A session's corrections table (`frames.corrections_table`) worded for `disp`: each field by
    its form label, a corrected date in the era shown (a copy; the table itself is not changed)."""
    from analysis.i18n import has_label

    out = corrections.copy()
    out["value"] = ["" if v is None or v == "None" else v for v in out["value"]]  # None: cleared
    dates = out["field"].isin(FORM_DATE_FIELDS)
    out.loc[dates, "value"] = [disp.date(v) for v in out.loc[dates, "value"]]
    out["field"] = [disp.t(f"field_{f}") if has_label(f"field_{f}") else f for f in out["field"]]
    return out


def label_in(label: str, lang: str) -> str:
    """A store label written "ไทย (english)" in one language: ``label_in("นำเข้า (import)", "en")``
    → ``'Import'``; Thai keeps the whole label (Thai first, the English in brackets)."""
    match = re.fullmatch(r"(.+?) \((.+)\)", label)
    if lang == "th" or not match:
        return label
    return match[2][:1].upper() + match[2][1:]
