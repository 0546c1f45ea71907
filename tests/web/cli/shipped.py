"""What the command line's tests check against: the shipped definitions and migrations, and copies of the
definitions broken on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

DEFINITIONS = Path(__file__).resolve().parents[3] / "definitions"
SHIPPED_KINDS = sorted(path.stem for path in DEFINITIONS.glob("*.yaml"))
#: each shipped kind's version, as its YAML file declares it
SHIPPED_VERSIONS = {
    kind: yaml.safe_load((DEFINITIONS / f"{kind}.yaml").read_text(encoding="utf-8"))["version"]
    for kind in SHIPPED_KINDS
}
#: the Alembic revision the shipped migrations end at (0002 adds the council's tables, 0004 the records
#: under the chain, 0005 session epochs, 0006 a move in one statement on SQLite, 0007 a move's one effect as values,
#: 0008 the decisions' search index, 0009 citizens' comments on drafts, 0010 citizens' accounts, 0011 drafts'
#: versions, 0012 committee meetings, 0013 agenda orders, 0014 the sitting console's records, 0015 document moves
#: without what the trigger can tell, 0016 password-reset links and the account history, 0017 retired
#: committees and departments, audit checks, 0018 drafts' particulars under the chain,
#: 0019 the indexes of "my work", 0020 the indexes of the portal's pages)
HEAD = "0020"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def broken_copy(tmp_path: Path) -> Path:
    """A copy of the shipped definitions/ to break in a test."""
    directory = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, directory)
    return directory


def line_of(path: Path, text: str) -> int:
    """The 1-based line on which `text` first appears in a file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {path}")
