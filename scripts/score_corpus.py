"""Extract every .txt of a golden folder and score it with shared/tools/score_records.py.

usage: python scripts/score_corpus.py [GOLDEN_DIR] [--misses]
Prints the scorer's field table (and the misses with --misses). The test suite calls
`score_corpus()` and fails below F1 0.9 on any field.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "tools" / "score_records.py"
sys.path.insert(0, str(ROOT))

from analysis.extract import extract  # noqa: E402
from analysis.text import read_text_file  # noqa: E402


def predictions(golden: Path) -> list[dict]:
    out = []
    for txt in sorted(golden.glob("*.txt")):
        if not txt.with_suffix(".json").exists():
            continue
        out.append({"file": txt.name, **extract(read_text_file(txt)).to_dict()})
    return out


def score_corpus(golden: Path, misses: bool = False) -> tuple[dict, str]:
    """(scores, printed output) of the scorer over the folder."""
    preds = predictions(golden)
    truth = tempfile.mkdtemp(prefix="sangkhro-truth-")
    for p in preds:  # only complete pairs (a .txt beside its .json) are scored
        name = Path(p["file"]).with_suffix(".json").name
        shutil.copy(golden / name, Path(truth) / name)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for p in preds:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
        path = fh.name
    try:
        cmd = [sys.executable, str(SCORER), path, truth] + (["--misses"] if misses else [])
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode:
            raise RuntimeError(f"scorer failed: {res.stderr.strip()[-800:]}")
    finally:
        os.unlink(path)
        shutil.rmtree(truth, ignore_errors=True)
    last = res.stdout.strip().splitlines()[-1]
    return json.loads(last), res.stdout


def field_table(scores: dict) -> str:
    """A readable table of the scorer's per-field precision, recall and F1."""
    rows = [f"{'field':<20} {'P':>6} {'R':>6} {'F1':>6}"]
    for k, v in scores.items():
        if isinstance(v, dict) and "F1" in v:
            rows.append(f"{k:<20} {v['P']:>6} {v['R']:>6} {v['F1']:>6}")
    rows.append(f"{'kind_macro_f1':<20} {'':>6} {'':>6} {scores['kind_macro_f1']:>6}")
    rows.append("accuracy: " + json.dumps(scores["accuracy"], ensure_ascii=False))
    return "\n".join(rows)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0]) if args else ROOT / "tests" / "golden"
    scores, out = score_corpus(folder, misses="--misses" in sys.argv)
    if "--misses" in sys.argv:
        print("\n".join(out.strip().splitlines()[:-1]))
    print(field_table(scores))
