"""The WBS JSON API: file with the contract's fields, status and conversation by receipt, messages,
categories; hostile bodies (no 500, nothing half-saved), one 404 for a wrong receipt, rate limits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db
from zi_public.models import Role
from zi_public.models.wbs import WbsMessage, WbsReport
from zi_public.rules.wbs import Sender
from zi_public.security import codes

BASE = "/api/v1/wbs"
CONTRACT = {
    "category": "korupsi",
    "what": "Mark-up pengadaan ATK.",
    "who": "Kasubag Umum",
    "when": "Oktober 2026",
    "where": "Sekretariat",
    "how": "Harga di nota dinaikkan dua kali lipat.",
}


def counts(app) -> tuple[int, int]:
    with app.app_context():
        reports = db.session.scalar(sa.select(sa.func.count()).select_from(WbsReport))
        messages = db.session.scalar(sa.select(sa.func.count()).select_from(WbsMessage))
        return reports, messages


def file(client, **overrides) -> str:
    response = client.post(BASE, json={**CONTRACT, **overrides})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["receipt"]


def assert_private(response) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_contract_s_fields_file_a_report(app, client, seeded):
    response = client.post(BASE, json=CONTRACT)
    assert response.status_code == 201
    assert_private(response)
    assert set(response.get_json()) == {"receipt"}
    receipt = response.get_json()["receipt"]
    assert codes.parse_receipt(receipt)
    with app.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        assert report.who_name == "Kasubag Umum" and report.when_text == "Oktober 2026"
        assert report.has_identity is False and report.category.code == "korupsi"
        assert codes.check_receipt(receipt, report.receipt_hash)


def test_optional_fields_and_a_sealed_identity(app, client, seeded):
    file(client, who_position="Kasubag", who_unit="Sekretariat", how_known="Saya melihat notanya.", identity="Rina")
    with app.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        assert (report.who_position, report.who_unit, report.has_identity) == ("Kasubag", "Sekretariat", True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({k: v for k, v in CONTRACT.items() if k != "who"}, "who"),
        ({**CONTRACT, "what": "   "}, "what"),
        ({**CONTRACT, "category": "tidak-ada"}, "category"),
        ({**CONTRACT, "category": 5}, "category"),
        ({**CONTRACT, "what": ["a"]}, "what"),
        ({**CONTRACT, "how": "x" * 10_001}, "how"),
        ({**CONTRACT, "who": "a\nb"}, "who"),
        ({**CONTRACT, "where": "a\x00b"}, "where"),
        ({**CONTRACT, "ip": "1.2.3.4"}, "ip"),
        ({**CONTRACT, "identity": {"name": "x"}}, "identity"),
    ],
)
def test_bad_bodies_are_refused_per_field_and_nothing_is_saved(app, client, seeded, body, field):
    response = client.post(BASE, json=body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert counts(app) == (0, 0)


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ("not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        (b'{"what": "\xff\xfe"}', "application/json", 400),
        ("{}", "text/plain", 415),
        ('{"a": 1, "a": 2}', "application/json", 400),
    ],
)
def test_malformed_requests_get_a_json_error(app, client, seeded, data, content_type, status):
    response = client.post(BASE, data=data, content_type=content_type)
    assert response.status_code == status
    assert "error" in response.get_json()
    assert counts(app) == (0, 0)


def test_an_oversized_body_is_refused(app, client, seeded):
    response = client.post(BASE, json={**CONTRACT, "what": "x" * 400_000})
    assert response.status_code == 413
    assert counts(app) == (0, 0)


def test_status_shows_the_conversation_never_notes(app, client, seeded):
    receipt = file(client)
    with app.app_context():
        report = db.session.scalar(sa.select(WbsReport))
        member = make_user(role=Role.WBS)
        for sender, body in ((Sender.TEAM, "Ada bukti nota?"), (Sender.NOTE, "RAHASIA TIM")):
            db.session.add(
                WbsMessage(
                    report_id=report.id, sender=sender, body=body, sent_on=report.received_on, author_id=member.id
                )
            )
        db.session.commit()
    assert client.post(f"{BASE}/messages", json={"receipt": receipt, "body": "Ada, difoto."}).status_code == 201
    response = client.post(f"{BASE}/status", json={"receipt": receipt.lower().replace("-", " ")})
    assert response.status_code == 200
    assert_private(response)
    data = response.get_json()
    assert data["status"] == "diterima"
    assert [(m["sender"], m["body"]) for m in data["messages"]] == [
        ("team", "Ada bukti nota?"),
        ("reporter", "Ada, difoto."),
    ]
    assert all(set(m) == {"sender", "body", "date"} for m in data["messages"])


def test_a_wrong_receipt_is_one_neutral_404(client, seeded):
    file(client)
    unknown = client.post(f"{BASE}/status", json={"receipt": codes.new_receipt()})
    assert unknown.status_code == 404
    assert_private(unknown)
    other = client.post(f"{BASE}/status", json={"receipt": codes.new_receipt()})
    assert unknown.get_json() == other.get_json()
    assert client.post(f"{BASE}/messages", json={"receipt": codes.new_receipt(), "body": "x"}).status_code == 404


def test_a_mistyped_receipt_says_so(client, seeded):
    receipt = file(client).replace("-", "")
    typo = receipt[:-1] + ("2" if receipt[-1] != "2" else "3")
    response = client.post(f"{BASE}/status", json={"receipt": typo})
    assert response.status_code == 404 and "Periksa kembali" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("body", [{}, {"receipt": 5}, {"receipt": "x" * 101}, {"receipt": "a", "extra": 1}])
def test_bad_status_requests_are_400(client, seeded, body):
    assert client.post(f"{BASE}/status", json=body).status_code == 400


def test_a_message_holding_the_receipt_is_refused(app, client, seeded):
    receipt = file(client)
    for spelling in (receipt, receipt.lower(), " ".join(receipt.replace("-", ""))):
        response = client.post(f"{BASE}/messages", json={"receipt": receipt, "body": f"nomor {spelling}"})
        assert response.status_code == 400
        assert "tanda terima" in response.get_json()["error"]["fields"]["body"]
    assert counts(app) == (1, 0)


@pytest.mark.parametrize("body", ["", "x" * 10_001, "a\x00b", None, 7])
def test_bad_message_bodies_are_400_and_save_nothing(app, client, seeded, body):
    receipt = file(client)
    assert client.post(f"{BASE}/messages", json={"receipt": receipt, "body": body}).status_code == 400
    assert counts(app) == (1, 0)


def test_the_categories(client, seeded):
    response = client.get(f"{BASE}/kategori")
    assert response.status_code == 200
    assert_private(response)
    assert {"code": "pungli-calo", "name": "Pungutan liar / calo"} in response.get_json()


def test_the_document_describes_the_wbs_endpoints(client, seeded):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/wbs", "/wbs/status", "/wbs/messages", "/wbs/kategori"):
        assert path in document["paths"]
    assert set(document["components"]["schemas"]["WbsCreate"]["required"]) == {
        "category",
        "what",
        "who",
        "when",
        "where",
        "how",
    }


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_WBS_STATUS": "3 per minute", "RATELIMIT_WBS_FILE": "2 per hour"}

    def test_receipt_guesses_are_throttled(self, client, seeded):
        answers = [client.post(f"{BASE}/status", json={"receipt": codes.new_receipt()}).status_code for _ in range(5)]
        assert answers == [404, 404, 404, 429, 429]

    def test_filing_is_throttled(self, client, seeded):
        answers = [client.post(BASE, json=CONTRACT).status_code for _ in range(3)]
        assert answers == [201, 201, 429]

    def test_the_web_look_up_is_throttled_too(self, client, seeded):
        answers = [client.post("/wbs/status", data={"receipt": codes.new_receipt()}).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
