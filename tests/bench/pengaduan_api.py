"""Timings of the complaint API on SQLite and (when reachable) PostgreSQL.

    python -m tests.bench.pengaduan_api

In-process through Flask's test client (no network, one thread), rate limiting off, a complaint team of
two with email addresses (each filing queues the receipt and the team's mail), so the
numbers are the application's own cost per request: parsing, validation, numbering, the
encrypted identity fields, the hash-chained audit entry and the commit.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from tests.bench.__main__ import timed
from tests.bench.backends import each_backend
from tests.conftest import base_config, upgrade_schema
from zi_public import create_app
from zi_public.extensions import db
from zi_public.models import Role
from zi_public.services import accounts
from zi_public.services.reference import seed_reference_data

POSTS = 300
LOOK_UPS = 1000
PAYLOAD = {
    "category": "waktu",
    "layanan": "pbg",
    "title": "PBG belum terbit",
    "description": "Sudah 3 bulan berkas lengkap, PBG belum terbit. " * 20,
    "requested_resolution": "Mohon PBG segera diterbitkan.",
    "identity": "terbuka",
    "name": "Budi Santoso",
    "email": "budi@example.id",
    "phone": "0812 3456 7890",
    "location": "Loket 3",
    "incident_date": "2026-01-05",
}


def seed_office() -> None:
    """The catalogues and a complaint team of two with email addresses (each filing mails them)."""
    seed_reference_data()
    for n in (1, 2):
        accounts.create_user(
            "bench", f"tim{n}", Role.PENGADUAN, "bench-password-123", full_name=f"Tim {n}", email=f"tim{n}@example.id"
        )
    db.session.commit()


def bench_backend(name: str, url: str, root: Path) -> None:
    print(f"{name}:")
    config = base_config(root, url)
    upgrade_schema(create_app(config))
    app = create_app(config)
    with app.app_context():
        seed_office()
    client = app.test_client()
    keys = itertools.count()

    def file_one(identity: str = "terbuka", key: bool = False) -> dict:
        headers = {"Idempotency-Key": f"bench-{next(keys)}"} if key else {}
        response = client.post("/api/v1/pengaduan", json={**PAYLOAD, "identity": identity}, headers=headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    timed("POST pengaduan (terbuka)", file_one, POSTS)
    timed("POST pengaduan (anonim + Idempotency-Key)", lambda: file_one("anonim", key=True), POSTS)

    def refused() -> None:
        assert client.post("/api/v1/pengaduan", json={**PAYLOAD, "category": "tidak-ada"}).status_code == 400

    timed("POST pengaduan (400: unknown category)", refused, POSTS)

    filed = file_one()
    path = f"/api/v1/pengaduan/{filed['number']}"

    def look_up(code: str, status: int) -> None:
        assert client.get(path, headers={"X-Access-Code": code}).status_code == status

    timed("GET pengaduan/<number> (found)", lambda: look_up(filed["access_code"], 200), LOOK_UPS)
    timed("GET pengaduan/<number> (404: wrong code)", lambda: look_up("ABCDE-FGHJK", 404), LOOK_UPS)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    each_backend("api", bench_backend)


if __name__ == "__main__":
    main()
