"""Erasure (GDPR art. 17): the person's events, visits and mail events, their rows of the per-person rollups,
and the records of their rectifications (before and after, their statements).

What stays: the global rollups (sums and counts per hour and domain hold no person), the case files
(the decisions taken and the sanctions register the law requires), and anything under a legal hold or
in a case still open: erasure does not apply to data needed for legal claims (art. 17(3)(e)); the
refusal names that rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook.access import personal
from casebook.errors import Refused

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store


def blocked(store: Store, employee_id: int) -> Refused | None:
    """Why the person's data may not be erased now: a hold, or a case still open about them.

    A hold is named first: it outlasts the case (closing the case does not release it), so a refusal
    that named only the open case would suggest the data goes once the case closes.
    """
    row = store.query_one(
        "SELECT h.case_id FROM holds h JOIN case_people p ON p.case_id = h.case_id"
        " WHERE p.employee_id = ? AND h.released_at IS NULL LIMIT 1",
        [employee_id],
    )
    if row is not None:
        return Refused("access.erasure_hold", "refused.access_erasure_hold", case=row["case_id"])
    row = store.query_one(
        "SELECT c.id FROM case_people p JOIN cases c ON c.id = p.case_id WHERE p.employee_id = ? AND c.state != 'closed'"
        " LIMIT 1",
        [employee_id],
    )
    if row is not None:
        return Refused("access.erasure_case", "refused.access_erasure_case", case=row["id"])
    return None


def _day_ordinal(ts: float) -> int:
    if ts >= personal._FOREVER:
        return date.max.toordinal()
    return clocks.local(datetime.fromtimestamp(max(ts, 0.0), UTC)).date().toordinal()


def erase(session: Session, employee_id: int) -> dict[str, int]:
    """Delete the person's log data; the caller holds the transaction and checked the permission."""
    store = session.casebook.store
    if refusal := blocked(store, employee_id):
        raise refusal
    found = personal.windows(session.casebook, employee_id)
    counts: dict[str, int] = {}

    def delete(table: str, sql_where: str, params: list[object]) -> None:
        cursor = store.conn.execute(f"DELETE FROM {table} WHERE {sql_where}", params)
        counts[table] = counts.get(table, 0) + cursor.rowcount

    # Requests, and visits (those a log platform aggregated are evidence themselves), with their links.
    for table, kind, moment in (("events", "event", "ts"), ("visits", "visit", "start")):
        where, params = personal.where(found, "pseudonym_id", moment)
        ids = [int(r[0]) for r in store.conn.execute(f"SELECT id FROM {table} WHERE {where}", params)]
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            marks = ", ".join("?" * len(chunk))
            delete("irregularity_events", f"kind = '{kind}' AND ref_id IN ({marks})", list(chunk))
            delete("case_person_events", f"kind = '{kind}' AND ref_id IN ({marks})", list(chunk))
        delete(table, where, params)
    sent_where, sent_params = personal.where(found, "sender_id", "ts")
    received_where, received_params = personal.where(found, "recipient_id", "ts")
    delete("mail_events", f"{sent_where} OR {received_where}", sent_params + received_params)
    # What was corrected in their entry and what they stated goes with them; the audit trail keeps only
    # references and salted digests, which tell nothing once these rows are gone.
    delete("rectifications", "employee_id = ?", [employee_id])
    for window in found:
        delete(
            "rollup_users",
            "pseudonym_id = ? AND hour >= ? AND hour < ?",
            [window.pseudonym_id, int(window.start // 3600), int(min(window.end, 1e12) // 3600)],
        )
        first, last = _day_ordinal(window.start), _day_ordinal(window.end)
        for table in ("rollup_daily_users", "rollup_category_users"):
            delete(table, "pseudonym_id = ? AND day >= ? AND day < ?", [window.pseudonym_id, first, last])
    return counts
