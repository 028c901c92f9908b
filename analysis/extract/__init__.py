"""Text → SessionRecord, following shared/spec/record-format.md. One module per field family:

dates (session and end date), header (title, time range, venue, count, province), turns,
agencies, recommendations, kind; themes and recommendation categories come from the codebook,
canonical agencies from the gazetteer.
"""

from __future__ import annotations

from analysis import codebook, gazetteer
from analysis.extract.agencies import find_agencies
from analysis.extract.dates import find_dates, session_dates
from analysis.extract.header import participant_count, province, time_range, title, venue
from analysis.extract.kind import classify, held_evidence
from analysis.extract.layout import Layout
from analysis.extract.recommendations import find_recommendations
from analysis.extract.turns import find_turns
from analysis.record import SessionRecord
from analysis.text import clean

EXTRACTOR_VERSION = "1.0.0"


def _date_offset(text: str, iso: str | None) -> int | None:
    if not iso:
        return None
    for m in find_dates(text):
        if m.first and m.first.isoformat() == iso:
            return m.start
    return None


def extract(text: str) -> SessionRecord:
    """Read one decoded Thai session record into a SessionRecord (spec fields + derived)."""
    text = clean(text)
    layout = Layout(text)
    head = title(layout)
    start, end = session_dates(text, layout)
    near = _date_offset(text, start)
    place, place_at = venue(text, layout, near)
    count = participant_count(text, layout)
    times = time_range(text, near)
    turns = find_turns(text, layout, head)
    recs = find_recommendations(text, layout)
    kind = classify(
        text,
        layout,
        head,
        turns,
        held_evidence(text, start, place, count),
        anchored=bool(place or times or count),
    )
    themes = tuple(codebook.find_themes(text))
    categories = tuple(tuple(codebook.categorise_recommendation(r)) for r in recs)
    if kind == "other":
        return SessionRecord(
            kind=kind,
            title=head,
            recommendations=tuple(recs),
            themes=themes,
            recommendation_categories=categories,
            extractor_version=EXTRACTOR_VERSION,
        )
    venue_span = (place_at, place_at + len(place) + 8) if place and place_at is not None else None
    agencies = find_agencies(text, layout, turns, venue_span, recs)
    return SessionRecord(
        kind=kind,
        title=head,
        session_date=start,
        time_range=times,
        venue=place,
        participant_count=count,
        agencies=tuple(agencies),
        turns=tuple(turns),
        recommendations=tuple(recs),
        themes=themes,
        agencies_canonical=tuple(gazetteer.resolve(a) for a in agencies),
        recommendation_categories=categories,
        end_date=end,
        province=province(text, place, near),
        extractor_version=EXTRACTOR_VERSION,
    )
