"""Small-count suppression for published tables: no single report can be recognised (issue 8, point 7).

A table of counts is published with its row totals, column totals and grand total. Every count under
THRESHOLD (zero included: "none of this kind" is a fact about a person too, when the unit is small) is
hidden and shown as "< 3" (*primary* suppression). A hidden count must not be computable from what is
shown: every row and column, totals included, is a linear relation (cells add up to their total), so
more cells are hidden (*complementary* suppression, shown as a dash) until no hidden cell can be worked
out.

Why the rule below is enough: put the totals into the table as an extra row and column (sign-flipped,
every line of the (R+1)×(C+1) table adds up to zero). The hidden cells are the edges of a bipartite graph
between its lines; the values the hidden cells can take, given everything shown, differ exactly along
the graph's cycles. A hidden cell is fixed by the shown ones if and only if its edge lies on no cycle
(it is a *bridge*). So: hide the primary cells, then, while some hidden cell is a bridge, hide the
smallest shown cell that closes a cycle through it. A reader also knows a "< 3" cell is 0-2: a line whose
hidden cells are all "< 3" gets one more hidden cell (see _widen_small_lines), and the cycles are closed
again. Hiding only adds cells, so this ends. Last, an exact search over the whole integer solutions
(hidden "< 3" cells 0-2, other hidden cells 3 or more) confirms that no "< 3" cell holding a report has a
single possible value; when it cannot confirm that within SEARCH_BUDGET steps, the totals are dropped, and
the inner cells, related by nothing any more, are shown alone.

Pure: plain integers in, plain values out (no database, no Flask).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

#: The smallest count published as it is.
THRESHOLD = 3
#: Steps the final check may take before the rule falls back to publishing no totals.
SEARCH_BUDGET = 3_000


class Cell(StrEnum):
    """How one published cell appears."""

    SHOWN = "shown"
    SMALL = "small"  # under THRESHOLD: "< 3"
    HIDDEN = "hidden"  # shown cells could otherwise reveal a small one: a dash
    OMITTED = "omitted"  # a total left out of the table altogether (the fallback: no totals at all)


@dataclass(frozen=True)
class Published:
    """A table ready to print: each cell's value (None when it is not shown) and how it appears."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None
    marks: tuple[tuple[Cell, ...], ...]  # (R+1)×(C+1): the last row and column are the totals


Position = tuple[int, int]


def _augmented(table: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [list(row) + [sum(row)] for row in table]
    columns = len(rows[0]) if rows else 1
    rows.append([sum(row[j] for row in rows) for j in range(columns)])
    return rows


def _is_bridge(hidden: set[Position], edge: Position) -> tuple[set[tuple[str, int]], set[tuple[str, int]]] | None:
    """The two sides of the graph without `edge` if it is a bridge (its ends then fall apart), else None."""
    start, goal = ("r", edge[0]), ("c", edge[1])
    adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in hidden:
        if (i, j) != edge:
            adjacency.setdefault(("r", i), []).append(("c", j))
            adjacency.setdefault(("c", j), []).append(("r", i))
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        for other in adjacency.get(node, ()):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    if goal in seen:
        return None
    other_side = {goal}
    stack = [goal]
    while stack:
        node = stack.pop()
        for other in adjacency.get(node, ()):
            if other not in other_side:
                other_side.add(other)
                stack.append(other)
    return seen, other_side


def suppress(table: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> Published:
    """Which cells of `table` (rows of non-negative counts, all rows the same length) and of its totals to show."""
    if any(len(row) != len(table[0]) for row in table) or not table or not table[0]:
        raise ValueError("a table needs at least one row and one column, all rows the same length")
    if any(value < 0 for row in table for value in row):
        raise ValueError("counts are never negative")
    full = _augmented(table)
    height, width = len(full), len(full[0])
    small = {(i, j) for i in range(height) for j in range(width) if full[i][j] < threshold}
    hidden = set(small)
    while True:
        _close_cycles(full, hidden)
        if not _widen_small_lines(full, small, hidden):
            break
    omitted: set[Position] = set()
    if not _bounds_reveal_nothing(full, small, hidden):
        # Drop the totals: with no relation left, each inner cell stands alone ("< 3" or its count).
        omitted = {(height - 1, j) for j in range(width)} | {(i, width - 1) for i in range(height)}
        hidden = (small - omitted) | omitted
    marks = tuple(tuple(_mark((i, j), small, hidden, omitted) for j in range(width)) for i in range(height))
    shown = [[None if (i, j) in hidden else full[i][j] for j in range(width)] for i in range(height)]
    return Published(
        cells=tuple(tuple(row[:-1]) for row in shown[:-1]),
        row_totals=tuple(row[-1] for row in shown[:-1]),
        column_totals=tuple(shown[-1][:-1]),
        total=shown[-1][-1],
        marks=marks,
    )


def _mark(p: Position, small: set[Position], hidden: set[Position], omitted: set[Position]) -> Cell:
    if p in omitted:
        return Cell.OMITTED
    if p in small:
        return Cell.SMALL
    return Cell.HIDDEN if p in hidden else Cell.SHOWN


def _close_cycles(full: list[list[int]], hidden: set[Position]) -> None:
    """Hide more cells until no hidden cell is a bridge (none is fixed by the shown cells)."""
    height, width = len(full), len(full[0])
    while True:
        bridge_sides = next(
            ((edge, sides) for edge in sorted(hidden) if (sides := _is_bridge(hidden, edge)) is not None), None
        )
        if bridge_sides is None:
            break
        _edge, (side_a, side_b) = bridge_sides
        # A shown cell joining a row of one side to a column of the other closes a cycle through the bridge.
        candidates = [
            (full[i][j], i, j)
            for a, b in ((side_a, side_b), (side_b, side_a))
            for kind_i, i in a
            if kind_i == "r"
            for kind_j, j in b
            if kind_j == "c" and (i, j) not in hidden
        ]
        # Both sides use up their lines: reach out to a line with no hidden cell yet, from either side
        # (a later round closes the cycle through it).
        if not candidates:
            lines = side_a | side_b
            candidates = [
                (full[i][j], i, j)
                for i in range(height)
                for j in range(width)
                if (i, j) not in hidden and (("r", i) in lines or ("c", j) in lines)
            ]
        if not candidates:
            break
        _value, i, j = min(candidates)
        hidden.add((i, j))


def _widen_small_lines(full: list[list[int]], small: set[Position], hidden: set[Position]) -> bool:
    """Hide one more cell in each line whose hidden cells are all small; whether any was hidden.

    Linear algebra is not all a reader knows: a "< 3" cell is 0, 1 or 2. A line whose hidden cells are all
    "< 3" shows their sum, and a sum of 4 over two of them says both are 2. A hidden cell that is not
    small (3 or more, with no upper bound in that line) takes that certainty away.
    """
    height, width = len(full), len(full[0])
    lines = [[(i, j) for j in range(width)] for i in range(height)] + [
        [(i, j) for i in range(height)] for j in range(width)
    ]
    changed = False
    for line in lines:
        line_hidden = [p for p in line if p in hidden]
        shown = [p for p in line if p not in hidden]
        if line_hidden and shown and all(p in small for p in line_hidden):
            i, j = min(shown, key=lambda p: (full[p[0]][p[1]], p))
            hidden.add((i, j))
            changed = True
    return changed


class _OutOfBudget(Exception):
    pass


def _bounds_reveal_nothing(full: list[list[int]], small: set[Position], hidden: set[Position]) -> bool:
    """Whether every hidden "< 3" cell holding 1 or 2 could, given all that is shown, hold another value.

    Depth-first search over the hidden cells (small: 0-2; others: 3 up to the grand total, which bounds
    every cell: a narrower domain can only make this answer False, never wrongly True), pruned by each
    line's reachable sum. False when the search runs out of budget.
    """
    height, width = len(full), len(full[0])
    unknowns = sorted(hidden)
    top = full[-1][-1]
    domains = {p: (0, THRESHOLD - 1) if p in small else (THRESHOLD, max(THRESHOLD, top)) for p in unknowns}
    if any(low > high for low, high in domains.values()):
        return False

    def sign(p: Position) -> int:  # cells minus their total: every line adds up to zero
        return -1 if (p[0] == height - 1) != (p[1] == width - 1) else 1

    lines = [[(i, j) for j in range(width)] for i in range(height)] + [
        [(i, j) for i in range(height)] for j in range(width)
    ]
    # Per line: the signed sum of its shown cells, and its hidden cells with their signs.
    fixed = [sum(sign(p) * full[p[0]][p[1]] for p in line if p not in hidden) for line in lines]
    open_cells = [[(p, sign(p)) for p in line if p in hidden] for line in lines]
    lines_of: dict[Position, list[int]] = {p: [] for p in unknowns}
    for index, line in enumerate(open_cells):
        for p, _sign in line:
            lines_of[p].append(index)
    budget = [SEARCH_BUDGET]

    def line_possible(index: int, assigned: dict[Position, int]) -> bool:
        low = high = fixed[index]
        for p, s in open_cells[index]:
            if p in assigned:
                low += s * assigned[p]
                high += s * assigned[p]
            else:
                a, b = domains[p]
                low += min(s * a, s * b)
                high += max(s * a, s * b)
        return low <= 0 <= high

    if not all(line_possible(index, {}) for index in range(len(lines))):
        return False

    def another_solution(target: Position, avoid: int) -> bool:
        order = [target] + [p for p in unknowns if p != target]
        assigned: dict[Position, int] = {}

        def search(depth: int) -> bool:
            budget[0] -= 1
            if budget[0] < 0:
                raise _OutOfBudget
            if depth == len(order):
                return True
            p = order[depth]
            low, high = domains[p]
            for value in range(low, high + 1):
                if p == target and value == avoid:
                    continue
                assigned[p] = value
                if all(line_possible(k, assigned) for k in lines_of[p]) and search(depth + 1):
                    return True
                del assigned[p]
            return False

        return search(0)

    try:
        return all(another_solution(p, full[p[0]][p[1]]) for p in unknowns if p in small and full[p[0]][p[1]] > 0)
    except _OutOfBudget:
        return False
