"""Who gets in where: every internal URL, every method, every role (and nobody signed in)."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from tests.factories import TEST_PASSWORD, make_user
from zi_public.extensions import db
from zi_public.models import Role

ALL = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})

#: Every internal endpoint must be listed here with the roles allowed in; a new page without an
#: entry fails test_every_internal_endpoint_is_declared.
EXPECTED: dict[str, frozenset[Role]] = {
    "internal.dashboard": ALL,
    "internal.users": ADMIN,
    "internal.user_create": ADMIN,
    "internal.user_detail": ADMIN,
    "internal.user_role": ADMIN,
    "internal.user_action": ADMIN,
    "internal.user_settings": ADMIN,
    "internal.approvals": frozenset({Role.ADMIN, Role.PIMPINAN}),
    "internal.approve_role": frozenset({Role.ADMIN, Role.PIMPINAN}),
    "internal.approve_link": ADMIN,
    "internal.audit_log": ADMIN,
    "internal.calendar": ADMIN,
    "internal.calendar_add": ADMIN,
    "internal.calendar_remove": ADMIN,
    "internal.kiosk_devices": ADMIN,
    "internal.kiosk_device_register": ADMIN,
    "internal.kiosk_device_detail": ADMIN,
    "internal.kiosk_device_activate": ADMIN,
    "internal.kiosk_device_revoke": ADMIN,
    "internal.outbox_failing": ADMIN,
    "internal.outbox_retry": ADMIN,
    "internal.pengaduan.inbox": frozenset({Role.PENGADUAN, Role.PIMPINAN}),
    "internal.pengaduan.case": frozenset({Role.PENGADUAN, Role.PIMPINAN}),
    "internal.pengaduan.attachment": frozenset({Role.PENGADUAN}),
    "internal.pengaduan.attachment_original": frozenset({Role.PENGADUAN}),
    "internal.pengaduan.action": frozenset({Role.PENGADUAN}),
    "internal.pengaduan.intake": frozenset({Role.PENGADUAN}),
    "internal.pengaduan.intake_slip": frozenset({Role.PENGADUAN}),
    "internal.reports": frozenset({Role.PENGADUAN, Role.PIMPINAN, Role.SKM, Role.UPG}),
    "internal.report_settings_page": ADMIN,
    "internal.report_download": frozenset({Role.PENGADUAN, Role.PIMPINAN, Role.SKM, Role.UPG}),
    # The semester monev (issue 11 point 5): the pimpinan reads, the Tim Pengaduan writes (each write its own POST).
    **{f"internal.{name}": frozenset({Role.PENGADUAN, Role.PIMPINAN}) for name in ("monev_edit", "monev_version")},
    **{
        f"internal.{name}": frozenset({Role.PENGADUAN})
        for name in (
            "monev_text",
            "monev_item_add",
            "monev_item_edit",
            "monev_item_update",
            "monev_final",
            "monev_new_version",
        )
    },
    # SKM results, population and follow-up: the pimpinan reads, the Tim SKM writes (each write its own POST).
    **{
        f"internal.skm.{name}": frozenset({Role.SKM, Role.PIMPINAN})
        for name in ("results", "population", "follow_up", "follow_up_item", "follow_up_file")
    },
    **{
        f"internal.skm.{name}": frozenset({Role.SKM})
        for name in (
            "weighting",
            "population_save",
            "population_import",
            "population_template",
            "follow_up_create",
            "follow_up_update",
            "follow_up_file_original",
        )
    },
    # Perception surveys (issue 9 point 11): the pimpinan reads results and takes the export, the Tim SKM writes.
    **{
        f"internal.skm.{name}": frozenset({Role.SKM, Role.PIMPINAN})
        for name in ("perception_list", "perception_detail", "perception_export")
    },
    **{
        f"internal.skm.{name}": frozenset({Role.SKM})
        for name in (
            "perception_load_shipped",
            "perception_load_json",
            "perception_status",
            "perception_template",
            "perception_import",
        )
    },
    # WBS case pages: the Tim WBS only (not admin, not pimpinan: DESIGN.md security model).
    **{
        f"internal.wbs.{name}": frozenset({Role.WBS})
        for name in (
            "inbox",
            "case",
            "action",
            "telaah_revise",
            "message",
            "note",
            "move",
            "unseal_request",
            "unseal_decide",
            "identity",
            "attachment",
            "attachment_original",
            "settings",
            "evaluation_index",
            "evaluation",
            "evaluation_item_add",
            "evaluation_item_update",
            "evaluation_final",
            "evaluation_new_version",
            "evaluation_version",
            "socialisation",
            "socialisation_file",
        )
    },
    # The quarterly evaluation's export: aggregates only, so the pimpinan may take it too.
    "internal.wbs.evaluation_export": frozenset({Role.WBS, Role.PIMPINAN}),
    # SKM paper-form import: the Tim SKM imports, the pimpinan sees what was imported.
    **{f"internal.skm.{name}": frozenset({Role.SKM, Role.PIMPINAN}) for name in ("imports", "import_detail")},
    **{f"internal.skm.{name}": frozenset({Role.SKM}) for name in ("import_template", "import_upload")},
    # Standar pelayanan and maklumat (SKM): the Tim SKM writes, the pimpinan reads.
    **{f"internal.skm.{name}": frozenset({Role.SKM, Role.PIMPINAN}) for name in ("standards", "standard", "maklumat")},
    **{
        f"internal.skm.{name}": frozenset({Role.SKM})
        for name in (
            "standard_create",
            "standard_update",
            "standard_withdraw",
            "maklumat_create",
            "maklumat_update",
            "maklumat_withdraw",
        )
    },
}


#: Gratifikasi and benturan kepentingan (issue 10): every page of /internal/gratifikasi is the UPG's; the
#: pimpinan reads (GET) and changes nothing (permissions.restrict_area). Declared by prefix and method.
UPG_PREFIX = "internal.gratifikasi."
UPG_READERS, UPG_WRITERS = frozenset({Role.UPG, Role.PIMPINAN}), frozenset({Role.UPG})


def allowed(endpoint: str, method: str) -> frozenset[Role]:
    if endpoint.startswith(UPG_PREFIX):
        return UPG_READERS if method == "GET" else UPG_WRITERS
    return EXPECTED[endpoint]


def internal_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("internal.")]


def build_url(app, rule: Rule, target_id: int) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if hasattr(converter, "items"):  # any(...) converter: its first choice
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = target_id
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def requests_for(app, target_id: int) -> list[tuple[str, str, str]]:
    calls = []
    for rule in internal_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            calls.append((rule.endpoint, method, build_url(app, rule, target_id)))
    return calls


def test_every_internal_endpoint_is_declared(app):
    endpoints = {r.endpoint for r in internal_rules(app)}
    assert {e for e in endpoints if not e.startswith(UPG_PREFIX)} == set(EXPECTED)
    assert any(e.startswith(UPG_PREFIX) for e in endpoints)


@pytest.mark.parametrize("role", list(Role))
def test_roles_reach_exactly_their_pages(app, role):
    with app.app_context():
        victim = make_user(role=Role.SKM, username="korban")
        make_user(role=role, username="tester")
        db.session.commit()
        target_id = victim.id
    client = app.test_client()
    assert client.post("/auth/login", data={"username": "tester", "password": TEST_PASSWORD}).status_code == 302
    for endpoint, method, url in requests_for(app, target_id):
        status = client.open(url, method=method).status_code
        if role in allowed(endpoint, method):
            assert status not in (401, 403), f"{role} refused at {method} {url}"
            assert status != 302 or method == "POST", f"{role} redirected at {method} {url}"
        else:
            assert status == 403, f"{role} got {status} at {method} {url}"


def test_anonymous_visitors_are_sent_to_login(app, client):
    for _endpoint, method, url in requests_for(app, 1):
        response = client.open(url, method=method)
        assert response.status_code == 302, f"{method} {url}"
        assert "/auth/login" in response.headers["Location"]
