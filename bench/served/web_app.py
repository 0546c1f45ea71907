"""The application `bench/web.py` serves under gunicorn: Radaflow's own, with one route more, the bare endpoint.

`GET /bench/bare` goes through everything every request of the app goes through — the WSGI server, routing, the
security headers, the locale, the limiter, the request's unit of work — and answers a short text without a query:
what the pages measured beside it cost on top of the framework is the difference.

    gunicorn -w 2 --pythonpath bench/served 'web_app:create()'
"""

from __future__ import annotations

import os
import sys

from flask import Flask


def bare() -> tuple[str, int, dict[str, str]]:
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


def create() -> Flask:
    # the checkout whose code is served (bench/web.py's --baseline): first on the path, ahead of the editable install
    code = os.environ.get("RADAFLOW_BENCH_CODE")
    if code:
        sys.path.insert(0, code)
    from web.app import create_app

    app = create_app()
    app.add_url_rule("/bench/bare", "bench_bare", bare)
    return app
