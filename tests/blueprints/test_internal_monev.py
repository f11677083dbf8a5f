"""The semester monev page: the team writes the text and recommendations, marks a version final (locked on the
page and in the service), opens a new version (the final one stays viewable), follows up earlier semesters'
recommendations; the pimpinan reads; hostile input saves nothing and keeps what was typed."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.test_csrf import sign_in, token_from
from zi_public.extensions import db
from zi_public.models import AuditEntry, FollowUpItem, PeriodEvaluation, PeriodEvaluationVersion, Role
from zi_public.rules.periods import parse_period
from zi_public.services import evaluation_versions, evaluations
from zi_public.services.evaluations import ItemInput

PAGE = "/internal/laporan/monev/2026-S2"
SCOPE = "pengaduan_monev"


def version_of(html: str, name: str = "version") -> str:
    match = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', html)
    assert match, f"the page carries {name}"
    return match.group(1)


def current(app) -> PeriodEvaluation | None:
    with app.app_context():
        row = db.session.get(PeriodEvaluation, (SCOPE, "2026-S2"))
        if row is not None:
            db.session.expunge(row)
        return row


def items(app) -> list[tuple[str, str, date | None, str]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(FollowUpItem).order_by(FollowUpItem.id))
        return [(i.item, i.owner, i.due_on, i.status) for i in rows]


def actions(app) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditEntry.action).where(AuditEntry.action.like(SCOPE + ".%")).order_by(AuditEntry.id)
            )
        )


def test_write_mark_final_locked_then_a_new_version_keeps_the_final_one(app, client, login_as):
    login_as(Role.PENGADUAN, username="tim")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Belum ditulis" in page and "Semester II 2026" in page
    saved = client.post(f"{PAGE}/teks", data={"text": "Verifikasi sering terlambat.", "version": version_of(page)})
    assert saved.status_code == 302
    added = client.post(
        f"{PAGE}/rekomendasi", data={"item": "Piket harian", "owner": "Ketua tim", "due_on": "2027-03-31"}
    )
    assert added.status_code == 302
    item_id = db_item_id(app)
    page = client.get(PAGE).get_data(as_text=True)
    edited = client.post(
        f"{PAGE}/rekomendasi/{item_id}/ubah",
        data={f"r{item_id}-item": "Piket harian bergilir", f"r{item_id}-owner": "Ketua tim",
              f"r{item_id}-due_on": "2027-04-30", f"r{item_id}-version": version_of(page, f"r{item_id}-version")},
    )  # fmt: skip
    assert edited.status_code == 302
    assert items(app) == [("Piket harian bergilir", "Ketua tim", date(2027, 4, 30), "terbuka")]

    page = client.get(PAGE).get_data(as_text=True)
    unconfirmed = client.post(f"{PAGE}/final", data={"version": version_of(page)})
    assert unconfirmed.status_code == 400 and "Centang pernyataan ini" in unconfirmed.get_data(as_text=True)
    assert not current(app).is_final
    final = client.post(f"{PAGE}/final", data={"confirm": "y", "version": version_of(page)})
    assert final.status_code == 302
    assert current(app).is_final

    page = client.get(PAGE).get_data(as_text=True)
    assert "Final" in page and f"{PAGE}/teks" not in page and f'{PAGE}/rekomendasi"' not in page
    assert f"/rekomendasi/{item_id}/ubah" not in page and f"/rekomendasi/{item_id}/tindak-lanjut" in page
    # The service refuses what the page no longer offers (a page opened before, a forged form).
    refused = client.post(f"{PAGE}/teks", data={"text": "Teks baru yang tetap ada", "version": version_of(page)})
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "sudah final" in html and "Teks baru yang tetap ada" not in current(app).text
    late_add = client.post(f"{PAGE}/rekomendasi", data={"item": "Lain", "owner": "Tim"})
    assert late_add.status_code == 409 and "sudah final" in late_add.get_data(as_text=True)
    forged_edit = client.post(
        f"{PAGE}/rekomendasi/{item_id}/ubah",
        data={f"r{item_id}-item": "Diubah", f"r{item_id}-owner": "X", f"r{item_id}-version": ""},
    )
    assert forged_edit.status_code == 409 and "sudah final" in forged_edit.get_data(as_text=True)
    # Follow-up stays open: status and evidence.
    followed = client.post(
        f"{PAGE}/rekomendasi/{item_id}/tindak-lanjut",
        data={f"t{item_id}-status": "selesai", f"t{item_id}-evidence": "Jadwal piket Januari",
              f"t{item_id}-version": version_of(page, f"t{item_id}-version")},
    )  # fmt: skip
    assert followed.status_code == 302
    assert items(app) == [("Piket harian bergilir", "Ketua tim", date(2027, 4, 30), "selesai")]

    page = client.get(PAGE).get_data(as_text=True)
    opened = client.post(f"{PAGE}/versi-baru", data={"version": version_of(page)})
    assert opened.status_code == 302
    now = current(app)
    assert (now.version_no, now.is_final, now.text) == (2, False, "Verifikasi sering terlambat.")
    page = client.get(PAGE).get_data(as_text=True)
    assert f"{PAGE}/versi/1" in page and f"{PAGE}/teks" in page
    client.post(f"{PAGE}/teks", data={"text": "Versi kedua.", "version": version_of(page)})
    client.post(f"{PAGE}/rekomendasi/{item_id}/ubah",
                data={f"r{item_id}-item": "Piket pagi", f"r{item_id}-owner": "Ketua tim",
                      f"r{item_id}-version": version_of(page, f"r{item_id}-version")})  # fmt: skip
    archived = client.get(f"{PAGE}/versi/1").get_data(as_text=True)
    assert "Verifikasi sering terlambat." in archived and "Piket harian bergilir" in archived
    assert "Versi kedua." not in archived and "Piket pagi" not in archived
    assert client.get(f"{PAGE}/versi/2").status_code == 404
    assert actions(app) == [
        "pengaduan_monev.evaluation_update",
        "pengaduan_monev.follow_up_item_add",
        "pengaduan_monev.follow_up_item_edit",
        "pengaduan_monev.evaluation_finalize",
        "pengaduan_monev.follow_up_item_update",
        "pengaduan_monev.evaluation_new_version",
        "pengaduan_monev.evaluation_update",
        "pengaduan_monev.follow_up_item_edit",
    ]


def db_item_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(FollowUpItem.id)))


def test_a_recommendation_left_open_in_s1_is_followed_up_on_the_s2_page(app, client, login_as):
    team = login_as(Role.PENGADUAN)
    with app.app_context():
        author = db.session.get(type(team), team.id)
        s1 = parse_period("2026-S1")
        evaluations.save_evaluation(author, SCOPE, s1, "Semester pertama.")
        left_open = evaluations.add_item(author, SCOPE, s1, ItemInput("Perbarui SOP pengaduan", "Sekretaris"))
        evaluation_versions.mark_final(author, SCOPE, s1)
        db.session.commit()
        item_id = left_open.id
    page = client.get(PAGE).get_data(as_text=True)
    section = page.split('id="tindak-lanjut-sebelumnya"')[1].split('id="evaluasi"')[0]
    assert "Perbarui SOP pengaduan" in section and "Semester I 2026" in section
    assert f"/internal/laporan/monev/2026-S2/rekomendasi/{item_id}/tindak-lanjut" in section


def test_a_save_over_a_colleagues_keeps_what_was_typed(app, client, login_as):
    login_as(Role.PENGADUAN)
    opened = version_of(client.get(PAGE).get_data(as_text=True))
    with app.app_context():
        colleague = make_colleague()
        evaluations.save_evaluation(colleague, SCOPE, parse_period("2026-S2"), "Teks rekan.")
        db.session.commit()
    response = client.post(f"{PAGE}/teks", data={"text": "Teks saya yang panjang.", "version": opened})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Petugas lain baru saja menyimpan" in html and "Teks saya yang panjang." in html
    assert current(app).text == "Teks rekan."


def make_colleague():
    from tests.factories import make_user

    return make_user(role=Role.PENGADUAN)


@pytest.mark.parametrize(
    ("path", "data", "kept"),
    [
        ("teks", {"text": "x" * (evaluations.TEXT_MAX + 1), "version": ""}, "x" * 200),
        ("teks", {"text": "teks\x00rusak", "version": ""}, None),
        ("teks", {"text": "Tanpa versi halaman"}, "Tanpa versi halaman"),
        ("teks", {"text": "Versi palsu", "version": "<script>"}, "Versi palsu"),
        ("rekomendasi", {"item": "Piket", "owner": "", "due_on": "2027-03-31"}, "Piket"),
        ("rekomendasi", {"item": "Piket", "owner": "Tim", "due_on": "31/31/2027"}, "Piket"),
        ("rekomendasi", {"item": "Piket", "owner": "Ketua\nTim"}, "Piket"),
        ("rekomendasi", {"item": "i" * (evaluations.ITEM_MAX + 1), "owner": "Tim"}, "i" * 200),
        ("final", {"confirm": "y"}, None),
        ("final", {"confirm": "y", "version": ""}, None),  # nothing written yet: nothing to make final
        ("versi-baru", {"version": ""}, None),  # not final: no new version
    ],
)
def test_hostile_posts_save_nothing_and_keep_what_was_typed(app, client, login_as, path, data, kept):
    login_as(Role.PENGADUAN)
    response = client.post(f"{PAGE}/{path}", data=data)
    assert response.status_code in (400, 409) and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    if kept is not None:
        assert kept in html
    assert "<script>" not in html.split("</header>", 1)[-1].split("<footer", 1)[0].replace("<script src", "")
    assert current(app) is None and items(app) == []


def test_an_item_of_another_scope_or_none_is_not_found(app, client, login_as):
    login_as(Role.PENGADUAN)
    with app.app_context():
        other = FollowUpItem(scope="benturan", period="2026-Q4", item="x", owner="UPG", status="terbuka", evidence="")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    for item_id in (other_id, 999):
        assert client.post(f"{PAGE}/rekomendasi/{item_id}/tindak-lanjut", data={}).status_code == 404
        assert client.post(f"{PAGE}/rekomendasi/{item_id}/ubah", data={}).status_code == 404


@pytest.mark.parametrize("period", ["2026-11", "2026-S3", "2026", "abc", "2026-Q1"])
def test_the_monev_exists_only_for_semesters(client, login_as, period):
    login_as(Role.PENGADUAN)
    assert client.get(f"/internal/laporan/monev/{period}").status_code == 404
    assert client.post(f"/internal/laporan/monev/{period}/teks", data={"text": "x"}).status_code == 404


def test_the_pimpinan_reads_and_writes_nothing(app, client, login_as):
    with app.app_context():
        author = make_colleague()
        s2 = parse_period("2026-S2")
        evaluations.save_evaluation(author, SCOPE, s2, "Evaluasi untuk pimpinan.")
        evaluations.add_item(author, SCOPE, s2, ItemInput("Piket harian", "Ketua tim"))
        evaluation_versions.mark_final(author, SCOPE, s2)
        evaluation_versions.new_version(author, SCOPE, s2)
        db.session.commit()
    login_as(Role.PIMPINAN)
    page = client.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Evaluasi untuk pimpinan." in html and "Piket harian" in html
    assert "<form" not in html.split('<section class="wrap monev">')[1]
    assert client.get(f"{PAGE}/versi/1").status_code == 200
    assert client.post(f"{PAGE}/teks", data={"text": "x", "version": ""}).status_code == 403
    assert client.post(f"{PAGE}/final", data={"confirm": "y", "version": ""}).status_code == 403
    assert "/internal/laporan/monev/" in client.get("/internal/laporan").get_data(as_text=True)


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_every_monev_post_needs_a_csrf_token(app, client):
    sign_in(app, client, "tim", Role.PENGADUAN)
    page = client.get(PAGE).get_data(as_text=True)
    refused = client.post(f"{PAGE}/teks", data={"text": "tanpa token", "version": ""})
    assert refused.status_code == 400 and current(app) is None
    token = token_from(page)
    accepted = client.post(f"{PAGE}/teks", data={"text": "dengan token", "version": "", "csrf_token": token})
    assert accepted.status_code == 302 and current(app).text == "dengan token"
    assert client.post(f"{PAGE}/final", data={"confirm": "y", "version": ""}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PeriodEvaluationVersion)) == 0


def test_the_english_page_names_one_recommendation_and_its_due_date(client, login_as):
    """A recommendation's fields read as one item with one date in English, not "Recommendations"/"Deadlines"."""
    from zi_public.i18n import LANG_COOKIE

    login_as(Role.PENGADUAN, username="tim")
    client.set_cookie(LANG_COOKIE, "en")
    page = client.get(PAGE).get_data(as_text=True)
    assert re.search(r'<label for="item">Recommendation\b', page)
    assert re.search(r'<label for="due_on">Due date\b', page)
    assert "Deadlines" not in page and '<h2 id="versi">Final version and new versions</h2>' in page


def test_each_write_says_what_was_saved_and_goes_back_to_its_place_on_the_page(app, client, login_as):
    login_as(Role.PENGADUAN)

    def posted(path: str, data: dict, anchor: str | None, message: str) -> str:
        response = client.post(f"{PAGE}/{path}", data=data)
        assert response.status_code == 302 and response.location == PAGE + (f"#{anchor}" if anchor else "")
        page = client.get(PAGE).get_data(as_text=True)
        assert message in page
        return page

    page = posted("teks", {"text": "Teks.", "version": ""}, "evaluasi", "Evaluasi Semester II 2026 disimpan.")
    page = posted("rekomendasi", {"item": "Piket", "owner": "Tim"}, "rekomendasi", "Rekomendasi ditambahkan.")
    n = db_item_id(app)
    page = posted(
        f"rekomendasi/{n}/ubah",
        {f"r{n}-item": "Piket pagi", f"r{n}-owner": "Tim", f"r{n}-version": version_of(page, f"r{n}-version")},
        f"rekomendasi-{n}",
        "Rekomendasi disimpan.",
    )
    page = posted(
        f"rekomendasi/{n}/tindak-lanjut",
        {f"t{n}-status": "terbuka", f"t{n}-evidence": "", f"t{n}-version": version_of(page, f"t{n}-version")},
        f"rekomendasi-{n}",
        "Tindak lanjut disimpan.",
    )
    page = posted(
        "final", {"confirm": "y", "version": version_of(page)}, None, "Monev Semester II 2026 ditetapkan final."
    )
    posted(
        "versi-baru",
        {"version": version_of(page)},
        None,
        "Versi 2 dibuka sebagai draf; versi final sebelumnya tetap tersimpan.",
    )


def test_a_broken_or_stale_recommendation_form_comes_back_with_what_was_typed_and_saves_nothing(app, client, login_as):
    login_as(Role.PENGADUAN)
    with app.app_context():
        item = evaluations.add_item(make_colleague(), SCOPE, parse_period("2026-S2"), ItemInput("Piket", "Ketua tim"))
        db.session.commit()
        n = item.id
    page = client.get(PAGE).get_data(as_text=True)
    edit, update = f"{PAGE}/rekomendasi/{n}/ubah", f"{PAGE}/rekomendasi/{n}/tindak-lanjut"
    edit_version, update_version = version_of(page, f"r{n}-version"), version_of(page, f"t{n}-version")

    broken = client.post(
        edit, data={f"r{n}-item": "Piket sore", f"r{n}-owner": "Ketua\nTim", f"r{n}-version": edit_version}
    )
    assert broken.status_code == 400 and "Piket sore" in broken.get_data(as_text=True)
    unknown = client.post(
        update, data={f"t{n}-status": "hilang", f"t{n}-evidence": "Bukti saya", f"t{n}-version": update_version}
    )
    assert unknown.status_code == 400 and "Bukti saya" in unknown.get_data(as_text=True)
    assert items(app) == [("Piket", "Ketua tim", None, "terbuka")]

    with app.app_context():
        colleague_item = db.session.get(FollowUpItem, n)
        evaluations.edit_item(make_colleague(), colleague_item, ItemInput("Piket rekan", "Ketua tim"))
        db.session.commit()
    stale = client.post(edit, data={f"r{n}-item": "Piket saya", f"r{n}-owner": "Tim", f"r{n}-version": edit_version})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Petugas lain baru saja menyimpan rekomendasi ini." in html
    assert "Piket saya" in html and items(app) == [("Piket rekan", "Ketua tim", None, "terbuka")]
    # The form now carries the colleague's version: sending it again saves over theirs knowingly.
    again = client.post(
        edit,
        data={f"r{n}-item": "Piket saya", f"r{n}-owner": "Tim", f"r{n}-version": version_of(html, f"r{n}-version")},
    )
    assert again.status_code == 302 and items(app) == [("Piket saya", "Tim", None, "terbuka")]
