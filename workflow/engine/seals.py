"""Seals: the heads of every document's audit chain, signed with a key the database does not hold.

The hash chain finds an entry edited behind the engine's back, but not one whose chain the editor recomputed with
the project's own hash function. A seal anchors the chains outside the database: for every document its version
and newest hash, with a digest over them all, signed with Ed25519 and kept as a file (one a day) that can be
copied anywhere. Checking against a seal recomputes each sealed document's chain from its entries' content up to
the sealed version: a rewritten history hashes to another head, and without the key no one can seal that one.

Only a history that holds together is sealed: a seal refuses a log whose chain is broken or that no longer agrees
with the previous seal, so each seal vouches for everything the ones before it did.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from workflow.config import ConfigError, parse_seal_key, parse_seal_public_key, public_key_text
from workflow.db import begin_reading
from workflow.engine.audit import GENESIS, canonical_json, entry_hash, verify_log
from workflow.engine.models import AuditEntry, Document
from workflow.i18n import N_, Message, message
from workflow.timeutil import as_utc

SEAL_FORMAT = "radaflow-seal/1"
AUDIT = AuditEntry.__table__
#: a day's first seal is `2026-12-01.json`, the next ones that day `2026-12-01.2.json`, `2026-12-01.3.json`, ...
SEAL_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.json$")


class SealError(Exception):
    """Sealing or checking a seal is not possible; the message says why and what to do. As the domain's refusals,
    it says a code and an English template (`detail`, rendered in the reader's language at the edge); `message` is
    its English text."""

    def __init__(self, code: str, template: str, /, **params: Any) -> None:
        self.detail = Message(code, template, params)
        self.message = str.__str__(self.detail)
        super().__init__(self.message)


class SealKeyMissing(SealError):
    """No key to sign with, and none may be made here."""


class SealRefused(SealError):
    """The log does not hold together: sealing it would vouch for a rewritten history."""


class SealUnreadable(SealError):
    """A seal file that is not a seal."""


# --- what a seal holds ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Head:
    """A document's chain as sealed: its version and the hash of its newest entry."""

    document_id: int
    version: int
    hash: str


def heads_digest(heads: Iterable[Head]) -> str:
    """SHA-256 over the heads in document order, one `id:version:hash` line each: a seal's short fingerprint, to
    publish or compare by eye."""
    digest = hashlib.sha256()
    for head in sorted(heads, key=lambda h: h.document_id):
        digest.update(f"{head.document_id}:{head.version}:{head.hash}\n".encode("ascii"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Seal:
    """The signed heads of every chain at one moment."""

    #: when the heads were read, in UTC, in the text form that was signed
    sealed_at: str
    heads: tuple[Head, ...]
    digest: str
    #: base64 of the 32-byte Ed25519 public key that signed it
    public_key: str
    #: base64 of the Ed25519 signature over `payload()`
    signature: str

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.sealed_at)

    @property
    def label(self) -> str:
        """How a person names the seal: `2026-12-01 00:15 UTC`."""
        return f"{self.moment:%Y-%m-%d %H:%M} UTC"

    def payload(self) -> bytes:
        """What the signature covers: the seal without its signature, as canonical JSON. Computed from the content,
        not from the file's bytes, so a copy re-indented by some tool still checks."""
        return _canonical(self._unsigned()).encode("utf-8")

    def to_json(self) -> str:
        return _canonical({**self._unsigned(), "signature": self.signature}) + "\n"

    def _unsigned(self) -> dict[str, Any]:
        return {
            "format": SEAL_FORMAT,
            "sealed_at": self.sealed_at,
            "documents": len(self.heads),
            "digest": self.digest,
            "heads": [[head.document_id, head.version, head.hash] for head in self.heads],
            "public_key": self.public_key,
        }

    @classmethod
    def from_json(cls, text: str) -> Seal:
        """Read a seal's file; ValueError says what is not as a seal has it."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != SEAL_FORMAT:
            raise ValueError(f'not a seal (expected "format": "{SEAL_FORMAT}")')
        missing = [key for key in ("sealed_at", "digest", "heads", "public_key", "signature") if key not in data]
        if missing:
            raise ValueError(f"it lacks {', '.join(missing)}")
        heads = data["heads"]
        if not isinstance(heads, list) or not all(_is_head(item) for item in heads):
            raise ValueError("its heads are not a list of [document id, version, hash]")
        if not all(isinstance(data[key], str) for key in ("sealed_at", "digest", "public_key", "signature")):
            raise ValueError("sealed_at, digest, public_key and signature must be strings")
        try:
            moment = datetime.fromisoformat(data["sealed_at"])
        except ValueError:
            raise ValueError(f"sealed_at {data['sealed_at']!r} is not a moment") from None
        if moment.tzinfo is None:
            raise ValueError(f"sealed_at {data['sealed_at']!r} has no time zone")
        if data.get("documents") != len(heads):
            raise ValueError(f"it says {data.get('documents')!r} documents but lists {len(heads)} heads")
        return cls(
            sealed_at=data["sealed_at"],
            heads=tuple(Head(*item) for item in heads),
            digest=data["digest"],
            public_key=data["public_key"],
            signature=data["signature"],
        )


def _is_head(item: object) -> bool:
    return (
        isinstance(item, list)
        and len(item) == 3
        and all(isinstance(part, int) and not isinstance(part, bool) for part in item[:2])
        and isinstance(item[2], str)
    )


def _canonical(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# --- the key -------------------------------------------------------------------------------------------------
def signing_key(key_text: str | None, key_file: Path, *, may_generate: bool) -> Ed25519PrivateKey:
    """The key seals are signed with: RADAFLOW_SEAL_KEY's when set, else the key file's. Without either, a new key
    is written to the key file (mode 0600) when `may_generate`, and refused otherwise (production): a key made
    silently where the operator does not look would be lost with the host, and with it the seals' meaning."""
    if key_text:
        return parse_seal_key(key_text, "RADAFLOW_SEAL_KEY")
    if key_file.exists():
        return _read_key_file(key_file)
    if not may_generate:
        raise SealKeyMissing(
            "seal.no_key",
            N_(
                "no seal key: in production set RADAFLOW_SEAL_KEY (e.g. {command}) or put a PEM key in {key_file} "
                "(mode 0600); one is never generated by itself here. Keep a copy of it, and of its public key, away "
                "from the database"
            ),
            command='python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"',
            key_file=key_file,
        )
    return _generate_key_file(key_file)


def verifying_key(key_text: str | None, public_text: str | None, key_file: Path) -> str | None:
    """The public key every seal must be signed by, in a seal's text form: RADAFLOW_SEAL_PUBLIC_KEY's, else the
    public half of the signing key (the variable's or the file's); None when none is configured. Never makes one."""
    if public_text:
        return public_key_text(parse_seal_public_key(public_text, "RADAFLOW_SEAL_PUBLIC_KEY"))
    if key_text:
        return public_key_text(parse_seal_key(key_text, "RADAFLOW_SEAL_KEY").public_key())
    if key_file.exists():
        return public_key_text(_read_key_file(key_file).public_key())
    return None


def _read_key_file(path: Path) -> Ed25519PrivateKey:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SealError(
            "seal.key_readable_by_others",
            N_("the seal key file {path} can be read by others (mode {mode}): chmod 600 {path}"),
            path=path,
            mode=f"{mode:04o}",
        )
    try:
        return parse_seal_key(path.read_text(encoding="ascii"), str(path))
    except (ConfigError, UnicodeDecodeError) as error:
        raise SealError(
            "seal.key_unreadable",
            N_("the seal key file {path} is not an Ed25519 key: {error}"),
            path=path,
            error=error,
        ) from None


def _generate_key_file(path: Path) -> Ed25519PrivateKey:
    """A new key in `path`, mode 0600, written whole under a temporary name and then linked into place, so two
    processes starting at once end with one key (the second reads the first's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_new(path, pem, mode=0o600, exist_ok=True)
    return _read_key_file(path)


def _write_new(path: Path, content: bytes, *, mode: int, exist_ok: bool = False) -> bool:
    """Write a file that did not exist, whole or not at all; False (or FileExistsError) if it existed."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            if exist_ok:
                return False
            raise
        return True
    finally:
        temporary.unlink(missing_ok=True)


# --- sealing -------------------------------------------------------------------------------------------------
def make_seal(session: Session, key: Ed25519PrivateKey, now: datetime, *, previous: Seal | None = None) -> Seal:
    """Sign the head of every document's chain. Refused (SealRefused) when the log does not hold together, or no
    longer agrees with `previous` (the latest seal): that would vouch for a rewritten history. Reads only."""
    _, _, problem = verify_log(session)
    if problem is not None:
        raise SealRefused(
            "seal.log_broken",
            N_("the audit log does not hold together, so it was not sealed: {problem}"),
            problem=problem,
        )
    if previous is not None:
        problem_with_previous = check_signature(previous, None)
        if problem_with_previous is not None:
            raise SealRefused(
                "seal.latest_seal_broken",
                N_("not sealed: the latest seal, of {label}, {problem}"),
                label=previous.label,
                problem=problem_with_previous,
            )
        broken = check_against_seal(session, previous)
        if len(broken) > 1:
            raise SealRefused(
                "seal.documents_broke",
                N_("not sealed: {broken} (and {more} more document(s))"),
                broken=broken[0].said,
                more=len(broken) - 1,
            )
        if broken:
            raise SealRefused("seal.document_broke", N_("not sealed: {broken}"), broken=broken[0].said)
    heads = tuple(
        Head(document_id, version, audit_hash)
        for document_id, version, audit_hash in session.execute(
            select(Document.id, Document.version, Document.audit_hash).order_by(Document.id)
        )
    )
    unsigned = Seal(
        sealed_at=as_utc(now).isoformat(timespec="microseconds"),
        heads=heads,
        digest=heads_digest(heads),
        public_key=public_key_text(key.public_key()),
        signature="",
    )
    signature = base64.b64encode(key.sign(unsigned.payload())).decode("ascii")
    return Seal(unsigned.sealed_at, unsigned.heads, unsigned.digest, unsigned.public_key, signature)


def write_seal(directory: Path, seal: Seal) -> Path:
    """Keep a seal as a file of its own in `directory`, named by its day (UTC): the day's first `2026-12-01.json`,
    the next `2026-12-01.2.json`, and so on. A file once written is never changed, so copies of it stay valid."""
    directory.mkdir(parents=True, exist_ok=True)
    day = as_utc(seal.moment).date().isoformat()
    content = seal.to_json().encode("utf-8")
    sequence = 1
    while True:
        path = directory / (f"{day}.json" if sequence == 1 else f"{day}.{sequence}.json")
        if not path.exists() and _write_new(path, content, mode=0o644, exist_ok=True):
            return path
        sequence += 1


def seal_files(directory: Path) -> list[Path]:
    """The seal files in `directory`, oldest first (by day, then sequence)."""
    if not directory.is_dir():
        return []
    found: list[tuple[str, int, Path]] = []
    for path in directory.iterdir():
        match = SEAL_FILE.match(path.name)
        if match and path.is_file():
            found.append((match[1], int(match[2] or 1), path))
    return [path for _, _, path in sorted(found)]


def latest_seal_file(directory: Path) -> Path | None:
    files = seal_files(directory)
    return files[-1] if files else None


def sealed_on(directory: Path, day: date) -> bool:
    """Whether `directory` holds a seal of that day (UTC)."""
    return (directory / f"{day.isoformat()}.json").exists()


def read_seal(path: Path) -> Seal:
    try:
        return Seal.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SealUnreadable(
            "seal.unreadable",
            N_("the seal {path} cannot be read: {error}"),
            path=path,
            error=error,
        ) from None


# --- checking ------------------------------------------------------------------------------------------------
def check_signature(seal: Seal, expected_key: str | None) -> Message | None:
    """What is wrong with the seal itself, in words (said of the seal: "the seal ... <this>"); None when its
    signature holds and (with `expected_key`) it was signed by that key."""
    try:
        public = parse_seal_public_key(seal.public_key, "its public key")
        signature = base64.b64decode(seal.signature, validate=True)
    except (ConfigError, binascii.Error, ValueError):
        return message("seal.no_signature", N_("does not carry a readable Ed25519 public key and signature"))
    if heads_digest(seal.heads) != seal.digest:
        return message(
            "seal.digest_mismatch",
            N_("has a digest that does not match its heads (the file was changed after it was signed)"),
        )
    try:
        public.verify(signature, seal.payload())
    except InvalidSignature:
        return message(
            "seal.signature_mismatch",
            N_("does not match its signature (the file was changed after it was signed)"),
        )
    if expected_key is not None and seal.public_key != expected_key:
        return message(
            "seal.other_key",
            N_("was signed by the key {key}, not by the configured seal key {expected}"),
            key=seal.public_key,
            expected=expected_key,
        )
    return None


@dataclass(frozen=True, slots=True)
class SealBreak:
    """A sealed document whose history is no longer what was sealed."""

    document_id: int
    sealed_version: int
    seal_label: str
    message: Message

    @property
    def said(self) -> Message:
        """The break in a sentence, for the reader's language."""
        return message(
            "seal.broke_since",
            N_("document {document_id} broke since the seal of {label}: {problem}"),
            document_id=self.document_id,
            label=self.seal_label,
            problem=self.message,
        )

    def __str__(self) -> str:
        return str.__str__(self.said)


def check_against_seal(session: Session, seal: Seal, batch: int = 500) -> list[SealBreak]:
    """Every sealed document whose entries, up to the sealed version, no longer hash to the sealed head.

    The chain is recomputed from the entries' content alone (neither their stored hashes nor the document's are
    trusted), so a history rewritten and re-hashed consistently is found too. Documents created or moved after
    the seal are not its business: only the sealed versions are checked.
    """
    broken: list[SealBreak] = []
    heads = sorted(seal.heads, key=lambda h: h.document_id)
    for start in range(0, len(heads), batch):
        chunk = heads[start : start + batch]
        ids = [head.document_id for head in chunk]
        present = set(session.execute(select(Document.id).where(Document.id.in_(ids))).scalars())
        entries: dict[int, list[Row[Any]]] = defaultdict(list)
        for row in session.execute(
            select(AUDIT).where(AUDIT.c.document_id.in_(ids)).order_by(AUDIT.c.document_id, AUDIT.c.version)
        ):
            entries[row.document_id].append(row)
        for head in chunk:
            if head.document_id not in present:
                problem: Message | None = message(
                    "seal.document_gone",
                    N_("it is no longer in the database (sealed at version {version})"),
                    version=head.version,
                )
            else:
                problem = _against_head(head, entries[head.document_id])
            if problem is not None:
                broken.append(SealBreak(head.document_id, head.version, seal.label, problem))
    return broken


def _against_head(head: Head, entries: Sequence[Row[Any]]) -> Message | None:
    """Recompute a document's chain up to the sealed version; what differs from the sealed head, or None."""
    chained, version = GENESIS, 0
    for entry in entries:
        if entry.version > head.version:
            break
        if entry.version != version + 1:
            return message(
                "seal.entry_gone",
                N_("version {missing} of its log is gone (sealed at version {version})"),
                missing=version + 1,
                version=head.version,
            )
        chained = entry_hash(
            document_id=entry.document_id,
            version=entry.version,
            at=entry.at,
            actor_id=entry.actor_id,
            trigger=entry.trigger,
            from_state=entry.from_state,
            to_state=entry.to_state,
            comment=entry.comment,
            data_json=canonical_json(entry.data),
            prev_hash=chained,
        )
        version = entry.version
    if version < head.version:
        return message(
            "seal.entries_deleted",
            N_("its log now ends at version {ends}, the seal recorded version {version} (entries deleted)"),
            ends=version,
            version=head.version,
        )
    if chained != head.hash:
        return message(
            "seal.rewritten",
            N_(
                "its entries up to version {version} no longer hash to the sealed head {sealed}… (they give "
                "{found}…): its history was rewritten"
            ),
            version=head.version,
            sealed=head.hash[:16],
            found=chained[:16],
        )
    return None


def consistent_reads(session: Session) -> None:
    """One snapshot for a whole check or seal, which only reads: a move committed meanwhile is not a false break.
    Call it before the session's first statement."""
    begin_reading(session, one_snapshot=True)
