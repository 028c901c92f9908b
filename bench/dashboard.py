"""Server-side render time of every dashboard page on programmes of 0, 1,000 and 10,000 sessions.

usage: python bench/dashboard.py [--sizes 0,1000,10000] [--runs 15] [--keep DIR]

For each size, a SQLite store is filled with a seeded synthetic programme
(`analysis.synthetic.fill_store`, the same generator the tests use; size 0 is an empty store with
the sample import switched off), then each page is run from app.py with Streamlit's AppTest:
once cold (fills the caches), then `--runs` times warm, each script run timed inside Streamlit's
script thread (AppTest's own bookkeeping left out). The best warm run is the page's render time
(as timeit reports: on a shared 2-core machine the median also carries other processes' load);
the median is printed beside it. Targets: every page under 1.5 s at 10,000 sessions, and no
more than 1.5x the same page on the empty store. Prints a table and exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = {
    "overview": "pages/overview.py",
    "sessions": "pages/sessions.py",
    "agencies": "pages/agencies.py",
    "themes": "pages/themes.py",
    "recommendations": "pages/recommendations.py",
    "import": "pages/import_review.py",
    "present": "pages/present.py",
}
LIMIT_S = 1.5
LIMIT_RATIO = 1.5


def build_store(folder: Path, n: int) -> str:
    """A store of `n` synthetic sessions (reused when `folder` already holds one)."""
    from analysis import store, synthetic

    path = folder / f"bench_{n}.db"
    url = f"sqlite:///{path}"
    engine = store.get_engine(url)
    have = store.count_sessions(engine)
    if have != n:
        engine.dispose()
        for p in folder.glob(f"bench_{n}.db*"):
            p.unlink()
        engine = store.get_engine(url)
        start = time.perf_counter()
        synthetic.fill_store(engine, n, seed=0)
        print(f"  filled {n:,} sessions in {time.perf_counter() - start:.0f} s", flush=True)
    engine.dispose()
    return url


def _run_like_a_server() -> None:
    """Make AppTest keep what a server keeps between runs, so that what is timed is the page.

    AppTest starts every run afresh: it forgets that st.navigation is in charge (so each run is
    treated as a process's first, in Streamlit's old pages/-folder mode, where the dashboard's
    self-repair reruns the page once) and it compiles the scripts again. A server does both once
    per process.
    """
    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    class ServerPagesManager(pages_manager.PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pages_manager.PagesManager.uses_pages_directory = False

    shared = ScriptCache()
    app_test.PagesManager = ServerPagesManager
    app_test.ScriptCache = lambda: shared


SCRIPT_SECONDS: list[float] = []


def _time_script_runs() -> None:
    """Record how long each script run takes inside Streamlit's script thread: the server-side
    render time, without AppTest's own polling and element-tree parsing around it."""
    from streamlit.runtime.scriptrunner import script_runner

    run_script = script_runner.ScriptRunner._run_script

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return run_script(self, *args, **kwargs)
        finally:
            SCRIPT_SECONDS.append(time.perf_counter() - start)

    script_runner.ScriptRunner._run_script = timed


def _run(at) -> float:
    SCRIPT_SECONDS.clear()
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return sum(SCRIPT_SECONDS)


def time_page(page: str, runs: int) -> tuple[float, float, float]:
    """(cold, best warm, median warm) seconds of one page's script run, from app.py."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    cold = _run(at)  # the default page: overview
    if page != "overview":
        at.switch_page(PAGES[page])
        cold = _run(at)
    warm = []
    for _ in range(runs):
        gc.collect()
        warm.append(_run(at))
    return cold, min(warm), statistics.median(warm)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,10000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", help="folder to keep (and reuse) the generated stores in")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    import streamlit as st

    _run_like_a_server()
    _time_script_runs()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="sangkhro_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SANGKHRO_SAMPLE"] = "0"
    results: dict[int, dict[str, tuple[float, float, float]]] = {}
    for n in sizes:
        print(f"{n:,} sessions", flush=True)
        os.environ["SANGKHRO_DATABASE_URL"] = build_store(folder, n)
        st.cache_data.clear()
        st.cache_resource.clear()
        results[n] = {}
        for page in PAGES:
            results[n][page] = time_page(page, args.runs)
            cold, best, median = results[n][page]
            print(
                f"  {page:16s} cold {cold:6.2f} s   warm best {best * 1000:5.0f} ms"
                f"   median {median * 1000:5.0f} ms",
                flush=True,
            )

    base = sizes[0]
    print()
    header = "page".ljust(16) + "".join(f"{n:>12,}" for n in sizes) + "   ratio"
    print(header + "   (best warm ms; ratio = largest / first size)")
    failed = False
    for page in PAGES:
        warm = [results[n][page][1] for n in sizes]
        ratio = warm[-1] / warm[0] if warm[0] else float("inf")
        ok = warm[-1] < LIMIT_S and (base != 0 or ratio <= LIMIT_RATIO)
        failed |= not ok
        cells = "".join(f"{w * 1000:12.0f}" for w in warm)
        print(f"{page:16s}{cells}   {ratio:5.2f}  {'ok' if ok else 'MISSED'}")
    print(
        f"\ntargets: < {LIMIT_S} s at {sizes[-1]:,} sessions and ≤ {LIMIT_RATIO}x the empty store"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
