"""The application factory: the composition root that wires settings, the database and the definitions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Flask

from web import auth, cabinet, database, errors, home, limits, security
from web.ids import IdConverter
from workflow.config import Settings
from workflow.runtime import Runtime


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    settings = Settings.from_env()
    if test_config:
        settings = replace(settings, **{k: v for k, v in test_config.items() if hasattr(settings, k)})
    app = database.TransactionalFlask(__name__, instance_path=str(settings.instance_dir))
    app.config.from_mapping(SECRET_KEY=settings.secret_key, RADAFLOW_ENV=settings.env)
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k.isupper()})

    app.extensions["radaflow"] = Runtime.open(settings)
    app.url_map.converters["id"] = IdConverter

    security.init_app(app, settings)  # first: the request's size is limited before anything reads it
    database.init_app(app)
    errors.init_app(app)
    app.register_blueprint(home.bp)
    auth.init_app(app, test_config)
    app.register_blueprint(cabinet.bp)
    limits.init_app(app, settings)  # last: it limits the views of every blueprint
    return app

