"""Server-side render time and memory of every dashboard page at 1,000, 10,000 and 100,000 sessions.

usage: python bench/dashboard.py [--sizes 1000,10000,100000] [--runs 15] [--keep DIR]
                                [--postgres URL | --url URL] [--pages overview,themes]

For each size, a store is filled with a seeded synthetic programme (`analysis.synthetic.
fill_store`, the same generator the tests use; size 0 is an empty store with the sample import
switched off) and kept for the next run: a SQLite file in --keep DIR, or with --postgres URL a
schema ``bench_<size>`` in that PostgreSQL database (its count noted in --keep DIR). A store
filled elsewhere can be given with --url instead. Then each page is run
from app.py with Streamlit's AppTest, in this one process as a server would: first cold, with
every Streamlit cache emptied (the first render after the server starts), then `--runs` times
warm, each script run timed inside Streamlit's script thread (AppTest's own bookkeeping left
out). The best warm run is the page's render time (as timeit reports: on a shared 2-core
machine the median also carries other processes' load); the median is printed beside it. The
process's peak resident memory is reset before each page (`/proc/self/clear_refs`) and read
after it. Targets (issue 13): cold under 3 s, warm under 0.5 s, peak memory under 1 GB, at
every size. Prints a table and exits 1 when one is missed.
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
COLD_LIMIT_S = 3.0
WARM_LIMIT_S = 0.5
MEMORY_LIMIT_MB = 1024


def _postgres_schema_url(base: str, schema: str, fresh: bool) -> str:
    """The URL of `schema` in the PostgreSQL database at `base` (created; emptied if `fresh`)."""
    import sqlalchemy as sa

    from analysis import store

    base = store.database_url(base)
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        if fresh:
            conn.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))
        conn.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
    admin.dispose()
    url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


COPIED_TABLES = (
    "programmes",
    "agencies",
    "sessions",
    "corrections",
    "followups",
    "session_agencies",
    "turns",
    "recommendations",
    "recommendation_categories",
    "themes",
)


def copy_store(source_url: str, target_url: str, batch: int = 2000) -> None:
    """Copy a filled store's programme tables into an empty store of the same schema (a
    PostgreSQL one is filled this way from the SQLite one of the same size: generating 100,000
    sessions through the importer there takes hours on 2 cores; copying takes minutes)."""
    import sqlalchemy as sa

    from analysis import models as m
    from analysis import store

    source, target = store.get_engine(source_url), store.get_engine(target_url)
    with source.connect() as read, target.begin() as write:
        for name in COPIED_TABLES:
            table = m.metadata.tables[name]
            result = read.execution_options(stream_results=True).execute(sa.select(table))
            for rows in result.partitions(batch):
                write.execute(table.insert(), [row._asdict() for row in rows])
            if target.dialect.name == "postgresql" and "id" in table.c:
                last = sa.select(sa.func.coalesce(sa.func.max(table.c.id), 1)).scalar_subquery()
                sequence = sa.func.pg_get_serial_sequence(table.name, "id")
                write.execute(sa.select(sa.func.setval(sequence, last)))
    if target.dialect.name == "postgresql":
        with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    source.dispose()
    target.dispose()


def build_store(folder: Path, n: int, postgres: str | None = None) -> str:
    """A store of `n` synthetic sessions, reused when it is already complete: a SQLite file in
    `folder`, or (with `postgres`, a database URL) the schema ``bench_<n>`` of that database.

    A few generated texts are duplicates of others (the store keeps one copy), so a finished
    store holds fewer than `n` sessions: the number it holds is written in `folder` when filling
    ends, and a store is reused when it still holds exactly that many.
    """
    from analysis import store, synthetic

    path = folder / f"bench_{n}.db"
    done = folder / (f"bench_pg_{n}.count" if postgres else f"bench_{n}.count")
    url = _postgres_schema_url(postgres, f"bench_{n}", False) if postgres else f"sqlite:///{path}"
    engine = store.get_engine(url)
    have = store.count_sessions(engine)
    if not done.exists() or done.read_text().strip() != str(have):
        engine.dispose()
        done.unlink(missing_ok=True)
        if postgres:
            url = _postgres_schema_url(postgres, f"bench_{n}", True)
        else:
            for p in folder.glob(f"bench_{n}.db*"):
                p.unlink()
        engine = store.get_engine(url)
        start = time.perf_counter()
        if postgres:  # the same sessions as the SQLite store of this size, copied
            copy_store(build_store(folder, n), url)
        else:
            synthetic.fill_store(engine, n, seed=0)
        have = store.count_sessions(engine)
        done.write_text(str(have))
        print(f"  filled {have:,} sessions in {time.perf_counter() - start:.0f} s", flush=True)
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


def _count(url: str) -> int:
    """Sessions in the store at `url` (the size a --url run reports)."""
    from analysis import store

    engine = store.get_engine(url)
    try:
        return store.count_sessions(engine)
    finally:
        engine.dispose()


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak_memory() -> None:
    """Start a new peak (VmHWM) from the current resident size (Linux)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
        fh.write("5")


def time_page(page: str, runs: int) -> tuple[float, float, float, float]:
    """(cold, best warm, median warm) seconds of one page's script run, from app.py, with every
    cache emptied first, and the process's peak resident MB while it ran."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    gc.collect()
    _reset_peak_memory()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if page == "overview":
        cold = _run(at)
    else:  # open the page directly, as a bookmarked URL would
        at.switch_page(PAGES[page])
        cold = _run(at)
    warm = []
    for _ in range(runs):
        gc.collect()
        warm.append(_run(at))
    return cold, min(warm), statistics.median(warm), _status_mb("VmHWM")


def machine() -> str:
    """One line on what the figures were measured on: CPU, cores, memory, Python."""
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu
            )
        with open("/proc/meminfo", encoding="ascii") as fh:
            memory = f"{int(fh.readline().split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        memory = "memory unknown"
    return f"{cpu}, {os.cpu_count()} cores, {memory}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", help="folder to keep (and reuse) the generated stores in")
    parser.add_argument("--url", help="a filled store to measure instead of generated ones")
    parser.add_argument(
        "--postgres", help="a PostgreSQL database URL: generated stores go there, one schema each"
    )
    parser.add_argument("--pages", default=",".join(PAGES), help="pages to time (default: all)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if not args.url else [_count(args.url)]
    pages = [p for p in args.pages.split(",") if p]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown page(s) {sorted(unknown)}; pages: {', '.join(PAGES)}")

    _run_like_a_server()
    _time_script_runs()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="sangkhro_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SANGKHRO_SAMPLE"] = "0"
    print(machine(), flush=True)
    results: dict[int, dict[str, tuple[float, float, float, float]]] = {}
    for n in sizes:
        url = args.url or build_store(folder, n, args.postgres)
        os.environ["SANGKHRO_DATABASE_URL"] = url
        print(f"{n:,} sessions ({url.split('@')[-1]})", flush=True)
        results[n] = {}
        for page in pages:
            results[n][page] = time_page(page, args.runs)
            cold, best, median, peak = results[n][page]
            print(
                f"  {page:16s} cold {cold:6.2f} s   warm best {best * 1000:5.0f} ms"
                f"   median {median * 1000:5.0f} ms   peak RSS {peak:6.0f} MB",
                flush=True,
            )

    print()
    print("page".ljust(16) + "".join(f"{n:>26,}" for n in sizes) + "   (cold s / warm ms / MB)")
    failed = False
    for page in pages:
        cells = ""
        for n in sizes:
            cold, best, _, peak = results[n][page]
            ok = cold < COLD_LIMIT_S and best < WARM_LIMIT_S and peak < MEMORY_LIMIT_MB
            failed |= not ok
            cells += f"{cold:9.2f} {best * 1000:6.0f} {peak:6.0f} {'ok' if ok else '!!':>3}"
        print(f"{page:16s}{cells}")
    print(
        f"\ntargets: cold < {COLD_LIMIT_S} s, warm < {WARM_LIMIT_S * 1000:.0f} ms, "
        f"peak RSS < {MEMORY_LIMIT_MB} MB (!! = missed)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
