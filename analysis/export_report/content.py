"""What every export shows, computed once from the filtered tables through `analysis.frames`.

The exports never reshape data themselves: each table and chart series comes from the same frames
function the dashboard calls for that chart or table, on the same filtered tables, so a number in
a slide, sheet or report equals the number on the dashboard. Frames are computed on first use
(a workbook needs the turns, a deck does not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from analysis import figures, frames
from analysis.filters import Filters, apply_filters
from analysis.i18n import Display, format_number
from analysis.tables import ProgrammeTables

from .labels import t

MAX_CHART_BARS = figures.MAX_BARS  # the dashboard's bar charts show the top 20; so do the slides


@dataclass
class ReportContent:
    """The filtered programme and its frames, with the display settings of the export."""

    all_tables: ProgrammeTables
    filters: Filters = field(default_factory=Filters)
    disp: Display = field(default_factory=Display)
    anonymise: bool = False
    today: date = field(default_factory=date.today)

    @property
    def lang(self) -> str:
        return self.disp.lang

    def t(self, key: str, **fmt) -> str:
        return t(key, self.lang, **fmt)

    @cached_property
    def tables(self) -> ProgrammeTables:
        return apply_filters(self.all_tables, self.filters)

    # ------------------------------------------------------------------ the dashboard's frames

    @cached_property
    def metrics(self) -> dict:
        return frames.overview_metrics(self.tables)

    @cached_property
    def participation(self) -> pd.DataFrame:
        return frames.participation_by_agency(self.tables)

    @cached_property
    def sessions_per_month(self) -> pd.DataFrame:
        return frames.sessions_per_month(self.tables)

    @cached_property
    def sessions_per_fiscal_year(self) -> pd.DataFrame:
        return frames.sessions_per_fiscal_year(self.tables)

    @cached_property
    def theme_counts(self) -> pd.DataFrame:
        return frames.theme_counts(self.tables)

    @cached_property
    def recommendations_by_category(self) -> pd.DataFrame:
        return frames.recommendations_by_category(self.tables)

    @cached_property
    def quotes(self) -> pd.DataFrame:
        """The Present page's quotes, with `who`: the speaker as the switch says (name or role),
        with the agency: ``คุณสุนันทา (พช.)`` / ``เจ้าหน้าที่รัฐ (พช.)``."""
        q = frames.presentation_quotes(self.tables)
        who = frames.speaker_display(q, self.anonymise, self.lang) if len(q) else []
        return q.assign(who=who)

    @cached_property
    def recommendations(self) -> pd.DataFrame:
        """Every recommendation with speaker, session and follow-up (the Recommendations page)."""
        return self._speakers(frames.recommendation_table(self.tables))

    @cached_property
    def sessions(self) -> pd.DataFrame:
        """The session list (the Sessions page), with head-count, fiscal year and venue added."""
        table = frames.session_table(self.tables)
        extra = self.tables.sessions[["session_id", "participant_count", "fiscal_year", "venue"]]
        table = table.merge(extra, on="session_id", how="left")
        cols = [
            "session_id",
            "session_date",
            "fiscal_year",
            "title",
            "province",
            "venue",
            "kind",
            "participant_count",
            "agencies",
            "n_turns",
            "n_recommendations",
            "review_state",
        ]
        return table[cols]

    @cached_property
    def turns(self) -> pd.DataFrame:
        """Every turn with its session's date and title, speakers as the switch says."""
        s = self.tables.sessions[["session_id", "session_date", "title"]]
        turns = self.tables.turns.merge(s, on="session_id", how="left")
        cols = [
            "session_id",
            "session_date",
            "title",
            "seq",
            "speaker",
            "agency",
            "speaker_role",
            "text",
            "chars",
        ]
        return self._speakers(turns[cols])

    def _speakers(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.anonymise and "speaker" in frame.columns:
            return frames.anonymise_speakers(frame, self.lang)
        return frame

    # ------------------------------------------------------------------ words about the programme

    @cached_property
    def programme(self) -> str:
        """The programme's name: the filter's, the only one in the data, or "all programmes"."""
        if self.filters.programme:
            return self.filters.programme
        names = self.tables.sessions["programme"].dropna().unique().tolist()
        if not names:  # nothing passed the filters: name the programme the data holds, if one
            names = self.all_tables.sessions["programme"].dropna().unique().tolist()
        if len(names) == 1:
            return str(names[0])
        return self.t("filter_all_programmes")

    @cached_property
    def period(self) -> tuple[date | None, date | None]:
        """First and last day a record session was held (None when no date is known)."""
        s = frames.records_only(self.tables).sessions["session_date"].dropna()
        if s.empty:
            return None, None
        return s.min().date(), s.max().date()

    @property
    def period_text(self) -> str:
        """``17 พ.ย. 2548 – 30 ก.ย. 2549`` (BE by default; one date when they are the same day)."""
        first, last = self.period
        if first is None:
            return self.t("period_unknown")
        if first == last:
            return self.disp.date(first)
        return f"{self.disp.date(first)} – {self.disp.date(last)}"

    @property
    def headline(self) -> str:
        """``44 เวที · ผู้เข้าร่วม 1,234 คน``."""
        m = self.metrics
        return self.t(
            "sessions_participants",
            sessions=format_number(m["sessions"]),
            participants=format_number(m["participants"]),
        )

    @property
    def participants_note(self) -> str:
        m = self.metrics
        return self.t(
            "participants_known",
            known=format_number(m["participants_known"]),
            total=format_number(m["sessions"]),
        )

    @property
    def filter_text(self) -> str:
        return filter_summary(self.filters, self.disp)

    @property
    def overview_text(self) -> str:
        m = self.metrics
        return self.t(
            "overview_text",
            period=self.period_text,
            **{
                k: format_number(m[k])
                for k in (
                    "sessions",
                    "participants",
                    "agencies",
                    "turns",
                    "recommendations",
                    "acted_on",
                )
            },
        )

    def status_counts_text(self) -> str:
        """``เสนอ 12 · เห็นชอบ 3 · …``: follow-up statuses of the recommendations, in order."""
        from analysis.tables import FOLLOWUP_STATUSES

        counts = self.recommendations["status"].value_counts()
        parts = [
            f"{self.disp.status(s)} {format_number(int(counts.get(s, 0)))}"
            for s in FOLLOWUP_STATUSES
            if counts.get(s, 0)
        ]
        return self.t("followup_status_line", counts=" · ".join(parts) or "–")

    def speaker_note(self) -> str | None:
        return self.t("speakers_anonymised") if self.anonymise else None


def agency_type_label(agency_type, lang: str = "th") -> str:
    """An agency type code as words (``government_department`` → ``หน่วยงานราชการ``), from the
    gazetteer; a code it does not know is shown as written."""
    from analysis import gazetteer

    code = str(agency_type or "unknown").strip().replace(" ", "_")
    try:
        return gazetteer.type_label(code, lang)
    except (ValueError, KeyError):
        return str(agency_type or "")


def filter_summary(filters: Filters, disp: Display) -> str:
    """The filters in force as one line: ``ปีงบประมาณ (ต.ค.–ก.ย.): ปีงบฯ 2549 · จังหวัด: น่าน``."""
    if filters.is_default():
        return t("filter_none", disp.lang)
    parts = []
    if filters.programme:
        parts.append(f"{disp.t('filter_programme')}: {filters.programme}")
    if filters.date_from or filters.date_to:
        span = f"{disp.date(filters.date_from) or '…'} – {disp.date(filters.date_to) or '…'}"
        parts.append(f"{t('period', disp.lang)}: {span}")
    if filters.fiscal_years:
        years = ", ".join(disp.fiscal_year(y) for y in filters.fiscal_years)
        parts.append(f"{disp.t('filter_fiscal_year')}: {years}")
    for name, key in (
        ("provinces", "filter_province"),
        ("agencies", "filter_agency"),
        ("themes", "filter_theme"),
    ):
        values = getattr(filters, name)
        if values:
            shown = [figures.theme_label(v, disp) for v in values] if name == "themes" else values
            parts.append(f"{disp.t(key)}: {', '.join(shown)}")
    if filters.kinds != Filters().kinds:
        parts.append(f"{disp.t('filter_kind')}: {', '.join(disp.kind(k) for k in filters.kinds)}")
    return " · ".join(parts)
