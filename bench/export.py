"""Facilitator exports at programme scale: time and peak memory of each format.

usage: python bench/export.py [--sessions N] [--seed S] [--formats xlsx,pptx,docx]
       python bench/export.py --store URL [--formats xlsx,pptx] [--data-formats jsonl,csv,xlsx]

Builds the programme tables of N synthetic sessions once (`analysis.synthetic`, no database),
then runs each export in a fresh child process that loads those tables and writes the file,
with the progress bar on stderr as the CLI draws it. Each child reports the export's wall time,
the process's resident memory with the tables loaded ("at start") and its peak during the export
(tables included: what a person's machine needs).
Targets at 10,000 sessions: XLSX and PPTX each under 20 s and 500 MB; exit status 1 when missed.
``docx`` adds the Word report (its chart pictures need Chromium; without it the report is
written without them).

``--store URL`` measures the command line instead, on a filled store (e.g. the 10,000-session
SQLite file `bench/dashboard.py --keep DIR` leaves, or a PostgreSQL URL): each
``python -m analysis report --format F`` and ``python -m analysis export --format F`` runs as
its own process under /usr/bin/time, whose peak RSS counts everything the command holds (store
read, tables, the file being written). Target: under 500 MB each.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 20.0
TARGET_MB = 500.0
TARGET_FORMATS = ("xlsx", "pptx")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Start the peak-RSS count afresh (Linux: writing 5 to clear_refs resets VmHWM), so the
    peak measured afterwards is the export's, not the unpickling's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def child(tables_path: str, fmt: str, out: str) -> None:
    """Load the tables, export `fmt` to `out`, print one JSON line with the measurements."""
    from analysis.__main__ import _ProgressBar
    from analysis.export_report import write_report

    with open(tables_path, "rb") as fh:
        tables = pickle.load(fh)
    gc.collect()
    loaded = _status_mb("VmRSS") or peak_mb()
    fresh = reset_peak()
    start = time.perf_counter()
    report = write_report(out, tables, fmt, progress=_ProgressBar(f"{fmt}"))
    seconds = time.perf_counter() - start
    peak = (_status_mb("VmHWM") if fresh else None) or peak_mb()
    print(
        json.dumps(
            {
                "format": fmt,
                "seconds": seconds,
                "peak_mb": peak,
                "tables_mb": loaded,
                "bytes": len(report.data),
                "notes": report.notes,
            }
        )
    )


def cli(url: str, formats: list[str], data_formats: list[str]) -> bool:
    """Time and peak RSS of the report and data-export commands on the store at `url`."""
    ok = True
    print(f"{'command':<22} {'time':>8} {'peak RSS':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("report", f, ["--out", str(Path(tmp) / f"report.{f}")]) for f in formats]
        runs += [("export", f, ["--out", str(Path(tmp) / f"data_{f}")]) for f in data_formats]
        for command, fmt, extra in runs:
            measure = Path(tmp) / "time.txt"
            run = subprocess.run(
                ["/usr/bin/time", "-o", str(measure), "-f", "%e %M"]
                + [sys.executable, "-m", "analysis", command, "--format", fmt]
                + extra
                + ["--database-url", url],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            if run.returncode:
                ok = False
                last = (run.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{command + ' ' + fmt:<22} FAILED (exit {run.returncode}): {last[:120]}")
                continue
            seconds, kb = measure.read_text().split()[-2:]
            mb = int(kb) / 1024
            ok &= mb < TARGET_MB
            print(
                f"{command + ' ' + fmt:<22} {float(seconds):7.1f}s {mb:8.0f} MB"
                f"  {'ok' if mb < TARGET_MB else 'OVER TARGET'}"
            )
    print(f"target: under {TARGET_MB:.0f} MB each: {'met' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default="xlsx,pptx")
    parser.add_argument("--store", metavar="URL", help="measure the CLI on this filled store")
    parser.add_argument("--data-formats", default="jsonl,csv,xlsx")
    parser.add_argument(
        "--child", nargs=3, metavar=("TABLES", "FORMAT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if args.store:
        split = [f.strip() for f in args.formats.split(",") if f.strip()]
        data = [f.strip() for f in args.data_formats.split(",") if f.strip()]
        return 0 if cli(args.store, split, data) else 1

    from analysis import synthetic

    start = time.perf_counter()
    tables = synthetic.synthetic_tables(args.sessions, seed=args.seed)
    print(
        f"{args.sessions:,} synthetic sessions ({len(tables.turns):,} turns, "
        f"{len(tables.recommendations):,} recommendations) in "
        f"{time.perf_counter() - start:.1f} s"
    )
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tables_path = Path(tmp) / "tables.pickle"
        with open(tables_path, "wb") as fh:
            pickle.dump(tables, fh)
        del tables
        print(f"{'format':<6} {'time':>8} {'peak RSS':>10} {'at start':>9} {'file':>10}")
        for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
            out = Path(tmp) / f"export.{fmt}"
            run = subprocess.run(
                [sys.executable, __file__, "--child", str(tables_path), fmt, str(out)],
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
            r = json.loads(run.stdout.strip().splitlines()[-1])
            within = r["seconds"] < TARGET_SECONDS and r["peak_mb"] < TARGET_MB
            if fmt in TARGET_FORMATS:
                ok &= within
            print(
                f"{fmt:<6} {r['seconds']:7.1f}s {r['peak_mb']:8.0f} MB {r['tables_mb']:6.0f} MB "
                f"{r['bytes'] / 1e6:7.1f} MB"
                + ("" if fmt not in TARGET_FORMATS else "  ok" if within else "  OVER TARGET")
            )
            for note in r["notes"]:
                print(f"       note: {note}")
    print(
        f"targets ({', '.join(TARGET_FORMATS)}): under {TARGET_SECONDS:.0f} s and "
        f"{TARGET_MB:.0f} MB each: {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
