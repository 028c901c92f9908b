"""The bundled sample programme: imported into an empty store on first run, through the real import.

`ensure_sample(engine)` imports every ``*.txt`` under ``data/sample/`` with `ingest.import_paths`
(the same path as the dashboard's upload and the CLI), once: it does nothing when the store
already holds any session, so it never re-imports or duplicates (the store also refuses the same
text twice). Set ``SANGKHRO_SAMPLE=0`` to start on an empty store instead (benchmarks, demos).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
SAMPLE_PROGRAMME = "โครงการบูรณาการเพื่อพัฒนาองค์กรการเงินชุมชน (ตัวอย่าง)"
ENV_SAMPLE = "SANGKHRO_SAMPLE"


def sample_enabled() -> bool:
    """False when ``$SANGKHRO_SAMPLE`` is 0/false/no/off (the sample is then not imported)."""
    return os.environ.get(ENV_SAMPLE, "1").strip().lower() not in ("0", "false", "no", "off")


def sample_paths() -> list[Path]:
    """The sample record files (``*.txt``; the folder's README is no record), in name order."""
    return sorted(p for p in SAMPLE_DIR.glob("*.txt") if p.is_file())


def ensure_sample(engine, progress: Callable[[int, int, str], None] | None = None):
    """Import the sample programme into an empty store; returns the import summary, or None when
    nothing was done (sample disabled, no sample files, or the store already holds sessions)."""
    from analysis import auth, ingest, store

    if not sample_enabled() or store.count_sessions(engine) > 0:
        return None
    paths = sample_paths()
    if not paths:
        return None
    return ingest.import_paths(
        engine, paths, programme=SAMPLE_PROGRAMME, progress=progress, actor=auth.system_actor()
    )
