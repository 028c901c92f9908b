"""Look and feel: a calm theme colour, a tab icon shipped with the app, captions in plain words.

The icon test runs the real app in Chromium on an empty store and records every request the page
makes: the icon must come from the app's own server, and nothing may go to a web font service.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image

from analysis import figures
from analysis.i18n import LABELS
from tests.browser_support import chromium, need_browser, settle, streamlit_server

ROOT = Path(__file__).resolve().parents[1]
FONT_SERVICES = ("fonts.googleapis.com", "fonts.gstatic.com")


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def theme() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))["theme"]


def test_primary_colour_is_the_charts_calm_teal_with_readable_contrast():
    t = theme()
    primary = t["primaryColor"]
    assert primary.lower() == figures.ACCENT.lower()
    r, g, b = (int(primary[i : i + 2], 16) for i in (1, 3, 5))
    assert b > r and g > r, f"{primary} is not a blue/teal"
    # white text on a primary button, and primary links on the page background: WCAG AA
    assert contrast(primary, "#ffffff") >= 4.5
    assert contrast(primary, t["backgroundColor"]) >= 4.5
    assert contrast(t["textColor"], t["backgroundColor"]) >= 7


def _page_icon_argument() -> ast.AST:
    tree = ast.parse((ROOT / "app.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "set_page_config":
            return next(k.value for k in node.keywords if k.arg == "page_icon")
    raise AssertionError("app.py does not call st.set_page_config")


def test_page_icon_is_a_bundled_png_not_a_named_icon():
    arg = _page_icon_argument()
    # a ":material/…:" or emoji icon is a string constant; ours is the path of a shipped file
    assert not isinstance(arg, ast.Constant), ast.unparse(arg)
    icon = ROOT / "assets" / "favicon.png"
    assert "favicon" in ast.unparse(arg) or "FAVICON" in ast.unparse(arg)
    with Image.open(icon) as im:
        assert im.format == "PNG"
        assert 32 <= im.size[0] == im.size[1] <= 256
        # not blank: the teal tile and a white letter
        assert len(im.convert("RGB").getcolors(maxcolors=65536)) > 2
    assert icon.stat().st_size < 20_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    db = tmp_path_factory.mktemp("polish") / "store.db"
    env = {"SANGKHRO_DATABASE_URL": f"sqlite:///{db}", "SANGKHRO_SAMPLE": "0", "SANGKHRO_AUTH": ""}
    with streamlit_server(tmp_path_factory.mktemp("polish_log"), env) as url:
        yield url


def test_browser_gets_the_icon_from_the_app_and_nothing_from_font_services(server):
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 1440, "height": 900}, locale="th-TH")
        requested: list[str] = []
        tab.on("request", lambda request: requested.append(request.url))
        tab.goto(server)
        settle(tab)
        tab.wait_for_function(
            "() => [...document.querySelectorAll('link[rel~=icon]')]"
            ".some(l => l.href.includes('/media/'))",
            timeout=30_000,
        )
        hrefs = tab.eval_on_selector_all("link[rel~=icon]", "ls => ls.map(l => l.href)")
        icon_href = next(h for h in hrefs if "/media/" in h)
        assert urlparse(icon_href).netloc == urlparse(server).netloc, hrefs
        response = tab.request.get(icon_href)
        assert response.ok and response.headers["content-type"] == "image/png"
        assert response.body() == (ROOT / "assets" / "favicon.png").read_bytes()
    elsewhere = [u for u in requested if urlparse(u).netloc != urlparse(server).netloc]
    assert not [u for u in elsewhere if any(s in u for s in FONT_SERVICES)], elsewhere
    assert not [u for u in elsewhere if u.startswith("http")], elsewhere


# methods' names mean nothing to a programme manager: captions say what was done in plain words
JARGON = re.compile(
    r"cosine|tri-?gram|n-?gram|tf-?idf|newmm|pythainlp|regex|token|jaccard|embedding|vector",
    re.IGNORECASE,
)
USER_VISIBLE = ["app.py", "pages/*.py", "analysis/figures.py", "analysis/export_report/*.py"]


def test_no_label_uses_method_jargon():
    bad = {k: v for k, v in LABELS.items() if any(JARGON.search(x) for x in v)}
    assert not bad, bad


def _strings_shown(path: Path) -> list[tuple[int, str]]:
    """String constants of a module other than docstrings and names of session-state keys."""
    tree = ast.parse(path.read_text("utf-8"))
    docs = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in docs
        and not n.value.startswith("_")  # session-state keys such as "_login_token"
    ]


def test_no_page_or_chart_string_uses_method_jargon():
    files = [p for pattern in USER_VISIBLE for p in sorted(ROOT.glob(pattern))]
    assert len(files) > 10
    bad = [
        f"{p.relative_to(ROOT)}:{line}: {text[:80]}"
        for p in files
        for line, text in _strings_shown(p)
        if JARGON.search(text)
    ]
    assert not bad, bad
