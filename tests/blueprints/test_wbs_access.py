"""Only the Tim WBS opens a WBS case (issue 8, "How it will be checked"; DESIGN: security model).

Every URL of the WBS staff blueprint (discovered from the URL map, so a page added later is covered), with
every method, for every role and for nobody signed in, with real ids (a report with a file, a message and a
pending unseal request): role wbs gets in, admin, pengaduan, upg and skm get 403 everywhere, the pimpinan
only on the quarterly evaluation's export (aggregates, no report text), declared in PIMPINAN_ENDPOINTS.
The generic report download of the internal area must not become a side door to WBS reports either.
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.routing import Rule

from tests.factories import TEST_PASSWORD, make_user
from zi_public.exports import REPORTS
from zi_public.extensions import db
from zi_public.models import Role, WbsCategory
from zi_public.services import attachments
from zi_public.services.wbs import filing, reporter

WBS_STAFF = "internal.wbs."
#: The WBS pages the pimpinan may open (W3's evaluation export): nothing else of WBS, ever.
PIMPINAN_ENDPOINTS: frozenset[str] = frozenset({"internal.wbs.evaluation_export"})
#: The report name of the quarterly evaluation in zi_public.exports.REPORTS (DESIGN: `report wbs-evaluasi`).
EVALUATION_REPORT = "wbs-evaluasi"
REFUSED_ROLES = [Role.ADMIN, Role.PENGADUAN, Role.UPG, Role.SKM, Role.PIMPINAN]


def wbs_rules(app: Flask) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint.startswith(WBS_STAFF)), key=lambda r: r.rule)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


def make_case(app: Flask) -> dict[str, object]:
    """A report with an identity, a file and a reply; the ids the URLs need, by argument name."""
    with app.app_context():
        from zi_public.services.reference import seed_reference_data

        seed_reference_data()
        category = db.session.scalar(sa.select(WbsCategory.code).order_by(WbsCategory.id).limit(1))
        data = filing.WbsInput(category=category, what="Uji akses.", identity="Saksi")
        filed = filing.file_with_uploads(data, [FileStorage(io.BytesIO(jpeg()), filename="foto.jpg")])
        token = reporter.open_session(filed.receipt)
        message = reporter.reply(reporter.report_for(token), "Balasan.")
        attachment = attachments.originals(filed.report)[0]
        ids = {
            "case_id": filed.report.id,
            "attachment_id": attachment.id,
            "message_id": message.id,
            "period": "2026-Q2",
        }
        db.session.commit()
        return ids


def build_url(app: Flask, rule: Rule, ids: dict[str, object]) -> str:
    values: dict[str, object] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if hasattr(converter, "items"):  # any(...): its first choice
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = ids.get(name, ids["case_id"])
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def requests_for(app: Flask, ids: dict[str, object]) -> list[tuple[str, str, str]]:
    return [
        (rule.endpoint, method, build_url(app, rule, ids))
        for rule in wbs_rules(app)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def sign_in(app: Flask, role: Role) -> object:
    with app.app_context():
        user = make_user(role=role)
        db.session.commit()
        username = user.username
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def test_the_wbs_staff_area_exists_and_the_pimpinan_pages_are_in_it(app):
    endpoints = {r.endpoint for r in wbs_rules(app)}
    assert {"internal.wbs.inbox", "internal.wbs.case", "internal.wbs.attachment"} <= endpoints
    assert endpoints >= PIMPINAN_ENDPOINTS


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_every_other_role_is_refused_every_wbs_url(app, role):
    ids = make_case(app)
    client = sign_in(app, role)
    calls = requests_for(app, ids)
    assert len(calls) >= 5
    for endpoint, method, url in calls:
        status = client.open(url, method=method).status_code
        if role == Role.PIMPINAN and endpoint in PIMPINAN_ENDPOINTS and method == "GET":
            assert status == 200, f"{role} got {status} at {method} {url}"
        else:
            assert status == 403, f"{role} got {status} at {method} {url}"


def test_the_wbs_team_gets_in_everywhere(app):
    ids = make_case(app)
    client = sign_in(app, Role.WBS)
    for _endpoint, method, url in requests_for(app, ids):
        status = client.open(url, method=method).status_code
        assert status not in (401, 403), f"wbs refused at {method} {url}"
        assert status < 500, f"wbs got {status} at {method} {url}"


def test_nobody_signed_in_is_sent_to_login(app):
    ids = make_case(app)
    client = app.test_client()
    for _endpoint, method, url in requests_for(app, ids):
        response = client.open(url, method=method)
        assert response.status_code == 302, f"{method} {url}"
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PENGADUAN, Role.UPG, Role.SKM])
def test_the_generic_report_download_is_no_side_door_to_wbs(app, role):
    """/internal/laporan/<name>.xlsx serves any report of REPORTS to the roles of its decorator (pengaduan,
    pimpinan); the WBS evaluation, once in REPORTS for `flask report wbs-evaluasi`, must not reach the others."""
    client = sign_in(app, role)
    for name in sorted({EVALUATION_REPORT} | {n for n in REPORTS if n.startswith("wbs")}):
        status = client.get(f"/internal/laporan/{name}.xlsx?period=2026-Q2").status_code
        assert status in (403, 404), f"{role} got {status} for report {name}"
