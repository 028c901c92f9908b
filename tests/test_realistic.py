"""The realistic development set (../shared/realistic), scored beside the golden corpus.

The set holds invented records shaped like real published ones (news items, blogs, minutes,
invitations, Q&A pages); its expected records follow ../shared/spec/record-format.md. The test
prints the field table and fails when a field falls below its floor in
tests/realistic_floors.json. Floors only rise: raise one when a change lifts the measured score
(to the measured value rounded down to 2 decimals), never lower one to let a change through.
Skipped with a reason where ../shared (beside the repository) is absent.
"""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REALISTIC = SHARED / "realistic"
SCORER = SHARED / "tools" / "score_records.py"
FLOORS = ROOT / "tests" / "realistic_floors.json"
sys.path.insert(0, str(ROOT / "scripts"))

from score_corpus import field_table, score_corpus  # noqa: E402

FIELDS = [
    "kind_macro_f1",
    "title",
    "session_date",
    "time_range",
    "venue",
    "participant_count",
    "agencies_loose",
    "speakers",
    "turns",
    "recommendations",
]


def _floors() -> dict[str, float]:
    data = json.loads(FLOORS.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def test_floors_file_names_every_field_once_within_zero_and_one():
    floors = _floors()
    assert sorted(floors) == sorted(FIELDS)
    for field, value in floors.items():
        assert isinstance(value, float) and 0.0 <= value <= 1.0, (field, value)
        assert round(value, 2) == value, f"{field}: floors are kept to 2 decimals"


def _score(scores: dict, field: str) -> float:
    return scores[field] if field == "kind_macro_f1" else scores[field]["F1"]


@pytest.mark.skipif(
    not (REALISTIC.is_dir() and SCORER.exists()),
    reason=f"realistic set or scorer absent ({REALISTIC}, {SCORER}): nothing to score",
)
def test_realistic_set_stays_at_or_above_its_floors(scores_report):
    scores, _ = score_corpus(REALISTIC)
    assert scores["files_predicted"] >= 70, "the realistic set lost its records"
    scores_report["realistic set (../shared/realistic)"] = field_table(scores)
    floors = _floors()
    low = {f: (_score(scores, f), floors[f]) for f in FIELDS if _score(scores, f) < floors[f]}
    assert not low, (
        f"fields below their floor (measured, floor): {low}\n{field_table(scores)}\n"
        "Fix the rule that fell; floors in tests/realistic_floors.json only rise."
    )
