"""The application factory: the composition root that wires settings, the database and the definitions."""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType
from typing import Any

from flask import Blueprint, Flask

from web import admin, api, auth, cabinet, database, errors, i18n, limits, public, security
from web.admin import bodies, definitions, operations
from web.admin import council as admin_council
from web.admin import people as admin_people
from web.api import health
from web.auth import passwords
from web.auth import views as auth_views
from web.cabinet import (
    agenda,
    amendments,
    attachments,
    committees,
    discussion,
    documents,
    drafting,
    meetings,
    messages,
    my_vote,
    notifications,
    protocol,
    referral,
    sessions,
    signing,
    sitting,
    sitting_votes,
    visas,
    work,
    workplaces,
)
from web.ids import IdConverter
from web.public import atom, citizens, deputies, drafts, feeds, home, seals
from web.public import committees as public_committees
from web.public import decisions as public_decisions
from web.public import sessions as public_sessions
from workflow.config import Settings
from workflow.definitions.registry import DefinitionRegistry
from workflow.runtime import Runtime

#: the blueprints, each with the modules that route their views on it (each module's views are routed on its
#: package's `bp` by their decorators: the modules are imported here, before their blueprint is registered)
BLUEPRINTS: tuple[tuple[Blueprint, tuple[ModuleType, ...]], ...] = (
    (
        public.bp,
        (home, public_decisions, drafts, public_sessions, public_committees, feeds, deputies, citizens, atom, seals),
    ),
    (admin.bp, (definitions, admin_council, bodies, operations, admin_people)),
    (auth.bp, (auth_views, passwords)),
    (
        cabinet.bp,
        (
            work,
            notifications,
            documents,
            discussion,
            messages,
            drafting,
            attachments,
            referral,
            amendments,
            visas,
            committees,
            meetings,
            sessions,
            agenda,
            protocol,
            signing,
            sitting,
            sitting_votes,
            my_vote,
            workplaces,
        ),
    ),
    (api.bp, (health,)),
)


def create_app(test_config: dict[str, Any] | None = None, *, registry: DefinitionRegistry | None = None) -> Flask:
    """The web application; `registry`: its definitions loaded already (see `Runtime.open`)."""
    settings = Settings.from_env()
    if test_config:
        settings = replace(settings, **{k: v for k, v in test_config.items() if hasattr(settings, k)})
    app = database.TransactionalFlask(__name__, instance_path=str(settings.instance_dir))
    app.config.from_mapping(SECRET_KEY=settings.secret_key, RADAFLOW_ENV=settings.env)
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if k.isupper()})

    app.extensions["radaflow"] = Runtime.open(settings, registry)
    app.url_map.converters["id"] = IdConverter

    security.init_app(app, settings)  # first: the request's size is limited before anything reads it
    i18n.init_app(app)
    database.init_app(app)
    errors.init_app(app)
    auth_views.init_app(app, test_config)
    for blueprint, _views in BLUEPRINTS:
        app.register_blueprint(blueprint)
    limits.init_app(app, settings)  # last: it limits the views of every blueprint
    return app
