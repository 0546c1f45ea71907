"""In a real browser (Debian's Chromium, driven by Playwright), as a new user meets the demo: the legal reviewer
signs in, finds the visa request among her notifications, opens the draft, goes to her department's visa and
gives it — forms and links only, no JavaScript of ours."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.processes import free_port, wait_for
from tests.web.cli.test_serve import page
from tests.web.conftest import is_setting

RADAFLOW = str(Path(sys.executable).with_name("radaflow"))
#: real processes that wait on one another with timeouts: under pytest-xdist the browser tests take turns on one
#: worker, which makes the demo instance once for them all; the other real processes (Celery workers, Redis,
#: `radaflow run` alone) take theirs on another, in the group "processes", so that neither waits for the other
pytestmark = pytest.mark.xdist_group("browser")
CHROMIUM = "/usr/bin/chromium"
#: what keeps Chromium from reaching out to Google's hosts on a machine with no way out
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    if shutil.which(CHROMIUM) is None:
        message = f"Chromium ({CHROMIUM}) is not installed: `make test` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


def _serve(instance: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {name: value for name, value in os.environ.items() if not is_setting(name)}
    env["RADAFLOW_INSTANCE"] = str(instance)
    env.pop("SMTP_URL", None)
    port = free_port()
    server = subprocess.Popen(
        [RADAFLOW, "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return server, f"http://127.0.0.1:{port}"


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGINT)
    server.wait(timeout=30)


#: the demo's instance folder, made once per worker (the browser tests share one)
_DEMO_INSTANCE: list[Path] = []


def demo_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instance folder with the demo council loaded as `make run` loads it, and everything it recorded carried
    out by the ticker: made once per worker, and copied for each browser test (seeding and rendering the demo's
    papers is most of a browser test's time)."""
    if _DEMO_INSTANCE:
        return _DEMO_INSTANCE[0]
    instance = tmp_path_factory.mktemp("demo") / "instance"
    env = {name: value for name, value in os.environ.items() if not is_setting(name)}
    env["RADAFLOW_INSTANCE"] = str(instance)
    env.pop("SMTP_URL", None)
    for command in (["db", "upgrade"], ["seed", "demo"]):
        subprocess.run([RADAFLOW, *command], env=env, check=True, capture_output=True, timeout=180)
    server, base = _serve(instance)
    try:
        wait_for(lambda: page(base + "/") is not None, timeout=30, what="the demo answering")
        # the ticker carries out what the demo recorded (the notifications among it) in the background
        database = instance / "radaflow.sqlite3"
        wait_for(lambda: nothing_pending(database), timeout=180, what="the ticker carrying out the demo's effects")
    finally:
        _stop(server)
    _DEMO_INSTANCE.append(instance)
    return instance


@pytest.fixture
def demo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`radaflow run` on a free port with the demo council loaded, as `make run` starts it; its base URL."""
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance(tmp_path_factory), instance)
    server, base = _serve(instance)
    try:
        wait_for(lambda: page(base + "/") is not None, timeout=30, what="the demo answering")
        yield base
    finally:
        _stop(server)


def nothing_pending(database: Path) -> bool:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0] == 0


def test_the_legal_reviewer_signs_in_finds_the_request_and_gives_the_visa(demo: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(locale="uk-UA")
            tab.goto(demo + "/login")
            tab.get_by_label("Електронна пошта").fill("l.tymoshenko@rada.example")
            tab.get_by_label("Пароль").fill("demo-legal")
            tab.get_by_role("button", name="Увійти").click()

            # expect() waits for each page to arrive before it judges
            expect(tab).to_have_url(demo + "/notifications")
            expect(tab.locator("header .who")).to_have_text("Тимошенко Лариса Андріївна")
            request = tab.locator("li.unread", has_text="чекає на вашу візу").first
            draft_title = request.locator("strong").inner_text().split("«", 1)[1].rstrip("»")
            request.get_by_role("link", name="Відкрити документ").click()

            expect(tab.locator("h1")).to_have_text(draft_title)
            tab.get_by_role("link", name="Віза «Юридичний відділ»").click()
            expect(tab.locator("dl.facts dd").first).to_have_text("Очікує візи")
            tab.get_by_role("button", name="Завізувати").click()

            expect(tab.get_by_role("status")).to_have_text("Виконано: Завізувати.")
            expect(tab.locator("dl.facts dd").first).to_have_text("Завізовано")
            expect(tab.get_by_role("button", name="Завізувати")).to_have_count(0)
        finally:
            browser.close()
