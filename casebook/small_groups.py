"""The one rule about small groups: no figure about fewer people than the policy's `min_group_size`.

A count of people below the minimum points at them ("gambling: 1 user" is a person in a small
office). Such a count comes out as None (shown "< N"); zero stays zero, as it points at nobody. The
global figures (casebook.logs.rollups) and the reports for the consultation body both go through
here, so the rule is written once.

`fold` is the rule for a breakdown into disjoint parts (sanctions by kind, requests by outcome):
the parts under the minimum go together into one row, and while that row is itself about fewer
people than the minimum (its number could then be found back from the total) the smallest part
still shown goes in too. What comes out never holds a number between 1 and the minimum - 1: each
part shown is 0 or at least the minimum, the folded row likewise or "< N" when it holds everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def shown(count: int, minimum: int) -> int | None:
    """The count, or None when it is about fewer people than the minimum (zero is no group: it stays 0)."""
    return count if count == 0 or count >= minimum else None


def enough(count: int, minimum: int) -> bool:
    """Whether a group of `count` people may be shown on its own (an empty group is not shown at all)."""
    return count >= minimum


@dataclass(frozen=True)
class Folded:
    parts: dict[str, int]  # the parts shown on their own, in the order given
    other: int | None  # the parts folded together: None when that is fewer than the minimum, 0 when none
    folded: tuple[str, ...]  # which parts went into `other` (never shown: the count `len(folded)` at most)
    total: int | None  # the sum of every part, under the same rule


def fold(parts: Mapping[str, int], minimum: int) -> Folded:
    """A breakdown safe to show: small parts folded together until the fold is no small group itself."""
    small = [key for key, value in parts.items() if 0 < value < minimum]
    big = sorted((key for key, value in parts.items() if value >= minimum), key=lambda k: (parts[k], k))
    while small and sum(parts[k] for k in small) < minimum and big:
        small.append(big.pop(0))
    folded = tuple(key for key in parts if key in small)
    kept = {key: value for key, value in parts.items() if key not in small}
    other = sum(parts[key] for key in folded)
    total = sum(parts.values())
    return Folded(kept, shown(other, minimum), folded, shown(total, minimum))
