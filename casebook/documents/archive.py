"""The kept documents: each kind's versions, beside the policy version each was made from.

Making one (the administrator) stores a new version only when its content differs from the
newest one: the header (when, by whom) does not count. Each version keeps its Markdown exactly as
made and its model, so a notice handed to the employees can be shown and printed later as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.documents import render_md, reports
from casebook.documents.model import Document
from casebook.errors import Refused
from casebook.i18n import t
from casebook.permissions import Action

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store


@dataclass(frozen=True)
class Kept:
    kind: str
    version: int
    policy_version: int
    made_at: datetime
    made_by: str
    document: Document
    markdown: str

    def render(self, fmt: str) -> bytes:
        """The export in a format: the Markdown exactly as it was made, other formats from the kept model."""
        if fmt == "md":
            return self.markdown.encode("utf-8")
        return reports.render(self.document, fmt)


@dataclass(frozen=True)
class Made:
    kept: Kept
    new: bool  # False: the content had not changed, the newest version stands


_COLUMNS = "kind, version, policy_version, made_at, made_by, document, markdown"


def _kept(row: dict[str, Any]) -> Kept:
    return Kept(
        kind=str(row["kind"]),
        version=int(row["version"]),
        policy_version=int(row["policy_version"]),
        made_at=clocks.from_text(str(row["made_at"])),
        made_by=str(row["made_by"]),
        document=Document.model_validate_json(str(row["document"])),
        markdown=str(row["markdown"]),
    )


def _newest(store: Store, kind: str) -> dict[str, Any] | None:
    return store.query_one(
        f"SELECT {_COLUMNS}, content_hash FROM documents WHERE kind = ? ORDER BY version DESC LIMIT 1", [kind]
    )


def _kept_kind(name: str) -> reports.ReportKind:
    kind = reports.kind(name)
    if not kind.kept:
        raise Refused("documents.kind", "refused.document_not_kept", kind=name)
    return kind


def make(session: Session, name: str) -> Made:
    """Make the document from the current policy; a new version only when its content changed."""
    kind = _kept_kind(name)
    assert kind.make is not None
    session.require(kind.make)
    document = reports.build(session, name)
    content_hash = document.body.content_hash()
    store = session.casebook.store
    with store.transaction():
        newest = _newest(store, name)
        if newest is not None and newest["content_hash"] == content_hash:
            return Made(_kept(newest), new=False)
        version = int(newest["version"]) + 1 if newest is not None else 1
        document = document.model_copy(update={"about": document.about.model_copy(update={"version": version})})
        markdown = render_md.render(document)
        store.conn.execute(
            "INSERT INTO documents (kind, version, policy_version, made_at, made_by, content_hash, document, markdown)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                version,
                document.about.policy_version,
                clocks.to_text(document.about.made_at),
                document.about.made_by,
                content_hash,
                document.model_dump_json(),
                markdown,
            ),
        )
        session.audit(
            "document.made",
            f"{name}/v{version}",
            {"policy_version": document.about.policy_version, "content_hash": content_hash},
        )
    return Made(get(session, name, version), new=True)


def get(session: Session, name: str, version: int | None = None) -> Kept:
    """One version (default: the newest) for whoever may read the kind; refused when there is none."""
    kind = _kept_kind(name)
    session.require(kind.read)
    store = session.casebook.store
    if version is None:
        row = _newest(store, name)
    else:
        row = store.query_one(f"SELECT {_COLUMNS} FROM documents WHERE kind = ? AND version = ?", [name, version])
    if row is None:
        title = t(f"documents.kind.{kind.key}")
        if version is None:
            raise Refused("documents.made", "refused.document_none_made", kind=title)
        raise Refused("documents.made", "refused.document_no_version", kind=title, version=version)
    return _kept(row)


def latest(session: Session, name: str) -> Kept | None:
    """The newest version, or None when none was made yet."""
    try:
        return get(session, name)
    except Refused as refusal:
        if refusal.rule == "documents.made":
            return None
        raise


def produce(session: Session, name: str) -> Made:
    """What `casebook report KIND` hands out: made afresh by whoever may make it, else the newest version."""
    kind = _kept_kind(name)
    if kind.make is not None and session.may(kind.make):
        return make(session, name)
    return Made(get(session, name), new=False)


@dataclass(frozen=True)
class VersionSummary:
    version: int
    policy_version: int
    made_at: datetime
    made_by: str


def history(session: Session, name: str) -> list[VersionSummary]:
    """Every version of a kind, newest first."""
    kind = _kept_kind(name)
    session.require(kind.read)
    rows = session.casebook.store.query(
        "SELECT version, policy_version, made_at, made_by FROM documents WHERE kind = ? ORDER BY version DESC", [name]
    )
    return [
        VersionSummary(
            int(r["version"]), int(r["policy_version"]), clocks.from_text(str(r["made_at"])), str(r["made_by"])
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Shelf:
    """One kind as a person sees it in the list: its newest version, if any, and whether they may make one."""

    kind: reports.ReportKind
    newest: Kept | None
    may_make: bool
    # For whoever may make it: whether the newest version says what the current policy would (None: not asked).
    current: bool | None = None
    missing: tuple[str, ...] = ()  # facts the current policy still lacks for it (asked with `current`)


def overview(session: Session) -> list[Shelf]:
    """The kept kinds this person may read, each with its newest version; for its maker, whether it is current."""
    session.require(Action.READ_NOTICE)  # everyone's; checks that the account is still there and enabled
    out = []
    for kind in reports.REPORTS.values():
        if not kind.kept or not session.may(kind.read):
            continue
        newest = latest(session, kind.name)
        if kind.make is None or not session.may(kind.make):
            out.append(Shelf(kind, newest, may_make=False))
            continue
        now = reports.build(session, kind.name)
        current = newest is not None and newest.document.body.content_hash() == now.body.content_hash()
        out.append(Shelf(kind, newest, may_make=True, current=current, missing=now.missing))
    return out
