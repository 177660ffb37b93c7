"""Visit-duration buckets, shared by the import (which counts them) and the overview (which reads them)."""

from __future__ import annotations

from bisect import bisect_right

# Lower bounds in seconds: under 10 s, 10-30 s, 30 s-1 min, 1-2, 2-5, 5-10, 10-15, 15-30, 30-60 min, 1-2 h, 2 h+.
BOUNDS: tuple[int, ...] = (0, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)


def bucket(seconds: float) -> int:
    return bisect_right(BOUNDS, seconds) - 1 if seconds >= 0 else 0


def median(counts: list[int]) -> float | None:
    """The median duration from bucket counts: the middle visit's bucket, interpolated within it."""
    total = sum(counts)
    if total == 0:
        return None
    middle = total / 2
    seen = 0
    for index, count in enumerate(counts):
        if count and seen + count >= middle:
            low = BOUNDS[index]
            high = BOUNDS[index + 1] if index + 1 < len(BOUNDS) else BOUNDS[index] * 2
            return low + (high - low) * (middle - seen) / count
        seen += count
    return float(BOUNDS[-1])
