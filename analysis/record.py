"""The session record: the spec's fields plus derived fields, as plain frozen dataclasses.

`SessionRecord.to_dict()` gives the JSON object of `shared/spec/record-format.md`; `from_dict`
reads it back (also hand-written expected records that give a turn's text as `starts_with`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

KINDS = ("transcript", "summary", "other")


@dataclass(frozen=True)
class Turn:
    """One speaker-attributed contribution: `speaker` and `agency` as written, `text` the speech."""

    speaker: str
    agency: str | None
    text: str
    speaker_role: str = "unknown"
    start: int | None = None  # character offset of the speech in the decoded text, when known


@dataclass(frozen=True)
class SessionRecord:
    """What one raw text says about one session (spec fields first, derived fields after)."""

    kind: str = "other"
    title: str | None = None
    session_date: str | None = None
    time_range: str | None = None
    venue: str | None = None
    participant_count: int | None = None
    agencies: tuple[str, ...] = ()
    turns: tuple[Turn, ...] = ()
    recommendations: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    # derived
    agencies_canonical: tuple[dict, ...] = ()
    recommendation_categories: tuple[tuple[str, ...], ...] = ()
    end_date: str | None = None
    province: str | None = None
    extractor_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the spec's field names (lists, not tuples)."""
        # field by field, not dataclasses.asdict: its deep copy cost a sixth of `extract`'s run
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["agencies"] = list(self.agencies)
        d["turns"] = [
            {
                f.name: getattr(t, f.name)
                for f in fields(t)
                if f.name != "start" or t.start is not None
            }
            for t in self.turns
        ]
        d["recommendations"] = list(self.recommendations)
        d["themes"] = list(self.themes)
        d["agencies_canonical"] = [dict(a) for a in self.agencies_canonical]
        d["recommendation_categories"] = [list(c) for c in self.recommendation_categories]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SessionRecord:
        """Build a record from a dict such as `to_dict()` output or an expected JSON file."""
        turns = tuple(
            Turn(
                speaker=t.get("speaker") or "",
                agency=t.get("agency"),
                text=t.get("text") or t.get("starts_with") or "",
                speaker_role=t.get("speaker_role") or "unknown",
                start=t.get("start"),
            )
            for t in d.get("turns") or []
        )
        count = d.get("participant_count")
        return cls(
            kind=d.get("kind") or "other",
            title=d.get("title"),
            session_date=d.get("session_date"),
            time_range=d.get("time_range"),
            venue=d.get("venue"),
            participant_count=int(count) if count is not None else None,
            agencies=tuple(d.get("agencies") or ()),
            turns=turns,
            recommendations=tuple(d.get("recommendations") or ()),
            themes=tuple(d.get("themes") or ()),
            agencies_canonical=tuple(dict(a) for a in d.get("agencies_canonical") or ()),
            recommendation_categories=tuple(
                tuple(c) for c in d.get("recommendation_categories") or ()
            ),
            end_date=d.get("end_date"),
            province=d.get("province"),
            extractor_version=d.get("extractor_version") or "",
        )
