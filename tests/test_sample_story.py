"""The bundled sample after its first run: imported, then reviewed and followed up as its team did
(data/sample/reviews.yaml), through the store's own calls as the app itself, each step audited.

Expected values are counted by hand in tests/sample_facts.json ("review"), never computed by the
code under test.
"""

from __future__ import annotations

from collections import Counter

import pytest

from analysis import auth, frames, sample, store
from tests.conftest import person, sample_facts

FACTS = sample_facts()
REVIEW = FACTS["review"]
ADMIN = person("admin@example.org", "admin")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('story') / 'store.db'}"
    eng = store.get_engine(url)
    summary = sample.ensure_sample(eng)
    assert summary is not None and len(summary.imported) == FACTS["records"]
    assert summary.warnings == [], summary.warnings  # every review of the file applied
    yield eng
    eng.dispose()


def ids(engine) -> dict[str, int]:
    s = store.load_tables(engine).sessions
    return dict(zip(s["source_name"], s["session_id"], strict=True))


def test_the_records_the_team_checked_are_reviewed_by_the_app(engine):
    s = store.load_tables(engine).sessions
    reviewed = s[s["review_state"] == "reviewed"]
    assert sorted(reviewed["source_name"]) == REVIEW["reviewed_files"]
    assert len(reviewed) == REVIEW["reviewed"]
    assert set(reviewed["reviewed_by"]) == {auth.SYSTEM_EMAIL}
    assert len(store.review_queue(engine)) == REVIEW["review_queue"]


def test_follow_ups_in_every_status_with_owner_and_note(engine):
    recs = store.load_tables(engine).recommendations
    followed = recs[recs["status"] != "proposed"]
    assert dict(Counter(followed["status"])) == REVIEW["followups"]
    assert set(REVIEW["followups"]) == {"agreed", "in_progress", "done", "dropped"}
    assert followed["owner_agency"].notna().sum() == REVIEW["followups_with_owner_and_note"]
    assert followed["note"].notna().sum() == REVIEW["followups_with_owner_and_note"]
    # follow-ups are set on the records the team checked only
    by_id = {v: k for k, v in ids(engine).items()}
    assert {by_id[i] for i in followed["session_id"]} <= set(REVIEW["reviewed_files"])


def test_the_overview_counts_acted_on_and_reviewed(engine):
    m = frames.overview_metrics(frames.records_only(store.load_tables(engine)))
    assert m["acted_on"] == REVIEW["acted_on"]
    assert m["reviewed"] == REVIEW["reviewed"]
    assert round(100 * m["reviewed_share"]) == REVIEW["reviewed_percent"]


def test_corrections_take_out_non_recommendations_and_complete_cut_ones(engine):
    corrected = []
    for name, sid in ids(engine).items():
        got = store.get_session(engine, sid)
        if not got["corrections"]:
            continue
        corrected.append(name)
        assert {c["field"] for c in got["corrections"]} == {"recommendations"}
        assert {c["corrected_by"] for c in got["corrections"]} == {auth.SYSTEM_EMAIL}
        extracted, now = got["extracted"]["recommendations"], got["record"]["recommendations"]
        for text in REVIEW["recommendations_taken_out"]:
            assert text not in now
        for cut, full in REVIEW["recommendations_completed"].items():
            assert cut not in now
            if cut in extracted:
                assert full in now and now.index(full) == extracted.index(cut)
    assert sorted(corrected) == REVIEW["corrected_files"]
    taken_out = set(REVIEW["recommendations_taken_out"])
    recs = store.load_tables(engine).recommendations["text"]
    assert not taken_out & set(recs)
    assert set(REVIEW["recommendations_completed"].values()) <= set(recs)


def test_every_step_is_audited_as_the_app(engine):
    trail = store.audit_trail(engine, ADMIN, user=auth.SYSTEM_EMAIL, limit=None)
    steps = Counter(e["action"] for e in trail if e["action"] != "import")
    assert dict(steps) == REVIEW["audited_steps"]
    assert sum(1 for e in trail if e["action"] == "import") == FACTS["records"]


def test_a_second_start_changes_nothing(engine):
    before = store.load_tables(engine).recommendations[["status", "owner_agency", "note"]]
    assert sample.ensure_sample(engine) is None
    after = store.load_tables(engine).recommendations[["status", "owner_agency", "note"]]
    assert before.equals(after)


def test_a_review_whose_text_is_gone_is_reported_and_not_half_applied(tmp_path, monkeypatch):
    eng = store.get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        name = "04_aar-khonkaen-savings.txt"
        path = next(p for p in sample.sample_paths() if p.name == name)
        from analysis import ingest

        ingest.import_paths(eng, [path], actor=auth.system_actor())
        sid = store.review_queue(eng)[0]["session_id"]
        review = {
            "not_recommendations": ["ต้องจดคำพูดจริง"],
            "followups": [{"recommendation": "ข้อเสนอที่ไม่มีในบันทึก", "status": "done"}],
        }
        monkeypatch.setattr(sample, "sample_reviews", lambda: {name: review, "99_gone.txt": {}})
        problems = sample.apply_reviews(eng, {name: sid}, auth.system_actor())
        assert len(problems) == 2
        assert problems[0].startswith(name) and "ข้อเสนอที่ไม่มีในบันทึก" in problems[0]
        assert problems[1].startswith("99_gone.txt")
        got = store.get_session(eng, sid)
        assert got["review_state"] != "reviewed" and got["corrections"] == []
        assert "ต้องจดคำพูดจริง" in got["record"]["recommendations"]
    finally:
        eng.dispose()


def test_the_readme_tells_the_hand_counted_story():
    from pathlib import Path

    readme = " ".join(
        (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8").split()
    )
    f = REVIEW["followups"]
    assert f"{REVIEW['reviewed']} of the {FACTS['sessions']} records" in readme
    assert f"({REVIEW['reviewed_percent']}%)" in readme
    assert f"{len(REVIEW['corrected_files'])} of them with corrected recommendation" in readme
    assert f"{sum(f.values())} recommendations carry a follow-up" in readme
    assert (
        f"{f['agreed']} agreed, {f['in_progress']} in progress, {f['done']} done, "
        f"{f['dropped']} dropped" in readme
    )
    assert f'"acted on" ({REVIEW["acted_on"]})' in readme
