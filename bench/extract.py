"""Extraction speed against one PyThaiNLP newmm pass over the same texts.

usage: python bench/extract.py [--files N] [--seed S] [--rounds R]

Builds a large corpus by recombining the paragraphs of the project's own invented records
(tests/golden, data/sample) with a seeded generator, warms both sides up, then times
`analysis.extract.extract` and `pythainlp.word_tokenize(engine="newmm")` (default dictionary)
over the same texts in the same run. Prints records/s, MB/s, the ratio extract/newmm (target
≤ 1.0) and the peak traced memory at N/4 and N files (target: flat, since files are streamed).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.extract import extract  # noqa: E402
from analysis.text import read_text_file  # noqa: E402


def source_paragraphs() -> list[list[str]]:
    docs = []
    for folder in (ROOT / "tests" / "golden", ROOT / "data" / "sample"):
        for path in sorted(folder.glob("*.txt")):
            docs.append([p for p in read_text_file(path).split("\n") if p.strip()])
    if not docs:
        raise SystemExit("no source texts found under tests/golden or data/sample")
    return docs


def generate(n: int, seed: int):
    """Yield n texts, one at a time (the corpus is never held in memory)."""
    rng = random.Random(seed)
    docs = source_paragraphs()
    for _ in range(n):
        base = rng.choice(docs)
        extra = rng.choice(docs)
        k = rng.randint(0, min(8, len(extra)))
        yield "\n".join(base[:3] + base[3:] + rng.sample(extra, k))


def run(fn, n: int, seed: int) -> tuple[float, int]:
    chars = 0
    start = time.perf_counter()
    for text in generate(n, seed):
        fn(text)
        chars += len(text.encode("utf-8"))
    return time.perf_counter() - start, chars


def peak_memory(n: int, seed: int) -> int:
    tracemalloc.start()
    for text in generate(n, seed):
        extract(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    from pythainlp import word_tokenize

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    def newmm(text: str):
        return word_tokenize(text, engine="newmm")

    run(extract, 20, args.seed + 1)  # warm-up: regexes, lexicon, gazetteer, codebook
    run(newmm, 20, args.seed + 1)  # warm-up: dictionary trie
    # alternate the two sides and keep each side's best round: other load on the machine
    # then slows both alike instead of skewing the ratio
    t_ex = t_nm = float("inf")
    for _ in range(args.rounds):
        t, size = run(extract, args.files, args.seed)
        t_ex = min(t_ex, t)
        t_nm = min(t_nm, run(newmm, args.files, args.seed)[0])
    mb = size / 1e6
    print(f"corpus: {args.files} records, {mb:.1f} MB (UTF-8)")
    print(f"extract: {args.files / t_ex:8.1f} records/s  {mb / t_ex:6.2f} MB/s  ({t_ex:.2f} s)")
    print(f"newmm:   {args.files / t_nm:8.1f} records/s  {mb / t_nm:6.2f} MB/s  ({t_nm:.2f} s)")
    ratio = t_ex / t_nm
    print(
        f"ratio extract/newmm: {ratio:.2f}  (target <= 1.0: {'met' if ratio <= 1.0 else 'NOT met'})"
    )
    small, large = (
        peak_memory(max(1, args.files // 4), args.seed),
        peak_memory(args.files, args.seed),
    )
    print(
        f"peak traced memory: {small / 1e6:.1f} MB at {args.files // 4} files, "
        f"{large / 1e6:.1f} MB at {args.files} files "
        f"(flat: {'yes' if large < small * 1.5 else 'NO'})"
    )


if __name__ == "__main__":
    main()
