"""The documents the GDPR asks of an employer that monitors: the privacy notice (art. 13), the record of
processing activities (art. 30) and a draft data-protection impact assessment (art. 35).

Each is its template (templates/KIND.nl.md) filled in with the facts of the current policy: the
organisation, its contacts, the purposes adopted, the control's mode and means, retention and storage,
the consultation body. Nothing about any person goes in: no employee, no log line, no pseudonym.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook.documents import template
from casebook.documents.model import About, Document
from casebook.formatting import long_date
from casebook.plaintext import inert, one_line
from casebook.policy import fields, versions
from casebook.policy.versions import PolicyVersion
from schema.policy import ControlMode

if TYPE_CHECKING:
    from casebook.session import Session

LANGUAGE = "nl"  # the documents go to the employees and the authority in Dutch, whatever the app speaks
KINDS = ("notice", "processing-record", "dpia")


def _phrase(text: str) -> str:
    """A value set inside a sentence: one line, no control character, no full stop of its own."""
    return inert(one_line(text)).rstrip(".").strip()


def facts(policy: PolicyVersion) -> dict[str, template.Fact]:
    """What the templates may say, from one policy version; an empty value shows as a blank to fill in."""
    s = policy.settings

    def placeholder(name: str) -> str:
        return _phrase(fields.PLACEHOLDERS[name].render(s) or "")

    days = s.retention_days
    return {
        "organisation_name": _phrase(s.organisation_name),
        "controller_contact": _phrase(s.controller_contact),
        "dpo_contact": _phrase(s.dpo_contact),
        "purposes": s.purposes,
        "retention_days": "" if not days else ("1 dag" if days == 1 else f"{days} dagen"),
        "long_retention": bool(days and days > fields.MAX_ADVISED_RETENTION_DAYS),
        "storage_location": _phrase(s.storage_location),
        "control_means": _phrase(s.control_means),
        "control_mode": placeholder("control_mode"),
        "permanent": ControlMode.PERMANENT in s.control_mode,
        "control_justification": _phrase(s.control_justification),
        "consultation_body": placeholder("consultation_body"),
        "consultation_date": long_date(s.consultation_date, LANGUAGE) if s.consultation_date else "",
        "evaluation_body": placeholder("evaluation_body"),
        "date_in_force": long_date(s.date_in_force, LANGUAGE) if s.date_in_force else "",
        "sanctions": s.sanctions,
        "keep_full_urls": s.keep_full_urls,
    }


def build(session: Session, kind: str) -> Document:
    """The document of `kind` as the current policy makes it now, made by the signed-in person.

    The caller checks who may have it (casebook.documents.reports); reading the policy is everyone's.
    """
    policy = versions.read(session)
    body, missing = template.fill(template.template_text(kind, LANGUAGE), facts(policy), LANGUAGE)
    words = template.labels(LANGUAGE)
    organisation = _phrase(policy.settings.organisation_name) or str(words["missing"]).format(
        label=words["facts"]["organisation_name"]
    )
    about = About(
        organisation=organisation,
        made_at=clocks.from_text(clocks.to_text(session.now())),  # to the second, as it is kept
        made_by=session.user.name,
        policy_version=policy.version,
    )
    return Document(kind=kind, about=about, body=body, missing=missing)
