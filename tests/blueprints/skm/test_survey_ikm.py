"""Worked examples through the API: the responses as stored give the IKM that rules/ikm.py computes from the
same rows, to the exact fraction, with the mutu and kinerja of the rounded value; the legacy 0.111 weighting
stays an explicit option that caps a perfect score at 99.90."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import SkmResponse
from zi_public.rules.ikm import ikm_from_answers, ikm_from_sums
from zi_public.rules.skm import UNSUR

PROFILE = {"layanan": "pbg", "gender": "l", "age": 45, "education": "sma", "occupation": "swasta"}

#: Four respondents. Sums per unsur: 13, 13, 14, 14, 14, 13, 14, 12, 14 (121 in all). The mean of the nine
#: NRR is 121/36, so the IKM is 121/36 x 25 = 3025/36 = 84.02(7) -> 84.03, mutu B (Baik). Under the legacy
#: weighting: 121/4 x 0.111 x 25 = 83.94375 -> 83.94.
FOUR = [
    (4, 4, 4, 4, 4, 4, 4, 4, 4),
    (3, 3, 3, 3, 3, 3, 3, 3, 3),
    (4, 3, 4, 3, 4, 3, 4, 3, 4),
    (2, 3, 3, 4, 3, 3, 3, 2, 3),
]
#: A quarter of twelve, every answer written out: sums 40, 37, 33, 29, 39, 43, 44, 31, 36 (332);
#: IKM = 332/108 x 25 = 8300/108 = 76.851… -> 76.85, mutu B; 0.111 gives 332/12 x 0.111 x 25 = 76.775
#: exactly -> 76.78 (half-up).
TWELVE = [
    (4, 3, 3, 2, 4, 4, 4, 3, 3),
    (3, 3, 2, 2, 3, 4, 4, 2, 3),
    (4, 4, 3, 3, 4, 4, 4, 3, 3),
    (3, 3, 3, 2, 3, 3, 4, 2, 3),
    (4, 3, 3, 3, 3, 4, 4, 3, 3),
    (3, 2, 2, 1, 3, 3, 3, 2, 2),
    (4, 4, 3, 3, 4, 4, 4, 3, 4),
    (3, 3, 3, 3, 3, 3, 3, 3, 3),
    (3, 3, 3, 2, 3, 4, 4, 3, 3),
    (3, 3, 3, 3, 3, 3, 3, 2, 3),
    (3, 3, 3, 2, 3, 3, 3, 2, 3),
    (3, 3, 2, 3, 3, 4, 4, 3, 3),
]


def post_all(client, rows: list[tuple[int, ...]]) -> None:  # noqa: ANN001
    for row in rows:
        body = {**PROFILE, "answers": dict(zip(UNSUR, row, strict=True))}
        response = client.post("/api/v1/skm", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.get_json()


def stored_rows_and_sums(app) -> tuple[list[tuple[int, ...]], int, list[int]]:  # noqa: ANN001
    """The stored answers row by row, and the respondents and sums per unsur by one SQL aggregate."""
    columns = [getattr(SkmResponse, code.lower()) for code in UNSUR]
    with app.app_context():
        rows = [tuple(row) for row in db.session.execute(sa.select(*columns).order_by(SkmResponse.id))]
        count, *sums = db.session.execute(sa.select(sa.func.count(), *(sa.func.sum(c) for c in columns))).one()
    return rows, count, [int(value) for value in sums]


@pytest.mark.parametrize(
    ("rows", "ikm", "legacy", "mutu", "kinerja"),
    [
        (FOUR, "84.03", "83.94", "B", "baik"),
        (TWELVE, "76.85", "76.78", "B", "baik"),
        ([(4,) * 9] * 3, "100.00", "99.90", "A", "sangat_baik"),
        ([(1,) * 9] * 2, "25.00", "24.98", "D", "tidak_baik"),
    ],
)
def test_responses_posted_through_the_api_give_the_exact_ikm(seeded, client, rows, ikm, legacy, mutu, kinerja):
    post_all(client, rows)
    stored, count, sums = stored_rows_and_sums(seeded)
    assert stored == [tuple(row) for row in rows]  # every answer as sent, in order, nothing else
    expected = ikm_from_answers(rows)
    from_database = ikm_from_sums(count, sums)
    assert from_database == expected
    assert expected.ikm_exact == Fraction(sum(sums) * 25, count * len(UNSUR))
    assert (expected.ikm, expected.mutu, expected.kinerja) == (Decimal(ikm), mutu, kinerja)
    assert ikm_from_sums(count, sums, legacy=True).ikm == ikm_from_answers(rows, legacy=True).ikm == Decimal(legacy)
