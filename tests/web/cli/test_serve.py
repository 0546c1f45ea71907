"""`radaflow run` (what `make run` starts) serves the application, and in the embedded mode its ticker carries
out what was recorded: a real process on a free port, as a new user meets it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.processes import free_port, wait_for
from tests.web.conftest import is_setting

RADAFLOW = str(Path(sys.executable).with_name("radaflow"))
#: real processes that wait on one another with timeouts: under pytest-xdist they take turns on one worker
pytestmark = pytest.mark.xdist_group("processes")


def page(url: str) -> tuple[int, str] | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode("utf-8")
    except OSError:
        return None


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not is_setting(name)}
    env["RADAFLOW_INSTANCE"] = str(tmp_path / "instance")
    env.pop("SMTP_URL", None)
    return env


def test_radaflow_run_serves_the_application_and_stops_cleanly(environment: dict[str, str]) -> None:
    subprocess.run([RADAFLOW, "db", "upgrade"], env=environment, check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [RADAFLOW, "run", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: page(f"http://127.0.0.1:{port}/") is not None,
            timeout=30,
            what=f"radaflow run answering on port {port}",
        )
        front = page(f"http://127.0.0.1:{port}/")
        assert front is not None
        assert front[0] == 200
        assert "Наступне засідання" in front[1]
        answer = page(f"http://127.0.0.1:{port}/definitions")
        assert answer is not None
        status, body = answer
        assert status == 200
        assert "Види документів" in body
        assert "Проєкт рішення" in body
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert b"Traceback" not in output, output.decode()
    assert f"Running on http://127.0.0.1:{port}".encode() in output


def test_radaflow_run_s_ticker_carries_out_what_the_demo_recorded(environment: dict[str, str]) -> None:
    subprocess.run([RADAFLOW, "db", "upgrade"], env=environment, check=True, capture_output=True, timeout=120)
    subprocess.run([RADAFLOW, "seed", "demo"], env=environment, check=True, capture_output=True, timeout=120)
    mail = Path(environment["RADAFLOW_INSTANCE"]) / "mail"
    port = free_port()
    server = subprocess.Popen(
        [RADAFLOW, "run", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # the demo's moves and messages recorded notifications; nothing but the ticker sends them
        wait_for(
            lambda: mail.is_dir() and any(mail.glob("*.eml")), timeout=60, what="the ticker writing the demo's e-mails"
        )
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert b"Traceback" not in output, output.decode()


def test_radaflow_run_names_no_server_software_and_sends_the_security_headers(environment: dict[str, str]) -> None:
    subprocess.run([RADAFLOW, "db", "upgrade"], env=environment, check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [RADAFLOW, "run", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: page(f"http://127.0.0.1:{port}/login") is not None,
            timeout=30,
            what=f"radaflow run answering on port {port}",
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
            headers = response.headers
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.communicate(timeout=30)
    assert headers.get("Server") is None, headers.get("Server")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
