"""The bundled sample programme read by the extractor, against facts counted by hand."""

import json
from pathlib import Path

import pytest

from analysis.extract import extract
from analysis.text import read_text_file

ROOT = Path(__file__).resolve().parents[1]
FACTS = json.loads((ROOT / "tests" / "sample_facts.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(FACTS["files"]), ids=lambda n: n.split("_")[0])
def test_sample_record_is_read_as_counted_by_hand(name):
    expected = FACTS["files"][name]
    rec = extract(read_text_file(ROOT / "data" / "sample" / name))
    got = {
        "kind": rec.kind,
        "session_date": rec.session_date,
        "participant_count": rec.participant_count,
        "province": rec.province,
        "n_turns": len(rec.turns),
    }
    assert got == {k: expected.get(k) for k in got}


def test_sample_totals_match_the_hand_count():
    records = [extract(read_text_file(p)) for p in sorted((ROOT / "data" / "sample").glob("*.txt"))]
    sessions = [r for r in records if r.kind != "other"]
    assert len(records) == FACTS["records"] and len(sessions) == FACTS["sessions"]
    assert sum(r.participant_count or 0 for r in sessions) == FACTS["participants_total"]
    written = {a for r in sessions for a in r.agencies}
    assert set(FACTS["agencies_at_least"]) <= written
