"""Concurrent writers: records/s with 1, 3 and 6 importers at once, and 3 importers with 3
re-extracts at once, on SQLite and PostgreSQL; every record must be stored exactly once.

usage: python bench/concurrency.py [--files N] [--postgres-url URL] [--writers 1,3,6]

For each backend and each writer count W, a fresh store gets W folders of N distinct synthetic
records (`analysis.synthetic.render_text`), and W ``python -m analysis import`` processes start
at the same moment. Then, on a store seeded with one folder, 3 importers and 3 ``re-extract``
processes run at once. Reported: wall time, records/s, exit codes, and whether every record is
in the store exactly once. PostgreSQL runs in a schema of its own on the server at
--postgres-url (default $SANGKHRO_TEST_POSTGRES_URL; skipped when neither is set), dropped after.
Exits 1 when any run loses or doubles a record or any process exits non-zero.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from analysis import models as m  # noqa: E402
from analysis import store, synthetic  # noqa: E402


def write_folders(root: Path, writers: int, files: int) -> list[Path]:
    sessions = synthetic.synthetic_sessions(writers * files, seed=11)
    folders = []
    for w in range(writers):
        folder = root / f"writer{w}"
        folder.mkdir(parents=True)
        for i in range(files):
            session = sessions[w * files + i]
            text = synthetic.render_text(session) + f"\n(แฟ้ม {w}-{i})\n"  # distinct texts
            (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
        folders.append(folder)
    return folders


def run_all(commands: list[list[str]], url: str) -> tuple[float, list[int]]:
    env = {k: v for k, v in os.environ.items() if k != store.ENV_DATABASE_URL}
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "analysis", *c, "--database-url", url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for c in commands
    ]
    codes = [p.wait() for p in procs]
    return time.perf_counter() - start, codes


def stored_names(url: str) -> list[str]:
    engine = store.get_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(m.sessions.c.source_name)).scalars().all()
    finally:
        engine.dispose()


class Stores:
    """Fresh empty stores on one backend (SQLite files, or PostgreSQL schemas dropped after)."""

    def __init__(self, backend: str, tmp: Path, postgres_url: str | None) -> None:
        self.backend, self.tmp, self.base, self.schemas = backend, tmp, postgres_url, []

    def new(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / f'{uuid.uuid4().hex}.db'}"
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(store.database_url(self.base))
        with admin.begin() as conn:
            conn.execute(sa.schema.CreateSchema(schema))
        admin.dispose()
        self.schemas.append(schema)
        url = sa.engine.make_url(store.database_url(self.base))
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
        new = url.render_as_string(hide_password=False)
        store.get_engine(new).dispose()  # the schema, before the writers race to create it
        return new

    def drop(self) -> None:
        if not self.schemas:
            return
        admin = sa.create_engine(store.database_url(self.base))
        with admin.begin() as conn:
            for schema in self.schemas:
                conn.execute(sa.schema.DropSchema(schema, cascade=True))
        admin.dispose()


def check(label: str, names: list[str], expected: list[str], codes: list[int], secs: float) -> bool:
    exactly_once = sorted(names) == sorted(expected)
    ok = exactly_once and not any(codes)
    print(
        f"{label:<32} {len(expected):>5} records {secs:7.1f} s {len(expected) / secs:8.1f} rec/s"
        f"  exit codes {codes}  every record once: {'yes' if exactly_once else 'NO'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=60, help="records per writer")
    parser.add_argument("--writers", default="1,3,6")
    parser.add_argument("--postgres-url", default=os.environ.get("SANGKHRO_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if args.postgres_url else [])
    if not args.postgres_url:
        print("PostgreSQL skipped: give --postgres-url or set SANGKHRO_TEST_POSTGRES_URL")
    ok = True
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for backend in backends:
            stores = Stores(backend, tmp, args.postgres_url)
            try:
                for writers in (int(w) for w in args.writers.split(",")):
                    root = tmp / f"{backend}-{writers}"
                    folders = write_folders(root, writers, args.files)
                    url = stores.new()
                    secs, codes = run_all([["import", str(f)] for f in folders], url)
                    expected = [f"{f.name}/{i:04d}.txt" for f in folders for i in range(args.files)]
                    label = f"{backend}: {writers} importer(s)"
                    ok &= check(label, stored_names(url), expected, codes, secs)
                root = tmp / f"{backend}-mixed"
                seed, *folders = write_folders(root, 4, args.files)
                url = stores.new()
                run_all([["import", str(seed)]], url)
                commands = [["import", str(f)] for f in folders] + [["re-extract"]] * 3
                secs, codes = run_all(commands, url)
                expected = [
                    f"{f.name}/{i:04d}.txt" for f in (seed, *folders) for i in range(args.files)
                ]
                label = f"{backend}: 3 importers + 3 re-extracts"
                ok &= check(label, stored_names(url), expected, codes, secs)
            finally:
                stores.drop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
