"""The Present mode's slides, decided here (no Streamlit): which slides a programme has and in
what order, what the key-number slide says with its context, how a quote is shown (speaker as
role + agency and the texts masked unless names may be shown), and how big a quote's type may be
so that it fits a 16:9 slide.

A deck is the key-number slide, one slide per chart of `CHARTS`, then one per quote of
`frames.presentation_quotes`. Everything returned is plain text for the page to show escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from analysis import frames, privacy
from analysis.export_report.content import filter_summary
from analysis.figures import category_label
from analysis.filters import Filters
from analysis.i18n import Display

# (frame of analysis.frames, figure builder of analysis.figures, title key): one slide each
CHARTS = (
    # months, fiscal quarters or fiscal years, whichever keeps the bars readable (frames.time_grain)
    ("sessions_over_time", "sessions_over_time_chart", "chart_sessions_over_time"),
    ("sessions_per_province", "sessions_per_province_chart", "chart_sessions_per_province"),
    ("participation_by_agency", "participation_chart", "chart_participation"),
    ("share_of_voice_by_role", "share_of_voice_by_role_chart", "chart_voice_by_role"),
    ("theme_counts", "theme_counts_chart", "chart_theme_counts"),
    ("recommendations_by_category", "recommendations_by_category_chart", "chart_recs_by_category"),
)
MAX_QUOTE_CHARS = 420  # longer quotes end with "…" (the whole text is on the session's page)


@dataclass(frozen=True)
class Slide:
    kind: str  # "numbers", "chart" or "quote"
    title_key: str
    frame: str | None = None  # chart slides: the frame and its figure builder
    builder: str | None = None
    quote: int | None = None  # quote slides: the row of the quotes frame


def deck(n_quotes: int) -> list[Slide]:
    """The slides in order: key numbers, the charts, the quotes."""
    return [
        Slide("numbers", "slide_summary"),
        *(Slide("chart", key, frame=name, builder=build) for name, build, key in CHARTS),
        *(Slide("quote", "slide_quote", quote=i) for i in range(n_quotes)),
    ]


def slide_title(slide: Slide, disp: Display, quotes: pd.DataFrame | None = None) -> str:
    """A slide's heading; a quote's says its recommendation category."""
    title = disp.t(slide.title_key)
    if slide.kind == "quote" and quotes is not None and slide.quote is not None:
        category = quotes.iloc[slide.quote]["category"]
        if category:
            title = f"{title} · {category_label(category, disp)}"
    return title


# ----------------------------------------------------------------------------- key numbers


@dataclass(frozen=True)
class KeyNumber:
    label: str
    value: str
    context: str


def _period(months: pd.DataFrame, disp: Display) -> str | None:
    held = months[months["sessions"] > 0]["month"] if len(months) else pd.Series([], dtype=object)
    if held.empty:
        return None
    first, last = disp.month(held.min()), disp.month(held.max())
    return first if first == last else f"{first} – {last}"


def key_numbers(
    metrics: Mapping, months: pd.DataFrame, provinces: pd.DataFrame, disp: Display
) -> list[KeyNumber]:
    """The programme in four numbers, each with the sentence that says what it counts.

    `metrics` is `frames.overview_metrics`, `months` `frames.sessions_per_month`, `provinces`
    `frames.sessions_per_province` (all of the same filtered programme)."""
    n = int(metrics["sessions"])
    period = _period(months, disp)
    n_provinces = int(provinces["province"].notna().sum()) if len(provinces) else 0
    if n == 0:
        where = disp.t("slide_ctx_no_sessions")
    else:
        where = disp.t("slide_ctx_provinces", n=n_provinces)
        where = f"{period} · {where}" if period else where
    recs, acted = int(metrics["recommendations"]), int(metrics["acted_on"])
    if recs and acted:
        followed = disp.t("slide_ctx_acted_on", n=acted, pct=round(100 * acted / recs))
    else:
        followed = disp.t("slide_ctx_no_follow_up")
    return [
        KeyNumber(disp.t("metric_sessions"), f"{n:,}", where),
        KeyNumber(
            disp.t("slide_participants"),
            f"{int(metrics['participants']):,}",
            disp.t("slide_ctx_participants", k=int(metrics["participants_known"]), n=n),
        ),
        KeyNumber(
            disp.t("metric_agencies"), f"{int(metrics['agencies']):,}", disp.t("slide_ctx_agencies")
        ),
        KeyNumber(disp.t("metric_recommendations"), f"{recs:,}", followed),
    ]


def key_numbers_note(metrics: Mapping, disp: Display, filters: Filters | None = None) -> str:
    """What the numbers are of and where they come from: the filters in force, how many records a
    person has reviewed, what is not counted."""
    n, reviewed = int(metrics["sessions"]), int(metrics["reviewed"])
    if reviewed:
        note = disp.t("slide_note_reviewed", k=reviewed, n=n)
    else:
        note = disp.t("slide_note_unreviewed")
    others = int(metrics.get("others") or 0)
    if others:
        note = f"{note} · {disp.t('slide_note_others', n=others)}"
    if filters is not None and not filters.is_default():
        note = f"{filter_summary(filters, disp)} · {note}"
    return note


# ----------------------------------------------------------------------------- quotes


@dataclass(frozen=True)
class QuoteView:
    text: str
    who: str
    session: str


def _shorten(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + " …"


def quote_view(
    quote: Mapping, disp: Display, show_names: bool, known_names: Iterable[str] = ()
) -> QuoteView:
    """One row of `frames.presentation_quotes` as a slide shows it: the words, who said them
    (role + agency, or the name when `show_names`) and the session (title · date).

    Unless `show_names`, every name in `known_names` and every title followed by a name is masked
    in the quote and the session title (`privacy.masker`), as a viewer sees them."""
    text, title = quote.get("text") or "", quote.get("title") or ""
    if not show_names:
        mask = privacy.masker(known_names)
        text, title = mask(text), mask(title)
    who = frames.speaker_display([dict(quote)], anonymise=not show_names, lang=disp.lang)[0]
    date = quote.get("session_date")
    when = disp.date(date) if date is not None and not pd.isna(date) else ""
    session = " · ".join(part for part in (_shorten(title, 120), when) if part)
    return QuoteView(_shorten(text), who, session)


def quote_size(text: str) -> float:
    """The quote's type size in vh (the slide's height): the longer the quote, the smaller, so
    that it fits a 16:9 slide at any resolution (measured in tests/test_present_browser.py)."""
    n = len(text)
    for limit, size in ((40, 8.0), (80, 7.0), (140, 6.0), (220, 5.0), (320, 4.2)):
        if n <= limit:
            return size
    return 3.6
