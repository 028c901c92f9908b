"""Extraction speed against one PyThaiNLP newmm pass over the same texts, and by text size.

usage: python bench/extract.py [--files N] [--seed S] [--rounds R]
       python bench/extract.py --sweep [--sizes 10k,100k,1m,5m,20m] [--budget SECONDS]
       python bench/extract.py --profile 1m [--no-breaks]

Builds a large corpus with a seeded generator: two texts in three recombine the paragraphs of
the project's own invented records (tests/golden, data/sample), the third is a synthetic session
written in one of the shapes of published records (`analysis.synthetic.render_shaped`: minutes
with a header, a blog page with site chrome, captions and reported speech, a bare narrated
excerpt). Warms both sides up, then times `analysis.extract.extract` and
`pythainlp.word_tokenize(engine="newmm")` (default dictionary) over the same texts in the same
run (the texts generated beforehand, outside the timings). Prints records/s, MB/s, the ratio
extract/newmm by wall time (target ≤ 1.0; issue 13 aims at 0.5) and by CPU time (steadier on a
shared machine), and the peak traced memory at N/4 and N files (target: flat, since files are
streamed).

`--sweep` times one extraction per size of a text made of the same corpus run together, with
its line breaks and with every line break replaced by a space, and prints the time per KB and
its ratio to the 10 KB figure (target: within 1.5× at every size, i.e. linear), then a one-line
worst case. Each size is timed in CPU seconds (steadier than wall time on a shared machine; the
extraction is single-threaded), best of at least two runs, the per-text caches emptied before
each; the ratio is to the first size of the same shape. A size whose predicted time (from the
growth between the two sizes before it) exceeds `--budget` seconds is not run; the table says
so and gives the prediction.
`--profile SIZE` prints the cProfile top of one such extraction.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.extract import extract  # noqa: E402
from analysis.extract.dates import find_dates  # noqa: E402
from analysis.text import read_text_file, thai_digits  # noqa: E402


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
    from analysis.synthetic import SHAPES, render_shaped, synthetic_sessions

    rng = random.Random(seed)
    docs = source_paragraphs()
    for i in range(n):
        if i % 3 == 2:
            session = synthetic_sessions(1, seed=seed * 100_003 + i, start_id=i)[0]
            yield render_shaped(session, SHAPES[(i // 3) % len(SHAPES)], seed)
            continue
        base = rng.choice(docs)
        extra = rng.choice(docs)
        k = rng.randint(0, min(8, len(extra)))
        yield "\n".join(base[:3] + base[3:] + rng.sample(extra, k))


def sized_text(size: int, breaks: bool, seed: int) -> str:
    """The corpus run together to `size` UTF-8 bytes; without breaks, one single line."""
    parts, total, n = [], 0, 0
    while total < size:
        for text in generate(50, seed + n):
            parts.append(text if breaks else text.replace("\n", " "))
            total += len(text.encode("utf-8")) + 1
            if total >= size:
                break
        n += 1
    text = ("\n" if breaks else " ").join(parts).encode("utf-8")[:size]
    return text.decode("utf-8", errors="ignore")


def parse_size(value: str) -> int:
    units = {"k": 1_000, "m": 1_000_000}
    value = value.strip().lower()
    return int(float(value[:-1]) * units[value[-1]]) if value[-1] in units else int(value)


def time_one(text: str, min_total: float = 0.5, min_runs: int = 2) -> float:
    """Best seconds of at least `min_runs` extractions of `text` (more while the total stays
    under `min_total`): the best run is the one least disturbed by other load on the machine.

    The per-text caches (dates found, Thai digits turned Arabic) are emptied before each run, so
    a repeat costs what a new text of that size costs and a small size is not flattered.
    """
    best, spent = float("inf"), 0.0
    runs = 0
    while spent < min_total or runs < min_runs:
        find_dates.cache_clear()
        thai_digits.cache_clear()
        start = time.process_time()
        extract(text)
        took = time.process_time() - start
        best, spent, runs = min(best, took), spent + took, runs + 1
    return best


def sweep(sizes: list[int], budget: float, seed: int) -> None:
    extract(sized_text(10_000, True, seed))  # warm-up: regexes, lexicon, gazetteer, codebook
    print(f"{'size':>8} {'shape':>10} {'CPU s':>9} {'ms/KB':>8} {'× 10 KB':>8}")
    worst = (0.0, "", 0)
    for breaks in (True, False):
        shape = "lines" if breaks else "one line"
        measured: list[tuple[int, float]] = []
        for size in sizes:
            if len(measured) >= 2:
                (s1, t1), (s2, t2) = measured[-2:]
                growth = max(1.0, math.log(max(t2, 1e-9) / max(t1, 1e-9)) / math.log(s2 / s1))
                predicted = t2 * (size / s2) ** growth
                if predicted > budget:
                    ratio = predicted / size / (measured[0][1] / measured[0][0])
                    print(
                        f"{size / 1e3:7.0f}K {shape:>10} {'skipped':>9} "
                        f"(predicted {predicted:,.0f} s, about {ratio:,.0f}× the 10 KB rate)"
                    )
                    worst = max(worst, (ratio, f"{shape}, predicted", size))
                    continue
            seconds = time_one(sized_text(size, breaks, seed))
            measured.append((size, seconds))
            per_kb = seconds / size * 1e6
            ratio = per_kb / (measured[0][1] / measured[0][0] * 1e6)
            if len(measured) > 1:  # the first size is the reference itself
                worst = max(worst, (ratio, shape, size))
            print(f"{size / 1e3:7.0f}K {shape:>10} {seconds:9.3f} {per_kb:8.3f} {ratio:8.2f}")
    ratio, shape, size = worst
    if not size:
        print("worst case: only one size measured, nothing to compare")
        return
    print(
        f"worst case: {ratio:.2f}× the 10 KB time per KB, at {size / 1e6:g} MB ({shape}) "
        f"(target <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})"
    )


def profile(size: int, breaks: bool, seed: int) -> None:
    import cProfile
    import pstats

    text = sized_text(size, breaks, seed)
    extract(sized_text(10_000, True, seed))
    prof = cProfile.Profile()
    prof.runcall(extract, text)
    pstats.Stats(prof).sort_stats("tottime").print_stats(15)


def run(fn, texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds `fn` takes over the texts (generated beforehand: generating a text
    costs about a tenth of a newmm pass, and timed with both sides it pulled the ratio towards 1).
    On a machine shared with other work, CPU time is the steadier of the two."""
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        fn(text)
    return time.perf_counter() - wall, time.process_time() - cpu


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
    ap.add_argument("--sweep", action="store_true", help="time per KB from 10 KB to 20 MB")
    ap.add_argument("--sizes", default="10k,100k,1m,5m,20m")
    ap.add_argument("--budget", type=float, default=300.0, help="seconds one size may take")
    ap.add_argument("--profile", metavar="SIZE", help="cProfile one extraction of this size")
    ap.add_argument("--no-breaks", action="store_true", help="--profile a single-line text")
    args = ap.parse_args()
    if args.sweep:
        sweep([parse_size(v) for v in args.sizes.split(",")], args.budget, args.seed)
        return
    if args.profile:
        profile(parse_size(args.profile), not args.no_breaks, args.seed)
        return

    def newmm(text: str):
        return word_tokenize(text, engine="newmm")

    warm = list(generate(20, args.seed + 1))
    run(extract, warm)  # warm-up: regexes, lexicon, gazetteer, codebook
    run(newmm, warm)  # warm-up: dictionary trie
    texts = list(generate(args.files, args.seed))  # a few MB; the memory test below streams
    size = sum(len(text.encode("utf-8")) for text in texts)
    # alternate the two sides and keep each side's best round: other load on the machine
    # then slows both alike instead of skewing the ratio
    t_ex = t_nm = c_ex = c_nm = float("inf")
    for _ in range(args.rounds):
        (wall, cpu), (wall_nm, cpu_nm) = run(extract, texts), run(newmm, texts)
        t_ex, c_ex, t_nm, c_nm = (
            min(t_ex, wall),
            min(c_ex, cpu),
            min(t_nm, wall_nm),
            min(c_nm, cpu_nm),
        )
    mb = size / 1e6
    print(f"corpus: {args.files} records, {mb:.1f} MB (UTF-8)")
    print(f"extract: {args.files / t_ex:8.1f} records/s  {mb / t_ex:6.2f} MB/s  ({t_ex:.2f} s)")
    print(f"newmm:   {args.files / t_nm:8.1f} records/s  {mb / t_nm:6.2f} MB/s  ({t_nm:.2f} s)")
    ratio = t_ex / t_nm
    print(
        f"ratio extract/newmm: {ratio:.2f}  (target <= 1.0: {'met' if ratio <= 1.0 else 'NOT met'})"
    )
    print(f"ratio by CPU time:   {c_ex / c_nm:.2f}  ({c_ex:.2f} s / {c_nm:.2f} s)")
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
