"""Small-count suppression: every count under 3 hidden, and no hidden count computable from what is shown.

The check here is independent of the rule's graph argument: Gaussian elimination over the rationals on
the table's relations (each row and column adds up to its total, totals included) decides whether a hidden
cell's value is fixed by the shown ones. It runs over every table of a few small shapes and values.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from zi_public.rules.disclosure import THRESHOLD, Cell, suppress


def _full(table):
    rows = [list(row) + [sum(row)] for row in table]
    rows.append([sum(row[j] for row in rows) for j in range(len(rows[0]))])
    return rows


def _relations(height, width):
    """Each relation as {position: coefficient} = 0 over the (R+1)×(C+1) table (last row/column: totals)."""
    relations = []
    for i in range(height):
        relation = {(i, j): 1 for j in range(width - 1)}
        relation[(i, width - 1)] = -1
        relations.append(relation)
    for j in range(width):
        relation = {(i, j): 1 for i in range(height - 1)}
        relation[(height - 1, j)] = -1
        relations.append(relation)
    return relations


def _rank(rows):
    rows = [list(r) for r in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = Fraction(rows[r][column], rows[rank][column])
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def determined_cells(height, width, hidden):
    """The hidden positions whose value the shown cells fix (linear algebra, no bounds)."""
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    matrix = [[Fraction(rel.get(p, 0)) for p in unknowns] for rel in _relations(height, width)]
    base = _rank(matrix)
    fixed = set()
    for index, position in enumerate(unknowns):
        unit = [Fraction(int(k == index)) for k in range(len(unknowns))]
        if _rank([*matrix, unit]) == base:
            fixed.add(position)
    return fixed


def _hidden(published):
    return {(i, j) for i, row in enumerate(published.marks) for j, mark in enumerate(row) if mark != Cell.SHOWN}


def _check(table):
    published = suppress(table)
    full = _full(table)
    height, width = len(full), len(full[0])
    hidden = _hidden(published)
    for i in range(height):
        for j in range(width):
            mark = published.marks[i][j]
            if mark != Cell.OMITTED:
                assert (mark == Cell.SMALL) == (full[i][j] < THRESHOLD), (table, i, j)
            else:
                assert i == height - 1 or j == width - 1  # only totals are ever left out
    small = {p for p in hidden if published.marks[p[0]][p[1]] == Cell.SMALL}
    assert not determined_cells(height, width, hidden) & small, (table, published.marks)
    # What is shown is the true count.
    for i, row in enumerate(published.cells):
        for j, value in enumerate(row):
            assert value is None or value == table[i][j]
    return published


VALUES = (0, 1, 2, 3, 7)


@pytest.mark.parametrize("shape", [(1, 1), (1, 2), (2, 1), (1, 3), (2, 2), (3, 1)])
def test_every_small_table(shape):
    rows, columns = shape
    for values in itertools.product(VALUES, repeat=rows * columns):
        _check([list(values[r * columns : (r + 1) * columns]) for r in range(rows)])


@pytest.mark.parametrize("shape", [(2, 3), (3, 2)])
def test_every_table_of_six(shape):
    rows, columns = shape
    for values in itertools.product((0, 2, 5), repeat=rows * columns):
        _check([list(values[r * columns : (r + 1) * columns]) for r in range(rows)])


def test_wide_tables_sampled_deterministically():
    # The public page's shape: seven categories by four outcomes.
    for seed in range(60):
        table = [[(seed * 7 + i * 13 + j * 5 + i * j * seed) % 9 for j in range(4)] for i in range(7)]
        _check(table)


def test_nothing_small_shows_everything():
    published = suppress([[3, 4], [5, 6]])
    assert published.cells == ((3, 4), (5, 6))
    assert published.row_totals == (7, 11)
    assert published.column_totals == (8, 10)
    assert published.total == 18


def test_one_small_cell_takes_complements_in_its_row_and_column():
    published = suppress([[1, 4], [5, 6]])
    assert published.marks[0][0] == Cell.SMALL
    assert published.cells[0][0] is None
    hidden = _hidden(published)
    assert len([p for p in hidden if p[0] == 0]) >= 2
    assert len([p for p in hidden if p[1] == 0]) >= 2
    # The grand total stays: it tells nothing about one cell.
    assert published.total == 16


def test_a_lone_small_count_in_a_one_cell_table_hides_everything():
    published = suppress([[2]])
    assert published.cells == ((None,),)
    assert published.total is None


def test_zero_is_small_too():
    assert suppress([[0, 5], [5, 5]]).marks[0][0] == Cell.SMALL


@pytest.mark.parametrize("bad", [[], [[]], [[1, 2], [3]], [[-1]]])
def test_bad_tables_are_refused(bad):
    with pytest.raises(ValueError):
        suppress(bad)


def test_bounded_brute_force_never_pins_a_small_nonzero_count():
    """Beyond linear algebra: a reader knows a "< 3" cell is 0-2 and a dashed one 3 or more. Over every 2×2
    table of 0-3, every table of 0-5 that looks the same has been tried: a "< 3" cell holding 1 or 2 is
    never the same in all of them."""
    for values in itertools.product(range(4), repeat=4):
        table = [list(values[:2]), list(values[2:])]
        published = suppress(table)
        marks = published.marks
        full = _full(table)
        seen: dict[tuple[int, int], set[int]] = {}
        for guess in itertools.product(range(6), repeat=4):
            candidate = _full([list(guess[:2]), list(guess[2:])])
            if all(_looks_the_same(marks[i][j], full[i][j], candidate[i][j]) for i in range(3) for j in range(3)):
                for i in range(3):
                    for j in range(3):
                        seen.setdefault((i, j), set()).add(candidate[i][j])
        for i in range(3):
            for j in range(3):
                if marks[i][j] == Cell.SMALL and full[i][j] > 0:
                    assert len(seen[(i, j)]) > 1, (table, (i, j), seen[(i, j)])


def _looks_the_same(mark, true, candidate):
    if mark == Cell.SHOWN:
        return candidate == true
    if mark == Cell.SMALL:
        return candidate < THRESHOLD
    if mark == Cell.HIDDEN:
        return candidate >= THRESHOLD
    return True  # omitted
