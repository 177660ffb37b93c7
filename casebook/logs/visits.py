"""Sessionising: a person's requests to one site merged into visits while the gap between them stays short.

A site is a domain's hosts of one category (mail.google.com apart from
www.google.com). A request occupied `[time - elapsed, time]`; it joins the
open visit of its pseudonym and site when it starts within the gap (setting
`visit_gap_minutes`) of that visit's end, or ends within the gap of its start
(lines may come slightly out of order). Overlapping requests and a long
CONNECT tunnel thus count once: summing Squid's `elapsed`, as SARG and
SquidAnalyzer do, overcounts them.

A visit a log platform aggregated (the `visits` format) joins by the same
rule (`add_span`): the platform's visits of a site's several hosts become one.

A visit still open when an import ends is written like any other, and the
import that continues the same log takes it back (`reopen`) and goes on with
it: a log imported in steps gives the visits one import gives.
"""

from __future__ import annotations

# Lines may come this many seconds out of order and still join their visit; older visits are closed.
OUT_OF_ORDER_SLACK = 600

# A closed visit as the visits table stores it: (import id, pseudonym id, site id, start, end, requests, bytes).
VisitRow = tuple[int, int, int, float, float, int, int]


class Visits:
    """The open visits of one import, and the closed ones not yet written."""

    def __init__(self, import_id: int, gap: float) -> None:
        self.import_id = import_id
        self.gap = gap
        # (pseudonym id, site id) -> [start, end, requests, bytes]
        self.open: dict[tuple[int, int], list[float]] = {}
        # Taken (and cleared) by whoever writes them: the importer, after the rollups have counted them.
        self.closed: list[VisitRow] = []

    def add(self, pid: int, site: int, ts: float, elapsed_ms: int, size: int) -> None:
        """One request, ending at `ts`."""
        begin = ts - elapsed_ms / 1000
        key = (pid, site)
        visit = self.open.get(key)
        gap = self.gap
        if visit is not None and begin <= visit[1] + gap and ts >= visit[0] - gap:
            if begin < visit[0]:
                visit[0] = begin
            if ts > visit[1]:
                visit[1] = ts
            visit[2] += 1
            visit[3] += size
        else:
            if visit is not None:
                self.closed.append((self.import_id, pid, site, visit[0], visit[1], int(visit[2]), int(visit[3])))
            self.open[key] = [begin, ts, 1, size]

    def add_span(self, pid: int, site: int, begin: float, end: float, requests: int, size: int) -> None:
        """A visit a log platform aggregated: it joins the open visit of its pseudonym and site by the same gap
        rule as a request does, so the platform's visits of a site's several hosts become the casebook's one."""
        key = (pid, site)
        visit = self.open.get(key)
        if visit is not None and begin <= visit[1] + self.gap and end >= visit[0] - self.gap:
            if begin < visit[0]:
                visit[0] = begin
            if end > visit[1]:
                visit[1] = end
            visit[2] += requests
            visit[3] += size
        else:
            if visit is not None:
                self.closed.append((self.import_id, pid, site, visit[0], visit[1], int(visit[2]), int(visit[3])))
            self.open[key] = [begin, end, requests, size]

    def sweep(self, now_ts: float) -> int:
        """Close the visits no line still to come can join; returns the epoch hour before which figures are settled.

        `now_ts` is the latest line's time, not the greatest seen: one stray
        stamp far ahead must not close everything. A visit still open may yet
        add to an earlier hour when it closes; the rollups add up, so that is
        no harm.
        """
        limit = now_ts - self.gap - OUT_OF_ORDER_SLACK
        self._close([key for key, visit in self.open.items() if visit[1] < limit])
        return int(limit // 3600) - 1

    def close_all(self) -> None:
        self._close(list(self.open))

    def reopen(self, rows: list[VisitRow]) -> None:
        """Visits an earlier import of the same log left open, taken back: later requests may join them."""
        for _, pid, site, start, end, requests, size in rows:
            self.open[(pid, site)] = [start, end, requests, size]

    def _close(self, keys: list[tuple[int, int]]) -> None:
        # One visit at a time, keeping nothing in between: a list of (key, visit) pairs made first would double the
        # objects made per visit, and the collector's passes over a big import's memory cost more than the work.
        visits, closed, import_id = self.open, self.closed, self.import_id
        for key in keys:
            start, end, requests, size = visits.pop(key)
            closed.append((import_id, key[0], key[1], start, end, int(requests), int(size)))
