"""The README stays true: every setting the code reads and every CLI subcommand is documented."""

import re
from pathlib import Path

from analysis.__main__ import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_files():
    for folder in ("analysis", "pages", "scripts", "bench", "tests"):
        yield from (ROOT / folder).rglob("*.py")
    yield ROOT / "app.py"
    yield ROOT / ".ci" / "run"


def test_every_environment_variable_is_in_the_readme():
    used = set()
    for path in _code_files():
        used |= set(re.findall(r"SANGKHRO_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    missing = sorted(v for v in used if v not in README)
    assert used and not missing, f"not documented in README.md: {missing}"


def test_every_cli_subcommand_is_in_the_readme():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"python -m analysis {name}" in README, name


def test_readme_gives_the_two_commands():
    assert "pip install -r requirements.txt && streamlit run app.py" in README
    assert "pip install -r requirements-dev.txt && python -m pytest" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -r requirements-dev.txt && python -m pytest" in ci  # the README command
