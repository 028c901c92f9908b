"""The programme as pandas tables: the one shape that frames, figures and exports read.

The store produces a list of *effective session dicts* (extraction with human corrections applied)
and `tables_from_sessions` turns them into long tables. Pages and exports never see SQL; tests and
benchmarks can build the same tables straight from records without a database.

Effective session dict (input), keys:
    session_id int, programme str, source_name str, imported_at datetime | None,
    review_state "unreviewed" | "reviewed", reviewed_by str | None, reviewed_at datetime | None,
    record dict (SessionRecord.to_dict() shape, corrections applied),
    followups list[dict] parallel to record["recommendations"], each
        {recommendation_id int | None, status str, owner_agency str | None,
         due_date str | None, note str | None}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis import gazetteer

FOLLOWUP_STATUSES = ("proposed", "agreed", "in_progress", "done", "dropped")
ACTED_ON = ("agreed", "in_progress", "done")
RECORD_KINDS = ("transcript", "summary")

SESSION_COLUMNS = [
    "session_id",
    "programme",
    "source_name",
    "kind",
    "is_record",
    "title",
    "session_date",
    "end_date",
    "fiscal_year",
    "time_range",
    "venue",
    "province",
    "participant_count",
    "n_turns",
    "n_recommendations",
    "review_state",
    "reviewed_by",
    "reviewed_at",
    "imported_at",
]
AGENCY_COLUMNS = ["session_id", "as_written", "canonical", "abbreviation", "type"]
TURN_COLUMNS = [
    "session_id",
    "seq",
    "speaker",
    "agency",
    "agency_canonical",
    "speaker_role",
    "text",
    "chars",
]
RECOMMENDATION_COLUMNS = [
    "recommendation_id",
    "session_id",
    "seq",
    "text",
    "categories",
    "status",
    "owner_agency",
    "due_date",
    "note",
]
RECOMMENDATION_CATEGORY_COLUMNS = ["session_id", "seq", "category"]
THEME_COLUMNS = ["session_id", "theme"]


def fiscal_year_be(d: date | pd.Timestamp | None) -> int | None:
    """Thai government fiscal year (Oct-Sep) in the Buddhist era: 2022-10-01 → 2566."""
    if d is None or pd.isna(d):
        return None
    return d.year + 543 + (1 if d.month >= 10 else 0)


@dataclass(frozen=True)
class ProgrammeTables:
    """Long tables of a programme. Every table has a `session_id` to join on `sessions`.

    sessions: one row per stored text (kind `other` too; `is_record` False for those).
      session_date/end_date are pandas Timestamps (NaT when unknown); fiscal_year is the BE
      fiscal year (Int64); participant_count Int64.
    agencies: one row per (session, agency as written), with its gazetteer resolution.
    turns: one row per turn; `chars` = length of the speech (share of voice).
    recommendations: one row per recommendation with follow-up fields; `categories` is a
      tuple of codebook ids; recommendation_categories is the long form (one row per category).
    themes: one row per (session, theme label).
    """

    sessions: pd.DataFrame
    agencies: pd.DataFrame
    turns: pd.DataFrame
    recommendations: pd.DataFrame
    recommendation_categories: pd.DataFrame
    themes: pd.DataFrame

    def for_sessions(self, session_ids) -> ProgrammeTables:
        """The same tables restricted to the given session ids."""
        ids = set(session_ids)

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["session_id"].isin(ids)].reset_index(drop=True)

        return ProgrammeTables(*(keep(getattr(self, name)) for name in TABLE_NAMES))


def datetimes(values) -> pd.Series:
    """Dates and times as a datetime64[us] column whatever they hold (pandas infers the unit
    from the values: a column of only missing dates would otherwise be datetime64[s], and the
    tables of a few sessions would not concatenate or compare with the whole programme's)."""
    return pd.to_datetime(values, errors="coerce").astype("datetime64[us]")


TABLE_NAMES = (
    "sessions",
    "agencies",
    "turns",
    "recommendations",
    "recommendation_categories",
    "themes",
)


def _timestamp(value) -> pd.Timestamp:
    return pd.to_datetime(value, errors="coerce") if value else pd.NaT


def tables_from_sessions(sessions: list[dict]) -> ProgrammeTables:
    """Build the long tables from effective session dicts (see module docstring)."""
    s_rows, a_rows, t_rows, r_rows, rc_rows, th_rows = [], [], [], [], [], []
    for s in sessions:
        sid = s["session_id"]
        rec = s["record"]
        kind = rec.get("kind") or "other"
        start = _timestamp(rec.get("session_date"))
        recs = rec.get("recommendations") or []
        turns = rec.get("turns") or []
        s_rows.append(
            {
                "session_id": sid,
                "programme": s.get("programme"),
                "source_name": s.get("source_name"),
                "kind": kind,
                "is_record": kind in RECORD_KINDS,
                "title": rec.get("title"),
                "session_date": start,
                "end_date": _timestamp(rec.get("end_date")),
                "fiscal_year": fiscal_year_be(start),
                "time_range": rec.get("time_range"),
                "venue": rec.get("venue"),
                "province": rec.get("province"),
                "participant_count": rec.get("participant_count"),
                "n_turns": len(turns),
                "n_recommendations": len(recs),
                "review_state": s.get("review_state") or "unreviewed",
                "reviewed_by": s.get("reviewed_by"),
                "reviewed_at": s.get("reviewed_at"),
                "imported_at": s.get("imported_at"),
            }
        )
        canon = canonical_by_name(rec)
        for name in rec.get("agencies") or []:
            a_rows.append({"session_id": sid, **agency_entry(canon, name)})
        t_rows.extend(turn_row(sid, i, t, canon) for i, t in enumerate(turns))
        cats = rec.get("recommendation_categories") or []
        follow = s.get("followups") or []
        for i, text in enumerate(recs):
            f = follow[i] if i < len(follow) else {}
            c = tuple(cats[i]) if i < len(cats) else ()
            r_rows.append(
                {
                    "recommendation_id": f.get("recommendation_id"),
                    "session_id": sid,
                    "seq": i,
                    "text": text,
                    "categories": c,
                    "status": f.get("status") or "proposed",
                    "owner_agency": f.get("owner_agency"),
                    "due_date": _timestamp(f.get("due_date")),
                    "note": f.get("note"),
                }
            )
            rc_rows.extend({"session_id": sid, "seq": i, "category": cat} for cat in c)
        th_rows.extend({"session_id": sid, "theme": th} for th in rec.get("themes") or [])

    sessions_df = pd.DataFrame(s_rows, columns=SESSION_COLUMNS)
    for col in ("session_date", "end_date", "reviewed_at", "imported_at"):
        sessions_df[col] = datetimes(sessions_df[col])
    for col in ("fiscal_year", "participant_count"):
        sessions_df[col] = sessions_df[col].astype("Int64")
    sessions_df["is_record"] = sessions_df["is_record"].astype(bool)
    recs_df = pd.DataFrame(r_rows, columns=RECOMMENDATION_COLUMNS)
    recs_df["due_date"] = datetimes(recs_df["due_date"])
    return ProgrammeTables(
        sessions=sessions_df,
        agencies=pd.DataFrame(a_rows, columns=AGENCY_COLUMNS),
        turns=pd.DataFrame(t_rows, columns=TURN_COLUMNS),
        recommendations=recs_df,
        recommendation_categories=pd.DataFrame(rc_rows, columns=RECOMMENDATION_CATEGORY_COLUMNS),
        themes=pd.DataFrame(th_rows, columns=THEME_COLUMNS),
    )


def canonical_by_name(rec: dict) -> dict[str, dict]:
    """A record's agency resolutions keyed by the name as written."""
    return {a.get("as_written"): a for a in rec.get("agencies_canonical") or []}


def agency_entry(canon: dict[str, dict], name: str) -> dict:
    """One agency row's fields: the record's resolution of `name`, else the gazetteer's (a name
    without one, such as a reviewer's correction or an old record, is resolved here, so that
    every form of one body counts as that body)."""
    c = canon.get(name) or gazetteer.resolve(name)
    return {
        "as_written": name,
        "canonical": c.get("canonical") or name,
        "abbreviation": c.get("abbreviation"),
        "type": c.get("type") or "unknown",
    }


def canonical_agency(canon: dict[str, dict], agency: str | None) -> str | None:
    """The canonical name of a turn's agency: its record's resolution, else the gazetteer's."""
    if not agency:
        return agency
    return (canon.get(agency) or gazetteer.resolve(agency)).get("canonical") or agency


def turn_row(session_id: int, seq: int, turn: dict, canon: dict[str, dict]) -> dict:
    """One row of the turns table (TURN_COLUMNS, and the turn's `start` offset that the store
    keeps), from a record's turn and its agency resolutions (`canonical_by_name`)."""
    agency = turn.get("agency")
    text = turn.get("text") or ""
    return {
        "session_id": session_id,
        "seq": seq,
        "speaker": turn.get("speaker"),
        "agency": agency,
        "agency_canonical": canonical_agency(canon, agency),
        "speaker_role": turn.get("speaker_role") or "unknown",
        "text": text,
        "chars": len(text),
        "start": turn.get("start"),
    }
