"""What every browser test shares: Debian's Chromium driven by Playwright, signing in as a person, and the
screenshots a person looks at afterwards under test-artifacts/ (or the folder TEST_ARTIFACTS names)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.processes import free_port, wait_for
from tests.web.cli.test_serve import page
from tests.web.conftest import is_setting
from workflow.config import PROJECT_ROOT

RADAFLOW = str(Path(sys.executable).with_name("radaflow"))

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
#: where a person looks at what the pages looked like
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS") or PROJECT_ROOT / "test-artifacts")
#: a phone's screen, and a desktop's
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium() -> str:
    if shutil.which(CHROMIUM) is None:
        message = f"Chromium ({CHROMIUM}) is not installed: `make test` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


def sign_in(tab: Page, base: str, email: str, password: str) -> None:
    """Sign in from the sign-in page as a person does, and wait until the header names them."""
    tab.goto(base + "/login")
    tab.get_by_label("Електронна пошта").fill(email)
    tab.get_by_label("Пароль").fill(password)
    tab.get_by_role("button", name="Увійти").click()
    expect(tab.locator("header .who")).to_be_visible()


def photograph(tab: Page, folder: str, name: str, *, fits: int | None = None) -> Path:
    """A full-page screenshot under test-artifacts/<folder>/; with `fits`, the page is also checked to fit that
    width without scrolling sideways (a wide table scrolls in its own region)."""
    path = ARTIFACTS / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(path), full_page=True)
    if fits is not None:
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= fits, f"{tab.url} is {width} px wide, wider than {fits} px"
    return path


# --- the demo, served as `make run` serves it -------------------------------------------------------------------
#: `radaflow run` in a process whose clock shows a later moment and goes on from it (time-machine): the council's
#: calendar moves on — a session three weeks ahead is held today — while every rule is checked as it stands
_LATER = (
    "import sys, datetime, time_machine;"
    "time_machine.travel(datetime.datetime.fromisoformat(sys.argv[1]), tick=True).start();"
    "from web.cli import main;"
    "sys.argv = ['radaflow', *sys.argv[2:]];"
    "main()"
)


def serve(
    instance: Path, *, at: datetime | None = None, database_url: str | None = None, **settings: str
) -> tuple[subprocess.Popen[bytes], str]:
    """`radaflow run` on a free port for the instance folder (its clock at `at`, its database `database_url`,
    when given, and these settings besides, e.g. SMTP_URL); its base URL once it answers. The links its e-mails
    carry lead back to it."""
    env = {name: value for name, value in os.environ.items() if not is_setting(name)}
    env["RADAFLOW_INSTANCE"] = str(instance)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    env.pop("SMTP_URL", None)
    port = free_port()
    env["RADAFLOW_BASE_URL"] = f"http://127.0.0.1:{port}"
    env.update(settings)
    command = [RADAFLOW] if at is None else [sys.executable, "-c", _LATER, at.isoformat()]
    server = subprocess.Popen(
        [*command, "run", "--port", str(port)],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: page(base + "/") is not None, timeout=30, what="the demo answering")
    except BaseException:
        stop(server)
        raise
    return server, base


def stop(server: subprocess.Popen[bytes]) -> None:
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
    server, _base = serve(instance)
    try:
        # the ticker carries out what the demo recorded (the notifications among it) in the background
        database = instance / "radaflow.sqlite3"
        wait_for(lambda: nothing_pending(database), timeout=180, what="the ticker carrying out the demo's effects")
    finally:
        stop(server)
    _DEMO_INSTANCE.append(instance)
    return instance


def demo_copy(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo's instance folder of the test's own."""
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance(tmp_path_factory), instance)
    return instance


@contextmanager
def served_demo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, **settings: str) -> Iterator[str]:
    """A copy of the demo's instance served by `radaflow run` (with these settings besides); its base URL."""
    server, base = serve(demo_copy(tmp_path, tmp_path_factory), **settings)
    try:
        yield base
    finally:
        stop(server)


@pytest.fixture
def demo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`radaflow run` on a free port with the demo council loaded, as `make run` starts it; its base URL."""
    with served_demo(tmp_path, tmp_path_factory) as base:
        yield base


def nothing_pending(database: Path) -> bool:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0] == 0
