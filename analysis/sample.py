"""The bundled sample programme: imported into an empty store on first run, through the real import,
then reviewed and followed up as its (invented) team did, so every page shows what it is for.

`ensure_sample(engine)` imports every ``*.txt`` under ``data/sample/`` with `ingest.import_paths`
(the same path as the dashboard's upload and the CLI), once: it does nothing when the store
already holds any session, so it never re-imports or duplicates (the store also refuses the same
text twice). Right after that import it applies ``data/sample/reviews.yaml`` (`apply_reviews`):
the records the team checked are corrected and marked reviewed, and their recommendations get
follow-ups in every status, with owners and notes, through the store's own calls
(`store.correct`, `store.set_followup`, `store.mark_reviewed`) as the app itself
(`auth.system_actor`), so each step is audited like a person's. Set ``SANGKHRO_SAMPLE=0`` to start
on an empty store instead (benchmarks, demos).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import yaml

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
REVIEWS_PATH = SAMPLE_DIR / "reviews.yaml"
SAMPLE_PROGRAMME = "โครงการบูรณาการเพื่อพัฒนาองค์กรการเงินชุมชน (ตัวอย่าง)"
ENV_SAMPLE = "SANGKHRO_SAMPLE"

log = logging.getLogger(__name__)


def sample_enabled() -> bool:
    """False when ``$SANGKHRO_SAMPLE`` is 0/false/no/off (the sample is then not imported)."""
    return os.environ.get(ENV_SAMPLE, "1").strip().lower() not in ("0", "false", "no", "off")


def sample_paths() -> list[Path]:
    """The sample record files (``*.txt``; the folder's README is no record), in name order."""
    return sorted(p for p in SAMPLE_DIR.glob("*.txt") if p.is_file())


def sample_reviews() -> dict[str, dict]:
    """Record file name → what its review did (``data/sample/reviews.yaml``, described there)."""
    with open(REVIEWS_PATH, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {name: review or {} for name, review in (data.get("reviewed") or {}).items()}


def _apply_review(engine, session_id: int, review: dict, actor) -> None:
    """Correct, follow up and mark one session reviewed; every text is checked before anything is
    written, so a review is applied whole or not at all."""
    from analysis import store

    dropped = set(review.get("not_recommendations") or ())
    completed = dict(review.get("completed") or {})
    followups = list(review.get("followups") or ())
    recs = store.get_session(engine, session_id)["record"]["recommendations"]
    fixed = [completed.get(r, r) for r in recs if r not in dropped]
    missing = (dropped | set(completed)) - set(recs)
    missing |= {f["recommendation"] for f in followups} - set(fixed)
    if missing:
        raise store.StoreError(
            f"ไม่พบข้อเสนอแนะเหล่านี้ในบันทึก (recommendations not in the record): {sorted(missing)}"
        )
    if fixed != recs:
        store.correct(engine, session_id, "recommendations", fixed, actor=actor)
    for f in followups:
        store.set_followup(
            engine,
            session_id,
            f["recommendation"],
            status=f["status"],
            owner_agency=f.get("owner"),
            due_date=f.get("due"),
            note=f.get("note"),
            actor=actor,
        )
    store.mark_reviewed(engine, session_id, actor=actor)


def apply_reviews(engine, session_ids: dict[str, int], actor) -> list[str]:
    """Apply `sample_reviews` to the sessions imported from those files (`session_ids`: file
    name → session id) as `actor`; returns what could not be applied, one message each (a file
    not imported, a recommendation text the extractor no longer gives), also logged."""
    from analysis import store

    problems = []
    for name, review in sample_reviews().items():
        try:
            if name not in session_ids:
                raise store.StoreError("ไม่ได้นำเข้าไฟล์นี้ (this file was not imported)")
            _apply_review(engine, session_ids[name], review, actor)
        except store.StoreError as exc:
            problems.append(f"{name}: {exc}")
            log.warning("sample review of %s not applied: %s", name, exc)
    return problems


def ensure_sample(engine, progress: Callable[[int, int, str], None] | None = None):
    """Import the sample programme into an empty store and apply its reviews; returns the import
    summary (a review that could not be applied is among its warnings), or None when nothing was
    done (sample disabled, no sample files, or the store already holds sessions)."""
    from analysis import auth, ingest, store

    if not sample_enabled() or store.count_sessions(engine) > 0:
        return None
    paths = sample_paths()
    if not paths:
        return None
    actor = auth.system_actor()
    summary = ingest.import_paths(
        engine, paths, programme=SAMPLE_PROGRAMME, progress=progress, actor=actor
    )
    ids = {r.source_name: r.session_id for r in summary.imported}
    summary.warnings += apply_reviews(engine, ids, actor)
    return summary
