"""Time of each SQL question of the recommendations and present pages and of the drill-down.

usage: python bench/questions_recommendations.py STORE [--runs 3]

STORE is a SQLite file (opened read-only, never migrated or written: e.g. a store kept by
bench/dashboard.py --keep) or a database URL. Each question is asked with the default filters
as the pages ask it (the recommendation table and the similar groups one page of 50 rows, the
drill-down the newest 200 sessions behind a click), `--runs` times; the best time is printed
with the first (cold: the similar groups' grouping is cached after it) and the answer's size.
Aim (issue 13): each under about 0.5 s at 100,000 sessions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from analysis.filters import Filters  # noqa: E402
from analysis.store.questions import question, scope  # noqa: E402

PAGE = 50
DRILL_SESSIONS = 200  # pages/_drill.py TABLE_SESSIONS


def _engine(store: str) -> sa.Engine:
    if "://" in store:
        return sa.create_engine(store)
    path = Path(store).resolve()
    if not path.exists():
        raise SystemExit(f"no store at {path}: give a SQLite file or a database URL")
    return sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")


def _drill(**values) -> tuple:
    keys = ("theme", "agency", "province", "fiscal_year", "month", "with_theme")
    keys += ("other_agency", "quarter", "category")
    return tuple(values.get(k) for k in keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    engine = _engine(args.store)
    f = Filters()
    options = scope.filter_options(engine)
    categories = question("recommendations_by_category")(engine, f)["category"].tolist()
    category = categories[0] if categories else "local_wisdom"
    years = options["fiscal_years"] or [None]
    cases = [
        ("recommendations_by_category", ()),
        ("recommendation_table_count", (None,)),
        ("recommendation_table", (None,), {"start": 0, "stop": PAGE}),
        ("recommendation_table", (None,), {"start": 5000, "stop": 5000 + PAGE}),
        ("recommendation_table_count", (category,)),
        ("recommendation_table", (category,), {"start": 0, "stop": PAGE}),
        ("similar_recommendation_groups_count", (0.45,)),
        ("similar_recommendation_groups", (0.45,), {"start": 0, "stop": PAGE}),
        ("presentation_quotes", (5,)),
    ]
    drills = {
        "theme": _drill(theme=(options["themes"] or [None])[0]),
        "agency": _drill(agency=(options["agencies"] or [None])[0]),
        "category": _drill(category=category),
        "quarter": _drill(fiscal_year=years[-1], quarter=2),
    }
    for label, selection in drills.items():
        cases.append(("drilldown_sessions", selection, {}, label))
        cases.append(("drilldown", (*selection, 3, DRILL_SESSIONS), {}, label))
    print(f"{'best ms':>8} {'first ms':>8}  {'size':>8}  question")
    for case in cases:
        name, positional = case[0], case[1]
        keywords = case[2] if len(case) > 2 else {}
        label = case[3] if len(case) > 3 else ", ".join(map(repr, positional))
        if keywords:
            label += f" [{keywords['start']}:{keywords['stop']}]"
        ask = question(name)
        times = []
        for _ in range(max(1, args.runs)):
            start = time.perf_counter()
            answer = ask(engine, f, *positional, **keywords)
            times.append(time.perf_counter() - start)
        size = len(answer) if hasattr(answer, "__len__") else answer
        print(f"{min(times) * 1000:8.0f} {times[0] * 1000:8.0f}  {size:>8}  {name}({label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
