"""Whole-process `python -m analysis extract` against a whole-process newmm run over the same files.

usage: python bench/cli.py [--files N] [--seed S] [--rounds R]

Writes N synthetic session texts (`analysis.synthetic`, the sample's shapes) to a temporary
folder, then runs, each in a fresh Python process, (a) ``python -m analysis extract --jsonl``
over all of them and (b) a script that reads each file and tokenises it with PyThaiNLP's newmm
(default dictionary). Both sides pay their own start-up and imports, which is the point: a
command should import only what it uses. The two sides alternate for R rounds and each keeps
its best wall time. Prints wall time, CPU time and peak RSS of each side and the ratio
extract/newmm (target <= 1.0).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NEWMM = """
import sys
from pythainlp import word_tokenize
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as fh:
        word_tokenize(fh.read(), engine="newmm")
"""


def write_corpus(folder: Path, n: int, seed: int) -> list[str]:
    from analysis.synthetic import render_text, synthetic_sessions

    paths = []
    for session in synthetic_sessions(n, seed):
        path = folder / session["source_name"]
        path.write_text(render_text(session), encoding="utf-8")
        paths.append(str(path))
    return paths


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KB) of one child process, via /usr/bin/time.

    (The rusage of a direct child would count this process's own memory, copied at fork.)
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-o", out.name, "-f", "%U %S %M", *cmd],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        if proc.returncode:
            raise SystemExit(f"{' '.join(cmd[:4])} failed with exit status {proc.returncode}")
        user, system, rss = out.read().split()[-3:]
    return wall, float(user) + float(system), int(rss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=600)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="sangkhro-bench-cli-") as tmp:
        paths = write_corpus(Path(tmp), args.files, args.seed)
        size = sum(os.path.getsize(p) for p in paths)
        sides = {
            "extract": [sys.executable, "-m", "analysis", "extract", "--jsonl", *paths],
            "newmm": [sys.executable, "-c", NEWMM, *paths],
        }
        best = {name: (float("inf"), 0.0, 0) for name in sides}
        for _ in range(args.rounds):
            for name, cmd in sides.items():
                result = timed(cmd)
                if result[0] < best[name][0]:
                    best[name] = result
    print(f"corpus: {args.files} files, {size / 1e6:.1f} MB (UTF-8), best of {args.rounds} rounds")
    for name, (wall, cpu, rss) in best.items():
        print(f"{name:8} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak RSS {rss / 1024:6.1f} MB")
    ratio = best["extract"][0] / best["newmm"][0]
    print(
        f"ratio whole-process extract/newmm: {ratio:.2f}  "
        f"(target <= 1.0: {'met' if ratio <= 1.0 else 'NOT met'}); by CPU time "
        f"{best['extract'][1] / best['newmm'][1]:.2f} (steadier on a shared machine)"
    )


if __name__ == "__main__":
    main()
