"""Stages: how far along the ladder of targets a trust is, as EMRAM stages are.

A target may need others met first (full digitisation needs the core level). A trust's stage is
the highest target it has met with all its prerequisites (and theirs) met too. Targets rank by
how many prerequisites stand below them (the longest chain), then by their display order: a target
always ranks above its prerequisites. Plain values in, plain values out; no ORM, no clock.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence

# target id -> the ids of the targets it needs met first
Prerequisites = Mapping[int, Collection[int]]


def prerequisite_cycle(prerequisites: Prerequisites) -> list[int] | None:
    """A chain of targets that needs itself (a, b, a), or None: an admin may not save one."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done

    def visit(target: int, path: list[int]) -> list[int] | None:
        state[target] = 1
        for needed in prerequisites.get(target, ()):
            if state.get(needed) == 1:
                return [*path[path.index(needed) :], needed]
            if state.get(needed) is None:
                found = visit(needed, [*path, needed])
                if found:
                    return found
        state[target] = 2
        return None

    for target in sorted(prerequisites):
        if state.get(target) is None:
            found = visit(target, [target])
            if found:
                return found
    return None


def depths(prerequisites: Prerequisites, targets: Iterable[int]) -> dict[int, int]:
    """The length of the longest chain of prerequisites below each target (0: needs none).
    A cycle, which the admin refuses, counts as no deeper."""
    memo: dict[int, int] = {}

    def depth(target: int, seen: frozenset[int]) -> int:
        if target not in memo:
            below = [
                depth(needed, seen | {target}) + 1 for needed in prerequisites.get(target, ()) if needed not in seen
            ]
            memo[target] = max(below, default=0)
        return memo[target]

    return {target: depth(target, frozenset()) for target in targets}


def ladder(prerequisites: Prerequisites, display_order: Sequence[int]) -> list[int]:
    """The targets (ids, in display order) from the lowest stage to the highest."""
    depth = depths(prerequisites, display_order)
    position = {target: index for index, target in enumerate(display_order)}
    return sorted(display_order, key=lambda target: (depth[target], position[target]))


def all_prerequisites(prerequisites: Prerequisites, target: int) -> set[int]:
    """Every target below `target`: its prerequisites, theirs, and so on."""
    found: set[int] = set()
    waiting = list(prerequisites.get(target, ()))
    while waiting:
        needed = waiting.pop()
        if needed not in found and needed != target:
            found.add(needed)
            waiting.extend(prerequisites.get(needed, ()))
    return found


def stage_for(met: Collection[int], prerequisites: Prerequisites, ranked: Sequence[int]) -> int | None:
    """The trust's stage: the highest target in `ranked` (lowest first, from ladder()) that it has
    met with every target below it met; None when there is none. A status other than met (no
    current data included) is not met."""
    for target in reversed(ranked):
        if target in met and all_prerequisites(prerequisites, target) <= set(met):
            return target
    return None


def stage_changes(
    months: Iterable[tuple[object, Collection[int]]], prerequisites: Prerequisites, ranked: Sequence[int]
) -> list[tuple[object, int | None, int | None]]:
    """From (month, targets met that month), oldest first: (month, stage before, stage after) at
    each month the stage moves, the first month included when it has one."""
    changes = []
    previous: int | None = None
    for month, met in months:
        stage = stage_for(met, prerequisites, ranked)
        if stage != previous:
            changes.append((month, previous, stage))
            previous = stage
    return changes
