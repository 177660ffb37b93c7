"""Every kind of document `casebook report` and the app can make: one entry each, the renderers shared.

A kind names its builder (a function from a Session to a Document), who may read it and, for a kept
kind, who may make a new version of it (casebook.documents.archive keeps those). The formats are
the shared renderers' names. Adding a report is adding one entry to REPORTS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from casebook.documents import gdpr, render_md, render_pdf
from casebook.documents.model import Document
from casebook.errors import Refused
from casebook.permissions import Action

if TYPE_CHECKING:
    from casebook.session import Session

# Each renderer writes a whole document as bytes: Markdown (UTF-8 text) or PDF.
RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "md": lambda document: render_md.render(document).encode("utf-8"),
    "pdf": render_pdf.render,
}


@dataclass(frozen=True)
class ReportKind:
    name: str  # as the command line writes it: `casebook report NAME`
    summary: str  # its --help line (in English, as every --help)
    build: Callable[[Session], Document]
    read: Action  # who may read it
    make: Action | None = None  # kept kinds: who may make a new version; None: made anew at every call
    formats: tuple[str, ...] = ("md", "pdf")

    @property
    def kept(self) -> bool:
        return self.make is not None

    @property
    def key(self) -> str:
        """Its catalogue keys' part: documents.kind.KEY, documents.file.KEY."""
        return self.name.replace("-", "_")


REPORTS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in (
        ReportKind(
            "notice",
            "The privacy notice for employees (GDPR art. 13), made from the current policy.",
            partial(gdpr.build, kind="notice"),
            Action.READ_NOTICE,
            Action.MAKE_DOCUMENTS,
        ),
        ReportKind(
            "processing-record",
            "The record of processing activities (GDPR art. 30) for the control.",
            partial(gdpr.build, kind="processing-record"),
            Action.READ_GDPR_RECORDS,
            Action.MAKE_DOCUMENTS,
        ),
        ReportKind(
            "dpia",
            "A draft data-protection impact assessment (GDPR art. 35) for the organisation to complete.",
            partial(gdpr.build, kind="dpia"),
            Action.READ_GDPR_RECORDS,
            Action.MAKE_DOCUMENTS,
        ),
    )
}


def kind(name: str) -> ReportKind:
    found = REPORTS.get(name)
    if found is None:
        raise Refused("documents.kind", "refused.document_kind", kind=name, known=", ".join(REPORTS))
    return found


def build(session: Session, name: str) -> Document:
    """The document as the casebook makes it now, for whoever may read it (kept kinds: see archive.make)."""
    report = kind(name)
    session.require(report.read)
    return report.build(session)


def render(document: Document, fmt: str) -> bytes:
    renderer = RENDERERS.get(fmt)
    if renderer is None or fmt not in kind(document.kind).formats:
        raise Refused("documents.format", "refused.document_format", format=fmt, known=", ".join(RENDERERS))
    return renderer(document)
