"""Import and re-extraction speed by number of extraction worker processes.

usage: python bench/workers.py [--files N] [--workers 1,2] [--rounds R] [--seed S]

Writes N (default 3,000) synthetic session texts (`analysis.synthetic.render_shaped`:
minutes, blog pages, excerpts) to a temporary folder, then for each worker count imports them
into a fresh SQLite store (`analysis.ingest.import_paths(..., workers=k)`, what `python -m
analysis import --workers k` runs: extraction in k worker processes, every write in this
process) and runs `store.re_extract(..., workers=k)` over that store, every stored extraction
first made to look stale so that every session is rewritten. The worker counts alternate for R
rounds (default 5) and each keeps its best rate (other load on a shared machine then slows all
counts alike). Prints files/s per worker count and the speed-up over one worker (target: 2
workers >= 1.7x one). Wall times need free cores; on a machine busy with other work they say
little, so the CPU seconds of this process (reading, duplicate checks, writes) and of its
workers (extraction) are printed too, per file, with the speed-up they allow on free cores:
(one worker's CPU) / max(this process's CPU, worker CPU / k, all CPU / cores).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from analysis import auth, ingest, store  # noqa: E402
from analysis import models as m  # noqa: E402
from analysis.synthetic import SHAPES, render_shaped, synthetic_sessions  # noqa: E402


def write_corpus(folder: Path, n: int, seed: int) -> None:
    for i, session in enumerate(synthetic_sessions(n, seed)):
        text = render_shaped(session, SHAPES[i % len(SHAPES)], seed)
        (folder / session["source_name"]).write_text(text, encoding="utf-8")


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _make_stale(engine) -> None:
    """Every stored extraction made to look like an older extractor's, so that re-extraction
    rewrites every session (what a new extractor version does), not only compares them."""
    with engine.begin() as conn:
        conn.execute(
            sa.update(m.sessions).values(
                extracted={"kind": "other", "extractor_version": "stale"}, extractor_version="stale"
            )
        )


def _spent(before: tuple[float, float], after: tuple[float, float]) -> tuple[float, float]:
    """CPU seconds (this process, its workers) between two `_cpu()` readings."""
    return after[0] - before[0], after[1] - before[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 3,000 files: each import runs 4-8 s, so what is measured is the steady state a large
    # import runs in; a 600-file import lasts about a second, much of it starting the workers
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    print(f"{os.cpu_count()} cores; {args.files} files")
    actor = auth.local_admin()  # re-extract is an admin command
    rates: dict[int, tuple[float, float]] = {}
    cpus: dict[str, dict[int, list[tuple[float, float]]]] = {"import": {}, "re-extract": {}}
    with tempfile.TemporaryDirectory(prefix="sangkhro-bench-workers-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, args.files, args.seed)
        for round_no in range(args.rounds):
            for workers in counts:
                url = f"sqlite:///{Path(tmp) / f'store_{round_no}_{workers}.db'}"
                engine = store.get_engine(url)
                cpu = _cpu()
                start = time.perf_counter()
                summary = ingest.import_paths(engine, [corpus], actor=actor, workers=workers)
                imported = time.perf_counter() - start
                cpus["import"].setdefault(workers, []).append(_spent(cpu, _cpu()))
                _make_stale(engine)
                after = _cpu()
                start = time.perf_counter()
                result = store.re_extract(engine, actor=actor, workers=workers)
                again = time.perf_counter() - start
                cpus["re-extract"].setdefault(workers, []).append(_spent(after, _cpu()))
                engine.dispose()
                rate = (args.files / imported, result["total"] / again)
                best = rates.get(workers, (0.0, 0.0))
                rates[workers] = (max(best[0], rate[0]), max(best[1], rate[1]))
                print(
                    f"round {round_no + 1}, workers {workers}: import {rate[0]:6.1f} files/s "
                    f"({len(summary.imported)} stored), re-extract {rate[1]:6.1f} texts/s "
                    f"({result['failed']} failed); CPU ms/file (this process + workers): "
                    + ", ".join(
                        f"{what} {1000 * runs[workers][-1][0] / args.files:.2f} + "
                        f"{1000 * runs[workers][-1][1] / args.files:.2f}"
                        for what, runs in cpus.items()
                    ),
                    flush=True,
                )
    cores = os.cpu_count() or 1
    for what, by_count in cpus.items():
        one = min(p + c for p, c in by_count.get(1, [(0.0, 0.0)]))
        for workers, runs in by_count.items():
            parent, children = min(runs, key=sum)  # the least disturbed run
            line = (
                f"{what} CPU with {workers} worker(s): this process {parent:.2f} s "
                f"({1000 * parent / args.files:.2f} ms/file), workers {children:.2f} s "
                f"({1000 * children / args.files:.2f} ms/file)"
            )
            if workers > 1 and parent:
                # each worker count needs its CPU time spread over the cores it may use
                bound = one / max(parent, children / workers, (parent + children) / cores)
                line += f"; speed-up possible on {min(cores, workers + 1)} free cores: {bound:.2f}x"
            print(line)
    if 1 in rates:
        for workers, (imp, rex) in rates.items():
            if workers != 1:
                print(
                    f"best rates: {workers} workers: import {imp:.1f} files/s, re-extract "
                    f"{rex:.1f} texts/s; one worker: {rates[1][0]:.1f}, {rates[1][1]:.1f}"
                )
                print(
                    f"speed-up with {workers} workers: import {imp / rates[1][0]:.2f}x, "
                    f"re-extract {rex / rates[1][1]:.2f}x (target for 2: >= 1.7x)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
