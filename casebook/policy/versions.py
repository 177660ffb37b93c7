"""Policy versions: every change of text or settings is a new version; earlier ones stay readable.

The screens and the CLI read through `read` and `history` (a Session, the
permission checked). `current` and `get` are the core's own reads (the log
import, the rules and the receipts ask them while already checked);
`ensure_default` runs while a casebook opens, before anyone signs in: it gives
a new casebook the shipped default text, and a casebook whose policy is still
an earlier shipped default the current one (a new version, fields kept).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from importlib import resources
from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook.errors import Refused
from casebook.permissions import Action
from casebook.policy import document, fields
from schema.policy import PolicySettings

if TYPE_CHECKING:
    from casebook.audit import AuditWriter
    from casebook.book import Casebook
    from casebook.clock import Clock
    from casebook.session import Session
    from casebook.store import Store


def default_text() -> str:
    return resources.files("casebook.policy").joinpath("default.nl.md").read_text("utf-8")


@dataclass(frozen=True)
class PolicyVersion:
    version: int
    created_at: datetime
    created_by: str | None
    change: str
    text: str
    settings: PolicySettings

    @cached_property
    def document(self) -> document.Document:
        return document.parse(self.text, strict=False)

    def asked(self) -> list[str]:
        """The settings this version's text needs, plus those the law and the app always need."""
        return fields.settings_asked(self.document.placeholders)


def _from_row(row: dict[str, object]) -> PolicyVersion:
    return PolicyVersion(
        version=int(row["version"]),  # type: ignore[call-overload]
        created_at=clocks.from_text(str(row["created_at"])),
        created_by=row["created_by"],  # type: ignore[arg-type]
        change=str(row["change"]),
        text=str(row["text"]),
        settings=PolicySettings.model_validate_json(str(row["settings"])),
    )


# Earlier shipped default texts (SHA-256 of default.nl.md as it was), each replaced by the current one on open.
FORMER_DEFAULTS: dict[str, str] = {
    # The seed's text as first shipped: its section 2.5 cites the Privacy Act of 8 December 1992, repealed.
    "8a81f0ad6fa0361549d42a1ddfc598eea9112750b02e282e268616da25224e66": "privacy_act_1992",
}


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_default(store: Store, audit: AuditWriter, clock: Clock) -> None:
    """A casebook without a policy gets the shipped default text, nothing filled in (version 1).

    A casebook whose text is still an earlier shipped default, as the casebook
    itself put it there, gets the current default as a new version with its
    fields kept. A text an organisation loaded is never replaced, not even one
    that happens to equal an old default.
    """
    if store.query_one("SELECT 1 AS x FROM policy_versions LIMIT 1") and not _former_default(store):
        return
    with store.transaction():
        if not store.conn.execute("SELECT 1 FROM policy_versions LIMIT 1").fetchone():
            _insert(store, audit, clock, None, "default", default_text(), PolicySettings(), {})
            return
        former = _former_default(store)  # again: another process may have been first
        if former is None:
            return
        row = store.conn.execute("SELECT settings FROM policy_versions ORDER BY version DESC LIMIT 1").fetchone()
        settings = PolicySettings.model_validate_json(str(row[0]))
        _insert(store, audit, clock, None, "default", default_text(), settings, {"replaces": former})


def _former_default(store: Store) -> str | None:
    """Which earlier default the current text is, if the casebook put it there and nobody loaded a text since."""
    newest = store.query_one("SELECT text FROM policy_versions ORDER BY version DESC LIMIT 1")
    if newest is None:
        return None
    former = FORMER_DEFAULTS.get(_text_hash(str(newest["text"])))
    if former is None:
        return None
    last_text = store.query_one(
        "SELECT change FROM policy_versions WHERE change IN ('default', 'text') ORDER BY version DESC LIMIT 1"
    )
    return former if last_text is not None and last_text["change"] == "default" else None


def _insert(
    store: Store,
    audit: AuditWriter,
    clock: Clock,
    actor: str | None,
    change: str,
    text: str,
    settings: PolicySettings,
    detail: dict[str, object],
) -> int:
    row = store.conn.execute("SELECT coalesce(max(version), 0) + 1 FROM policy_versions").fetchone()
    version = int(row[0])
    store.conn.execute(
        "INSERT INTO policy_versions (version, created_at, created_by, change, text, settings) VALUES (?, ?, ?, ?, ?, ?)",
        (version, clocks.to_text(clock.now()), actor, change, text, settings.model_dump_json()),
    )
    audit.append(actor, "policy.version_created", f"v{version}", {"change": change, **detail})
    return version


def _save(session: Session, change: str, text: str, settings: PolicySettings, detail: dict[str, object]) -> int:
    """A new version made by the signed-in person, in its own transaction."""
    book = session.casebook
    with book.store.transaction():
        return _insert(book.store, book.audit_writer, book.clock, session.user.name, change, text, settings, detail)


def current(book: Casebook) -> PolicyVersion:
    """The newest version; the core's own read, no permission asked (see `read`)."""
    row = book.store.query_one("SELECT * FROM policy_versions ORDER BY version DESC LIMIT 1")
    if row is None:
        raise RuntimeError("casebook has no policy: open_casebook creates the default one")
    return _from_row(row)


def settings_by_version(book: Casebook) -> list[tuple[int, PolicySettings]]:
    """Every version's fields, oldest first (the readiness check follows how the control changed)."""
    rows = book.store.query("SELECT version, settings FROM policy_versions ORDER BY version")
    return [(int(r["version"]), PolicySettings.model_validate_json(str(r["settings"]))) for r in rows]


def get(book: Casebook, version: int) -> PolicyVersion:
    """One version; the core's own read, no permission asked (see `read`)."""
    row = book.store.query_one("SELECT * FROM policy_versions WHERE version = ?", [version])
    if row is None:
        raise Refused("policy.version", "refused.policy_no_version", version=version)
    return _from_row(row)


def read(session: Session, version: int | None = None) -> PolicyVersion:
    """The policy as a signed-in person may read it: everyone is bound by it, so everyone may."""
    session.require(Action.MODE_POLICY)
    return current(session.casebook) if version is None else get(session.casebook, version)


@dataclass(frozen=True)
class VersionSummary:
    version: int
    created_at: datetime
    created_by: str | None
    change: str


def history(session: Session) -> list[VersionSummary]:
    """Every version, newest first: whoever may read the policy may see how it came to be."""
    session.require(Action.MODE_POLICY)
    rows = session.casebook.store.query(
        "SELECT version, created_at, created_by, change FROM policy_versions ORDER BY version DESC"
    )
    return [
        VersionSummary(int(r["version"]), clocks.from_text(str(r["created_at"])), r["created_by"], str(r["change"]))
        for r in rows
    ]


def update_settings(session: Session, typed: dict[str, str]) -> PolicyVersion:
    """Fill in fields from what was typed; all are checked before anything is saved."""
    session.require(Action.MANAGE_POLICY)
    book = session.casebook
    base = current(book)
    values = {name: fields.parse_value(name, text) for name, text in typed.items()}
    changed = {name: value for name, value in values.items() if getattr(base.settings, name) != value}
    if not changed:
        return base
    settings = base.settings.model_copy(update=changed)
    version = _save(session, "settings", base.text, settings, {"fields": sorted(changed)})
    return get(book, version)


def load_text(session: Session, text: str) -> PolicyVersion:
    """Replace the policy text by the organisation's own; the filled-in fields carry over."""
    session.require(Action.MANAGE_POLICY)
    document.parse(text)  # refuses a malformed text before anything is written
    book = session.casebook
    base = current(book)
    if base.text == text:
        return base
    version = _save(session, "text", text, base.settings, {"characters": len(text)})
    return get(book, version)


def settings_json(settings: PolicySettings) -> str:
    return json.dumps(settings.model_dump(mode="json"), ensure_ascii=False, indent=2)
