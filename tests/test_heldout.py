"""A blind held-out set (tests/heldout), scored in every run beside the realistic set.

Its 24 records were written (invented, in the shapes of ../shared/realistic/TRAITS.md, following
../shared/spec/record-format.md) by a team member who never saw the extractor's rules, while the
rules were being written by others who never saw these records. It measures how far the rules
carry to records nobody tuned them on; its floors (tests/heldout_floors.json) record the first
blind reading and only rise. A rule written because of one of these records' misses makes the set
less blind: say so in the commit, and prefer writing a fresh blind set.
"""

import json
from pathlib import Path

import pytest

from tests.test_realistic import FIELDS, SCORER, _score, field_table, score_corpus

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "heldout"
FLOORS = ROOT / "tests" / "heldout_floors.json"


def _floors() -> dict[str, float]:
    data = json.loads(FLOORS.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def test_heldout_records_are_complete_pairs_with_their_strings_in_the_text():
    pairs = sorted(HELDOUT.glob("*.txt"))
    assert len(pairs) >= 24
    for txt in pairs:
        expected = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        text = txt.read_text(encoding="utf-8")
        strings = [expected.get("title"), expected.get("venue")]
        strings += expected.get("agencies", []) + expected.get("recommendations", [])
        strings += [t["starts_with"] for t in expected.get("turns", [])]
        missing = [s for s in strings if s and s not in text]
        assert not missing, (txt.name, missing)


@pytest.mark.skipif(not SCORER.exists(), reason=f"scorer absent ({SCORER}): nothing to score")
def test_heldout_set_stays_at_or_above_its_floors(scores_report):
    scores, _ = score_corpus(HELDOUT)
    scores_report["blind held-out set (tests/heldout)"] = field_table(scores)
    floors = _floors()
    assert sorted(floors) == sorted(FIELDS)
    low = {f: (_score(scores, f), floors[f]) for f in FIELDS if _score(scores, f) < floors[f]}
    assert not low, f"fields below their floor (measured, floor): {low}\n{field_table(scores)}"
