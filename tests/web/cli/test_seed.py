"""`radaflow seed demo`: the demo council loaded into an empty database once, as `make run` does on first start."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from demo import demo_data
from workflow.db import make_engine
from workflow.engine.models import AuditEntry
from workflow.people import Person


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    """argon2 at its smallest costs: the same hashing, in a millisecond instead of half a second."""
    monkeypatch.setattr("workflow.people._hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def sqlite_url(radaflow, tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    radaflow.use_database(url)
    return url


def counts(url: str) -> tuple[int, int]:
    """(persons, audit entries) in the database."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return (
                connection.scalar(select(func.count()).select_from(Person)) or 0,
                connection.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            )
    finally:
        engine.dispose()


def test_seed_demo_loads_the_council_prints_who_to_sign_in_as_and_refuses_a_second_time(radaflow, sqlite_url):
    assert radaflow("db", "upgrade").exit_code == 0

    result = radaflow("seed", "demo", "--today", "2026-03-16")

    assert result.exit_code == 0, result.output
    assert "loaded the demo council: Вербівська міська рада" in result.output
    assert "27 members, 5 committees, 2 departments" in result.output
    assert "№ 57 on 02.02.2026 (closed), № 58 on 23.02.2026 (closed), № 59 on 30.03.2026 (convened)" in result.output
    for _role, key, password in demo_data.FEATURED:
        line = next(line for line in result.output.splitlines() if f"{key}@rada.example" in line)
        assert line.rstrip().endswith(demo_data.PASSWORDS[password])
    loaded = counts(sqlite_url)
    assert loaded[0] == 39
    assert loaded[1] > 300
    verified = radaflow("audit", "verify")
    assert verified.exit_code == 0, verified.output

    again = radaflow("seed", "demo")

    assert again.exit_code == 1
    assert "the database already has a council (Вербівська міська рада)" in again.stderr
    assert "Traceback" not in again.output
    assert counts(sqlite_url) == loaded


def test_seed_demo_if_empty_loads_an_empty_database_and_then_leaves_it_alone(radaflow, sqlite_url):
    """What `make run` does on every start: the demo on the first one, nothing afterwards."""
    assert radaflow("db", "upgrade").exit_code == 0

    first = radaflow("seed", "demo", "--if-empty")
    loaded = counts(sqlite_url)
    second = radaflow("seed", "demo", "--if-empty")

    assert first.exit_code == 0, first.output
    assert "loaded the demo council" in first.output
    assert second.exit_code == 0, second.output
    assert "demo not loaded: the database already has a council" in second.output
    assert counts(sqlite_url) == loaded


def test_seed_demo_asks_for_the_migrations_first(radaflow, sqlite_url):
    result = radaflow("seed", "demo")

    assert result.exit_code == 1
    assert "run `radaflow db upgrade` first" in result.stderr
    assert "Traceback" not in result.output


def test_seed_demo_is_refused_in_production_where_public_passwords_do_not_belong(radaflow, sqlite_url, monkeypatch):
    assert radaflow("db", "upgrade").exit_code == 0
    monkeypatch.setenv("RADAFLOW_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("SMTP_URL", "off")

    result = radaflow("seed", "demo", "--if-empty")

    assert result.exit_code == 1
    assert "RADAFLOW_ENV=production" in result.stderr
    assert counts(sqlite_url)[0] == 0


def test_seed_demo_refuses_a_second_time_in_the_operator_s_language(radaflow, sqlite_url):
    assert radaflow("db", "upgrade").exit_code == 0
    assert radaflow("seed", "demo", "--today", "2026-03-16").exit_code == 0
    loaded = counts(sqlite_url)
    radaflow.monkeypatch.setenv("RADAFLOW_LANG", "uk")

    again = radaflow("seed", "demo")

    assert again.exit_code == 1
    assert (
        "у базі даних уже є рада (Вербівська міська рада); демонстраційні дані завантажуються лише в порожню"
        in again.stderr
    )
    assert counts(sqlite_url) == loaded
