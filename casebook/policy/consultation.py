"""The employer's dealings with the employees' representatives about the control (CAO 81 art. 7, 9, 10).

Two kinds of record, each a dated fact the readiness check and the reports read:
- an information: the designated body (art. 7: the works council, else the committee for prevention
  and protection at work, else the union delegation, else the employees themselves) was told of the
  control system as it stands in one policy version, before it is used (art. 9); a version that
  changes the purposes, the control mode, the means or the retention needs a new one;
- an evaluation (art. 10): the system was evaluated with that body, what was discussed and what
  was changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.errors import Refused
from casebook.permissions import Action
from casebook.policy.versions import current
from casebook.store import Store
from schema.policy import Body

if TYPE_CHECKING:
    from casebook.session import Session


@dataclass(frozen=True)
class Information:
    id: int
    body: Body
    held_on: date
    policy_version: int
    presented: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class Evaluation:
    id: int
    body: Body
    held_on: date
    discussed: str
    changes: str
    recorded_by: str
    recorded_at: datetime


def _information(row: dict[str, Any]) -> Information:
    return Information(
        int(row["id"]),
        Body(str(row["body"])),
        date.fromisoformat(str(row["held_on"])),
        int(row["policy_version"]),
        str(row["presented"]),
        str(row["recorded_by"]),
        clocks.from_text(str(row["recorded_at"])),
    )


def _evaluation(row: dict[str, Any]) -> Evaluation:
    return Evaluation(
        int(row["id"]),
        Body(str(row["body"])),
        date.fromisoformat(str(row["held_on"])),
        str(row["discussed"]),
        str(row["changes"]),
        str(row["recorded_by"]),
        clocks.from_text(str(row["recorded_at"])),
    )


def _check_date(session: Session, held_on: date) -> None:
    if held_on > session.today():
        raise Refused("consultation.date", "refused.consultation_future", date=held_on.isoformat())


def _check_text(text: str, what: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise Refused("consultation.text", f"refused.consultation_{what}")
    return text


def record_information(
    session: Session, body: Body, held_on: date, presented: str, version: int | None = None
) -> Information:
    """Record that `body` was informed, on `held_on`, of the control as policy `version` (default: current) has it."""
    session.require(Action.MANAGE_POLICY)
    _check_date(session, held_on)
    presented = _check_text(presented, "presented")
    store = session.casebook.store
    latest = current(session.casebook).version
    version = latest if version is None else version
    if not 1 <= version <= latest:
        raise Refused("policy.version", "refused.policy_no_version", version=version)
    with store.transaction():
        row_id = store.conn.execute(
            "INSERT INTO informations (body, held_on, policy_version, presented, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (body.value, held_on.isoformat(), version, presented, session.user.name, clocks.to_text(session.now())),
        ).lastrowid
        session.audit(
            "policy.informed", f"v{version}", {"body": body.value, "held_on": held_on.isoformat(), "id": row_id}
        )
    return next(i for i in informations(session) if i.id == row_id)


def record_evaluation(session: Session, body: Body, held_on: date, discussed: str, changes: str = "") -> Evaluation:
    """Record an evaluation of the control system with `body` (art. 10)."""
    session.require(Action.MANAGE_POLICY)
    _check_date(session, held_on)
    discussed = _check_text(discussed, "discussed")
    changes = " ".join(changes.split())
    store = session.casebook.store
    with store.transaction():
        row_id = store.conn.execute(
            "INSERT INTO evaluations (body, held_on, discussed, changes, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (body.value, held_on.isoformat(), discussed, changes, session.user.name, clocks.to_text(session.now())),
        ).lastrowid
        session.audit("policy.evaluated", None, {"body": body.value, "held_on": held_on.isoformat(), "id": row_id})
    return next(e for e in evaluations(session) if e.id == row_id)


def informations(session: Session) -> list[Information]:
    """Every information of a body, newest first: everyone bound by the policy may see when it was presented."""
    session.require(Action.MODE_POLICY)
    return stored_informations(session.casebook.store)


def evaluations(session: Session) -> list[Evaluation]:
    session.require(Action.MODE_POLICY)
    return stored_evaluations(session.casebook.store)


def stored_informations(store: Store) -> list[Information]:
    """The core's own read (the readiness check)."""
    rows = store.query("SELECT * FROM informations ORDER BY held_on DESC, id DESC")
    return [_information(r) for r in rows]


def stored_evaluations(store: Store) -> list[Evaluation]:
    rows = store.query("SELECT * FROM evaluations ORDER BY held_on DESC, id DESC")
    return [_evaluation(r) for r in rows]
