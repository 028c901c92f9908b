"""The golden corpus and the seed record, scored with shared/tools/score_records.py."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SEED = ROOT.parent / "shared" / "seed"
SCORER = ROOT.parent / "shared" / "tools" / "score_records.py"
sys.path.insert(0, str(ROOT / "scripts"))

from score_corpus import field_table, score_corpus  # noqa: E402

F1_FIELDS = [
    "title",
    "session_date",
    "time_range",
    "venue",
    "participant_count",
    "agencies_strict",
    "agencies_loose",
    "speakers",
    "turns",
    "recommendations",
]
needs_scorer = pytest.mark.skipif(
    not SCORER.exists(), reason="../shared/tools/score_records.py not present"
)


def _pairs():
    return sorted(p for p in GOLDEN.glob("*.txt") if p.with_suffix(".json").exists())


def test_corpus_has_forty_records_in_varied_styles():
    pairs = _pairs()
    assert len(pairs) >= 40
    styles = {p.stem.split("_")[0] for p in pairs}
    assert {
        "news",
        "blog",
        "aar",
        "minutes",
        "transcript",
        "forum",
        "agenda",
        "announce",
        "opinion",
        "interview",
        "comment",
    } <= styles
    kinds = {json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["kind"] for p in pairs}
    assert kinds == {"transcript", "summary", "other"}


@pytest.mark.parametrize("path", _pairs(), ids=lambda p: p.stem)
def test_expected_strings_are_written_in_the_text(path):
    """Corpus integrity: every 'as written' value of an expected record is in its text."""
    text = path.read_text(encoding="utf-8")
    exp = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    written = [
        exp.get("title"),
        exp.get("venue"),
        *exp.get("agencies", []),
        *exp.get("recommendations", []),
    ]
    for turn in exp.get("turns", []):
        written += [turn["speaker"], turn.get("starts_with") or turn.get("text")]
    for value in filter(None, written):
        assert value in text, value


@needs_scorer
def test_golden_corpus_scores_at_least_point_nine_on_every_field(scores_report):
    scores, _ = score_corpus(GOLDEN)
    scores_report["golden corpus"] = field_table(scores)
    low = {f: scores[f]["F1"] for f in F1_FIELDS if scores[f]["F1"] < 0.9}
    if scores["kind_macro_f1"] < 0.9:
        low["kind_macro_f1"] = scores["kind_macro_f1"]
    assert not low, f"fields below F1 0.9: {low}\n{field_table(scores)}"


@needs_scorer
@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed not present")
def test_seed_record_scores_perfectly(tmp_path, scores_report):
    for f in SEED.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    scores, _ = score_corpus(tmp_path)
    scores_report["seed record"] = field_table(scores)
    for field in [
        "title",
        "session_date",
        "time_range",
        "venue",
        "participant_count",
        "agencies_strict",
        "speakers",
        "turns",
    ]:
        assert scores[field]["F1"] == 1.0, (field, scores[field])
    assert scores["kind_macro_f1"] == 1.0
    assert scores["recommendations"]["tp"] >= 4 and scores["recommendations"]["truth"] == 5
