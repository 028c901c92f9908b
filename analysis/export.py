"""Data export for other tools: JSONL (faithful, re-importable), CSV and XLSX (tables).

Presentation files (slides, report workbooks) are the `report` command's business, not this
module's.

* ``jsonl``: one line per session with everything stored about it (`store.export_sessions`);
  importing it into an empty store gives the same store.
* ``csv``: the sessions table (effective fields, list fields one item per line, raw text) at
  `out`, and beside it ``<stem>.agencies.csv``, ``.turns.csv``, ``.recommendations.csv``,
  ``.recommendation_categories.csv``, ``.themes.csv``, ``.corrections.csv``. UTF-8 with BOM, so
  Excel shows Thai.
* ``xlsx``: the same tables as sheets of one workbook. A cell holds at most 32,767 characters
  (Excel's limit): longer texts are cut and flagged in a ``*_truncated`` column; use JSONL for the
  full texts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy.engine import Engine

from analysis import auth, privacy, store

FORMATS = ("jsonl", "csv", "xlsx")
XLSX_CELL_LIMIT = 32_767
LIST_JOIN = "\n"  # list cells: one item per line (ingest reads them back)
CATEGORY_JOIN = "|"


def export_data(
    engine: Engine, fmt: str, out: str | Path, programme: str | None = None, *, actor: auth.Actor
) -> list[Path]:
    """Write the store (or one programme) as `fmt` to `out`; returns the files written.

    As `actor`: JSONL (raw texts, who changed what) needs an editor; a viewer's CSV/XLSX is
    masked (`privacy.tables_for`) and has no raw text and no correction history. Audited.
    Raises ValueError for an unknown format, PermissionDenied for a viewer's JSONL.
    """
    if fmt not in FORMATS:
        raise ValueError(
            f"ไม่รู้จักรูปแบบ “{fmt}” ใช้ {' / '.join(FORMATS)} "
            f"(unknown export format “{fmt}”: use one of {', '.join(FORMATS)})"
        )
    needed = auth.Role.EDITOR if fmt == "jsonl" else auth.Role.VIEWER
    actor = auth.check(engine, actor, needed, f"ส่งออกข้อมูลแบบ {fmt} (export {fmt})")
    written = _export(engine, fmt, Path(out), programme, actor)
    names = [p.name for p in written]
    store.record_export(engine, actor, "data", format=fmt, programme=programme, files=names)
    return written


def _export(engine: Engine, fmt: str, out: Path, programme: str | None, actor) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        return [_write_jsonl(engine, out, programme)]
    tables = data_tables(engine, programme, actor=actor)
    if fmt == "csv":
        written = []
        for name, frame in tables.items():
            path = out if name == "sessions" else out.with_name(f"{out.stem}.{name}.csv")
            frame.to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
        return written
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in tables.items():
            _for_excel(frame).to_excel(writer, sheet_name=name, index=False)
    return [out]


def _write_jsonl(engine: Engine, out: Path, programme: str | None) -> Path:
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for line in store.export_sessions(engine, programme):
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=False))
            fh.write("\n")
    tmp.replace(out)  # no half-written export under the real name
    return out


def _dates(frame: pd.DataFrame, columns: tuple[str, ...], fmt: str) -> None:
    for col in columns:  # to_datetime: an empty column (no corrections yet) is no datetime column
        values = pd.to_datetime(frame[col], errors="coerce")
        frame[col] = values.dt.strftime(fmt).astype(object).where(values.notna(), None)


def data_tables(
    engine: Engine, programme: str | None = None, *, actor: auth.Actor
) -> dict[str, pd.DataFrame]:
    """The tables written by the CSV and XLSX exports, by name (sessions first), as `actor`
    may see them (a viewer's: masked, no raw_text column, no corrections)."""
    masked = privacy.is_masked_for(actor)
    tables = store.load_tables(engine, programme)
    if masked:
        tables = privacy.tables_for(actor, tables, store.user_names(engine))
    sessions = tables.sessions.copy()
    _dates(sessions, ("session_date", "end_date"), "%Y-%m-%d")
    _dates(sessions, ("reviewed_at", "imported_at"), "%Y-%m-%dT%H:%M:%S")
    ids = sessions["session_id"].tolist()

    def joined(frame: pd.DataFrame, column: str) -> pd.Series:
        grouped = frame.groupby("session_id", sort=False)[column].agg(
            lambda values: LIST_JOIN.join(str(v) for v in values)
        )
        return sessions["session_id"].map(grouped).fillna("")

    sessions["agencies"] = joined(tables.agencies, "as_written")
    sessions["recommendations"] = joined(tables.recommendations, "text")
    sessions["themes"] = joined(tables.themes, "theme")
    if not masked:
        sessions["raw_text"] = sessions["session_id"].map(store.raw_texts(engine, ids))

    recommendations = tables.recommendations.copy()
    recommendations["categories"] = recommendations["categories"].map(CATEGORY_JOIN.join)
    _dates(recommendations, ("due_date",), "%Y-%m-%d")
    corrections = pd.DataFrame(
        store.correction_history(engine, programme),
        columns=["session_id", "field", "value", "corrected_by", "corrected_at"],
    )
    corrections["value"] = corrections["value"].map(lambda v: json.dumps(v, ensure_ascii=False))
    _dates(corrections, ("corrected_at",), "%Y-%m-%dT%H:%M:%S")
    if masked:  # who changed what, and the values before: not for viewers
        corrections = corrections.iloc[:0]
    return {
        "sessions": sessions,
        "agencies": tables.agencies,
        "turns": tables.turns,
        "recommendations": recommendations,
        "recommendation_categories": tables.recommendation_categories,
        "themes": tables.themes,
        "corrections": corrections,
    }


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip characters Excel refuses and cut texts to its cell limit (flagged, not silent)."""
    frame = frame.copy()
    for col in list(frame.columns):
        if frame[col].dtype.kind not in ("O", "T") and str(frame[col].dtype) != "str":
            continue
        values = frame[col].map(
            lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
        )
        too_long = values.map(lambda v: isinstance(v, str) and len(v) > XLSX_CELL_LIMIT)
        if too_long.any():
            values = values.map(
                lambda v: (
                    v[: XLSX_CELL_LIMIT - 1] + "…"
                    if isinstance(v, str) and len(v) > XLSX_CELL_LIMIT
                    else v
                )
            )
            frame[f"{col}_truncated"] = too_long
        frame[col] = values
    return frame
