"""A visit a log platform aggregated, its requests and bytes shared out over the hours it lasted.

A per-request log puts each request in the hour it ended; a visit only says
how many there were between its start and its end. They are shared out in
proportion to the time the visit spent in each hour (the largest remainders
take what is left, the earlier hour on a tie), and the bytes in proportion to
the requests: an hour-long stream shows as an hour of activity, not a peak
at its start. The person counts as present in each hour that got a request,
as a per-request log counts them where a request ended. The shares are whole
numbers, and the same visit always gets the same ones: a removal takes out
exactly what the import put in.
"""

from __future__ import annotations


def _largest_remainder(total: int, quotas: list[float]) -> list[int]:
    """`total` split into whole numbers after `quotas` (which sum to `total`)."""
    shares = [int(q) for q in quotas]
    left = total - sum(shares)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def by_hour(start: float, end: float, requests: int, size: int) -> list[tuple[int, int, int]]:
    """(epoch hour, requests, bytes) for each hour of the visit that got at least one request."""
    first, last = int(start // 3600), int(end // 3600)
    if first == last or end <= start:
        return [(first, requests, size)]
    hours = range(first, last + 1)
    spent = [min(end, (h + 1) * 3600) - max(start, h * 3600) for h in hours]
    whole = sum(spent)
    counts = _largest_remainder(requests, [requests * s / whole for s in spent])
    # Bytes after the requests, in integers: no hour has bytes without a request.
    sizes = [size * n // requests for n in counts]
    rest = size - sum(sizes)
    order = sorted(range(len(counts)), key=lambda i: (-(size * counts[i] % requests), i))
    for i in order[:rest]:
        sizes[i] += 1
    return [(h, n, b) for h, n, b in zip(hours, counts, sizes, strict=True) if n]
