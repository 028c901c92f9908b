"""What the browser tests share: Debian's Chromium through Playwright, a Streamlit server of the
real app.py on a free localhost port, and waiting for a page to finish.

Skipped when Chromium or Playwright is missing, unless SANGKHRO_REQUIRE_BROWSER=1 (CI), then failed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_browser() -> None:
    """Skip (or, with SANGKHRO_REQUIRE_BROWSER=1, fail) when Chromium or Playwright is missing."""
    reason = None
    if not os.path.exists(CHROMIUM):
        reason = f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is missing (pip install -r requirements-dev.txt)"
    if reason:
        if os.environ.get("SANGKHRO_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    log_dir: Path,
    env: dict[str, str],
    *extra_args: str,
    port: int | None = None,
    address: str = "127.0.0.1",
) -> Iterator[str]:
    """`streamlit run app.py` with `env` (on top of this process's) and `extra_args`; yields its
    URL once its health check answers, and stops it afterwards."""
    port = port or free_port()
    log = open(log_dir / "streamlit.log", "w+")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            address,
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *extra_args,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Chromium (Playwright's `Browser`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def settle(tab, timeout_s: float = 120) -> None:
    """Wait until the script has finished and no skeleton placeholder is left."""
    tab.wait_for_selector('[data-testid="stApp"]', timeout=timeout_s * 1000)
    deadline = time.time() + timeout_s
    tab.wait_for_timeout(500)
    while time.time() < deadline:
        state = tab.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
        if state != "running" and tab.locator('[data-testid="stSkeleton"]').count() == 0:
            break
        tab.wait_for_timeout(250)
    tab.wait_for_timeout(1000)
