"""Every chart and table a page shows is a question answered in SQL (`analysis.store.questions`):
no page reads the whole programme into pandas, so a page's cost follows what it shows, not the
size of the store (issue 13). Read from the pages' source, so a new chart cannot slip back to
the pandas path unnoticed."""

from __future__ import annotations

import ast
from pathlib import Path

from analysis.store import questions

PAGES = Path(__file__).resolve().parents[1] / "pages"


def _asked() -> dict[str, set[str]]:
    """Helper name (frame, paged_frame, full_frame_csv) → question names the pages ask for."""
    out: dict[str, set[str]] = {"frame": set(), "paged_frame": set(), "full_frame_csv": set()}
    for path in PAGES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr in out and node.args and isinstance(node.args[0], ast.Constant):
                out[node.func.attr].add(node.args[0].value)
    return out


def test_pages_ask_for_many_questions():
    asked = _asked()
    assert len(asked["frame"]) >= 15, asked
    assert asked["paged_frame"], asked


def test_every_question_a_page_asks_is_answered_in_sql():
    asked = _asked()
    missing = sorted(n for names in asked.values() for n in names if questions.question(n) is None)
    assert not missing, f"pages ask for these without a SQL question: {missing}"


def test_long_lists_page_in_the_database():
    unpaged = sorted(n for n in _asked()["paged_frame"] if questions.question(f"{n}_count") is None)
    assert not unpaged, f"paged lists without a SQL count (read whole, then sliced): {unpaged}"


def test_no_page_loads_the_whole_programme():
    for path in PAGES.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "load_tables(_engine)" not in source, path.name
        assert "ui.tables()" not in source, path.name
