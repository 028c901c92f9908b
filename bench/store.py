"""Store read speed at programme scale: `load_tables` (SQL path) against the reference path.

usage: python bench/store.py [--sessions N] [--seed S] [--url URL]

Fills a fresh store (a temporary SQLite file, or the empty database/schema at --url, e.g. the
one scripts/start_postgres.sh prints) with N synthetic sessions (`analysis.synthetic.fill_store`),
then times, best of 3:
  * store.load_tables                 (materialised SQL tables → frames; target < 1 s at 10,000)
  * store.load_effective_sessions     (records with corrections applied)
  * tables_from_sessions(effective)   (the reference path load_tables must equal)
and checks the two table paths give equal frames.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis import store, synthetic  # noqa: E402
from analysis.tables import TABLE_NAMES, tables_from_sessions  # noqa: E402


def best_of(fn, repeat: int = 3):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--url", help="an EMPTY store to fill (default: a temporary SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = store.get_engine(url)
        if store.count_sessions(engine):
            raise SystemExit("the store at --url is not empty: give an empty database")
        start = time.perf_counter()
        added = synthetic.fill_store(engine, args.sessions, seed=args.seed)
        print(
            f"backend {engine.dialect.name}: filled {added:,} sessions in "
            f"{time.perf_counter() - start:.1f} s"
        )

        fast, tables = best_of(lambda: store.load_tables(engine))
        print(
            f"load_tables              {fast:6.3f} s  ({len(tables.turns):,} turns, "
            f"{len(tables.recommendations):,} recommendations)"
        )
        slow_read, sessions = best_of(lambda: store.load_effective_sessions(engine))
        print(f"load_effective_sessions  {slow_read:6.3f} s")
        build, reference = best_of(lambda: tables_from_sessions(sessions))
        print(
            f"tables_from_sessions     {build:6.3f} s  (reference total {slow_read + build:.3f} s)"
        )
        for name in TABLE_NAMES:
            pd.testing.assert_frame_equal(getattr(tables, name), getattr(reference, name))
        print("load_tables equals the reference path: yes")
        engine.dispose()
    return 0 if fast < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
