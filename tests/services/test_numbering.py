"""Case numbers: one statement each, starting at 1 per kind and year, distinct under concurrent writers."""

from __future__ import annotations

import threading

from zi_public.extensions import db as _db
from zi_public.services.numbering import next_sequence


def test_each_kind_and_year_counts_from_one(db):
    assert [next_sequence("pengaduan", 2026) for _ in range(3)] == [1, 2, 3]
    assert next_sequence("pengaduan", 2027) == 1
    assert next_sequence("wbs", 2026) == 1
    db.session.commit()
    assert next_sequence("pengaduan", 2026) == 4


def test_concurrent_writers_never_get_the_same_number(app):
    start = threading.Barrier(4)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        with app.app_context():
            try:
                start.wait()
                for _ in range(5):
                    numbers.append(next_sequence("pengaduan", 2026))
                    _db.session.commit()
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 21))
