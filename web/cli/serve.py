"""`radaflow run`: the application served by Werkzeug, with the embedded mode's ticker or a worker and beat."""

from __future__ import annotations

import os
import subprocess
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import WSGIRequestHandler, run_simple

from web.cli.words import _
from web.extension import radaflow

#: how often the embedded mode's ticker does what beat schedules in production
TICK_SECONDS = 15.0


class _NoBanner(WSGIRequestHandler):
    """Werkzeug's request handler without its `Server: Werkzeug/3.1.9 Python/3.11.2` header: which versions
    serve the site is nobody's business (gunicorn says only `gunicorn`, and cannot be told to say less)."""

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())


@click.command("run")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--debug", is_flag=True, help="Flask's debugger and reloading (never in production)")
@click.option(
    "--with-worker",
    is_flag=True,
    help="Also start a Celery worker and beat (needs REDIS_URL): the whole system in one command",
)
def run_command(host: str, port: int, debug: bool, with_worker: bool) -> None:
    """Serve the application for development or a demonstration (in production: gunicorn, see README).

    Without REDIS_URL (the embedded default) a ticker thread carries out effects and e-mail as soon as a commit
    wakes it, and does beat's rounds (deadlines, digests, retries). With REDIS_URL and --with-worker, a worker
    and beat are started beside the web application and stopped with it.
    """
    ext = radaflow()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if with_worker and ext.settings.redis_url is None:
        raise click.ClickException(
            _(
                "--with-worker needs REDIS_URL (e.g. redis://127.0.0.1:6379/0); without it effects already run "
                "in-process"
            )
        )
    # With --debug the reloader runs the server in a child process it restarts on each change: the worker and
    # beat belong to the watching parent (started once), the ticker to the serving child.
    serving = not debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
    watching = not debug or not serving
    children: list[subprocess.Popen[bytes]] = []
    if with_worker and watching:
        celery = [sys.executable, "-m", "celery", "-A", "celery_worker"]
        children.append(subprocess.Popen([*celery, "worker", "--loglevel=INFO", "--concurrency=2"]))
        children.append(subprocess.Popen([*celery, "beat", "--loglevel=INFO"]))
    elif ext.settings.redis_url is None and serving:
        app.extensions["radaflow.ticker"].start(rounds_every=TICK_SECONDS)
    try:
        # Werkzeug's server, as `flask run` starts it (Flask's app.run() does nothing inside a Flask CLI command)
        app.debug = debug  # Flask hands exceptions to Werkzeug's debugger, and reloads templates, only in debug
        run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True, request_handler=_NoBanner)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)
