"""The employee's rights (GDPR art. 12-21, policy 2.5): requests with their deadlines, the access answer, erasure.

Retention and legal holds live in `casebook.retention`.
"""

from __future__ import annotations

from casebook.access.answer import Answer, as_json, as_markdown, build, visits
from casebook.access.requests import (
    Kind,
    Request,
    Status,
    decide,
    due_date,
    extend,
    file,
    get,
    listing,
    mark_done,
    overdue,
    own_employee,
    start,
)

__all__ = [
    "Answer", "Kind", "Request", "Status", "as_json", "as_markdown", "build", "decide", "due_date", "extend", "file",
    "get", "listing", "mark_done", "overdue", "own_employee", "start", "visits",
]  # fmt: skip
