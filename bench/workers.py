"""Import and re-extraction speed by number of extraction worker processes.

usage: python bench/workers.py [--files N] [--workers 1,2] [--seed S]

Writes N synthetic session texts (`analysis.synthetic.render_shaped`: minutes, blog pages,
excerpts) to a temporary folder, then for each worker count imports them into a fresh SQLite
store (`analysis.ingest.import_paths(..., workers=k)`, what `python -m analysis import
--workers k` runs: extraction in k worker processes, every write in this process) and runs
`store.re_extract(..., workers=k)` over that store. Prints files/s per worker count and the
speed-up over one worker (target: 2 workers at least 1.7x one worker).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import ingest, store  # noqa: E402
from analysis.synthetic import SHAPES, render_shaped, synthetic_sessions  # noqa: E402


def write_corpus(folder: Path, n: int, seed: int) -> None:
    for i, session in enumerate(synthetic_sessions(n, seed)):
        text = render_shaped(session, SHAPES[i % len(SHAPES)], seed)
        (folder / session["source_name"]).write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=600)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    print(f"{os.cpu_count()} cores; {args.files} files")
    rates: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="sangkhro-bench-workers-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, args.files, args.seed)
        for workers in counts:
            url = f"sqlite:///{Path(tmp) / f'store_{workers}.db'}"
            engine = store.get_engine(url)
            start = time.perf_counter()
            summary = ingest.import_paths(engine, [corpus], workers=workers)
            imported = time.perf_counter() - start
            start = time.perf_counter()
            result = store.re_extract(engine, workers=workers)
            again = time.perf_counter() - start
            engine.dispose()
            n = len(summary.imported)
            rates[workers] = (args.files / imported, result["total"] / again)
            print(
                f"workers {workers}: import {rates[workers][0]:6.1f} files/s ({n} stored), "
                f"re-extract {rates[workers][1]:6.1f} texts/s ({result['failed']} failed)",
                flush=True,
            )
    if 1 in rates:
        for workers, (imp, rex) in rates.items():
            if workers != 1:
                print(
                    f"speed-up with {workers} workers: import {imp / rates[1][0]:.2f}x, "
                    f"re-extract {rex / rates[1][1]:.2f}x (target for 2: >= 1.7x)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
