"""Recommendation categories against a hand-labelled table, and their reach on real-shaped records.

`tests/recommendation_labels.csv` holds hand labels (golden recommendations by text, realistic
ones by file and index into their expected record, never their text). The codebook's categories
must be right where they are given (precision >= 0.85 over the table) and must reach >= 80% of
the recommendations the extractor finds in `../shared/realistic` with a category that is not a
catch-all (issue 9).
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

import pytest

from analysis import codebook
from analysis.extract import extract
from analysis.text import read_text_file

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "recommendation_labels.csv"
GOLDEN = ROOT / "tests" / "golden"
REALISTIC = ROOT.parent / "shared" / "realistic"
MIN_PRECISION = 0.85
MIN_COVERAGE = 0.80


@lru_cache(maxsize=1)
def _rows() -> tuple[dict, ...]:
    with LABELS.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return tuple(csv.DictReader(lines))


def _labels(row: dict) -> set[str]:
    return {c for c in row["categories"].split(";") if c}


def _text(row: dict) -> str | None:
    """The recommendation a row labels, or None when its record is not available here."""
    if row["source"] == "golden":
        return row["text"]
    path = REALISTIC / f"{row['file']}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))["recommendations"][int(row["index"])]


def _catch_alls() -> set[str]:
    return {c["id"] for c in codebook.categories() if c.get("catch_all")}


def test_table_is_large_and_uses_known_categories() -> None:
    rows = _rows()
    assert len(rows) >= 120
    known = set(codebook.category_ids())
    for row in rows:
        assert row["source"] in ("golden", "realistic"), row
        assert _labels(row) <= known, (row["file"], _labels(row) - known)
        if row["source"] == "realistic":
            assert not row["text"], "realistic recommendations are identified by index only"
            assert row["index"].isdigit(), row


def test_golden_rows_are_golden_recommendations() -> None:
    for row in _rows():
        if row["source"] == "golden":
            expected = json.loads((GOLDEN / f"{row['file']}.json").read_text(encoding="utf-8"))
            assert row["text"] in expected["recommendations"], row


def category_precision() -> tuple[float, int, int]:
    """(precision, correct, given) of the codebook's categories over the labelled rows present."""
    correct = given = 0
    for row in _rows():
        text = _text(row)
        if text is None:
            continue
        got = set(codebook.categorise_recommendation(text))
        correct += len(got & _labels(row))
        given += len(got)
    return (correct / given if given else 0.0), correct, given


def test_category_precision_against_the_table() -> None:
    precision, correct, given = category_precision()
    assert given >= 100, f"only {given} categories given over the table"
    assert precision >= MIN_PRECISION, f"precision {precision:.3f} ({correct}/{given})"


def realistic_coverage() -> tuple[float, int, int]:
    """(share, categorised, found) of the extractor's realistic recommendations with a category
    other than a catch-all."""
    catch_all = _catch_alls()
    found = categorised = 0
    for txt in sorted(REALISTIC.glob("*.txt")):
        record = extract(read_text_file(txt))
        for cats in record.recommendation_categories:
            found += 1
            categorised += bool(set(cats) - catch_all)
    return (categorised / found if found else 0.0), categorised, found


def test_realistic_recommendations_are_categorised() -> None:
    if not REALISTIC.is_dir():
        pytest.skip(f"{REALISTIC} is absent (the shared development records)")
    share, categorised, found = realistic_coverage()
    assert found >= 100
    assert share >= MIN_COVERAGE, f"{categorised}/{found} = {share:.3f} categorised"


if __name__ == "__main__":
    print("precision %.3f (%d/%d)" % category_precision())
    if REALISTIC.is_dir():
        print("coverage %.3f (%d/%d)" % realistic_coverage())
