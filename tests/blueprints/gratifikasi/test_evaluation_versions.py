"""The UPG's quarterly evaluation marked final and reopened as a new version, as the monev is: the confirmation box
is checked by the server, a final version locks the text and new follow-up items on the page and in the service
(status and evidence stay open), a new version keeps the final one readable; the pimpinan reads it all and changes
nothing; hostile posts save nothing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, FollowUpItem, PeriodEvaluation, PeriodEvaluationVersion, Role
from zi_public.rules.periods import QUARTER, period_of, previous
from zi_public.services import evaluation_versions, evaluations
from zi_public.services.evaluations import ItemInput

PAGE = "/internal/gratifikasi/benturan/evaluasi"
SCOPE = "benturan"


@pytest.fixture
def quarter():
    return period_of(QUARTER, today_jakarta())


def version_of(html: str) -> str:
    match = re.search(r'name="version" type="hidden" value="([^"]*)"', html)
    assert match, "the page carries its version"
    return match.group(1)


def url(path: str, quarter) -> str:
    return f"{PAGE}/{path}?period={quarter.code}"


def current(app, quarter) -> tuple[int, bool, str] | None:
    with app.app_context():
        row = db.session.get(PeriodEvaluation, (SCOPE, quarter.code))
        return None if row is None else (row.version_no, row.is_final, row.text)


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (PeriodEvaluation, FollowUpItem, PeriodEvaluationVersion)
        )


def written(app, quarter, *, final: bool = False, new_version: bool = False) -> int:
    """An evaluation of `quarter` with one follow-up item, marked final and reopened as asked; the item's id."""
    with app.app_context():
        upg = make_user(role=Role.UPG, username="penulis")
        evaluations.save_evaluation(upg, SCOPE, quarter, "Sosialisasi kurang merata.")
        item = evaluations.add_item(upg, SCOPE, quarter, ItemInput("Sosialisasi bidang teknis", "Ketua UPG"))
        if final or new_version:
            evaluation_versions.mark_final(upg, SCOPE, quarter)
        if new_version:
            evaluation_versions.new_version(upg, SCOPE, quarter)
        db.session.commit()
        return item.id


def test_mark_final_lock_then_a_new_version_keeps_the_final_one(seeded, client, login_as, quarter):
    login_as("upg")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Belum ditulis" in page and f'action="{url("final", quarter)}"' in page
    assert client.post(url("teks", quarter), data={"text": "Pernyataan naik.", "version": ""}).status_code == 302
    assert client.post(url("tindak-lanjut", quarter), data={"item": "Sosialisasi", "owner": "UPG"}).status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Versi 1" in page and "Draf" in page and f'action="{url("final", quarter)}"' in page

    # The confirmation box is the server's to check, not only the browser's dialog.
    unconfirmed = client.post(url("final", quarter), data={"version": version_of(page)})
    assert unconfirmed.status_code == 400
    assert "Centang pernyataan ini untuk menetapkan final." in unconfirmed.get_data(as_text=True)
    assert current(seeded, quarter) == (1, False, "Pernyataan naik.")
    final = client.post(url("final", quarter), data={"confirm": "y", "version": version_of(page)})
    assert final.status_code == 302 and final.headers["Location"].endswith(f"?period={quarter.code}")
    assert current(seeded, quarter) == (1, True, "Pernyataan naik.")

    # Read-only for what is locked: no text form, no new item; the item's follow-up stays open.
    page = client.get(PAGE).get_data(as_text=True)
    assert "Final" in page and "Evaluasi dan isi tindak lanjut terkunci" in page
    assert f'action="{url("teks", quarter)}"' not in page and f'action="{url("tindak-lanjut", quarter)}"' not in page
    assert f'action="{url("versi-baru", quarter)}"' in page and f'action="{url("final", quarter)}"' not in page
    with seeded.app_context():
        item = db.session.scalars(sa.select(FollowUpItem)).one()
        item_id, item_version = item.id, evaluations.item_version(item)
    followed = client.post(
        f"{PAGE}/tindak-lanjut/{item_id}?period={quarter.code}",
        data={"status": "selesai", "evidence": "Daftar hadir", "version": item_version},
    )
    assert followed.status_code == 302

    # A page opened before it was final: the text and a new item are refused with the lock message, kept typed.
    refused = client.post(url("teks", quarter), data={"text": "Teks sesudah final", "version": version_of(page)})
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "sudah final" in html
    added = client.post(url("tindak-lanjut", quarter), data={"item": "Butir sesudah final", "owner": "UPG"})
    assert added.status_code == 409 and "sudah final" in added.get_data(as_text=True)
    assert current(seeded, quarter) == (1, True, "Pernyataan naik.") and counts(seeded) == (1, 1, 0)

    # A new version: the final one is archived as it was, the next opens as a draft.
    opened = client.post(url("versi-baru", quarter), data={"version": version_of(page)})
    assert opened.status_code == 302
    assert current(seeded, quarter) == (2, False, "Pernyataan naik.")
    page = client.get(PAGE).get_data(as_text=True)
    archived_url = f"{PAGE}/versi/1?period={quarter.code}"
    assert f'href="{archived_url}"' in page and f'action="{url("teks", quarter)}"' in page
    saved = client.post(url("teks", quarter), data={"text": "Versi kedua.", "version": version_of(page)})
    assert saved.status_code == 302
    archived = client.get(archived_url)
    assert archived.status_code == 200
    html = archived.get_data(as_text=True)
    assert (
        "Pernyataan naik." in html and "Versi kedua." not in html and "Sosialisasi" in html and "Daftar hadir" in html
    )
    assert client.get(f"{PAGE}/versi/2?period={quarter.code}").status_code == 404
    with seeded.app_context():
        actions = list(
            db.session.scalars(
                sa.select(AuditEntry.action)
                .where(AuditEntry.action.like("benturan.evaluation_%"))
                .order_by(AuditEntry.id)
            )
        )
    assert actions == [
        "benturan.evaluation_update",
        "benturan.evaluation_finalize",
        "benturan.evaluation_new_version",
        "benturan.evaluation_update",
    ]


def test_the_pimpinan_reads_the_versions_and_changes_nothing(seeded, client, login_as, quarter):
    written(seeded, quarter, new_version=True)
    login_as("pimpinan")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Versi 2" in page and "Draf" in page and f"{PAGE}/versi/1?period={quarter.code}" in page
    assert "/final?" not in page and "/versi-baru?" not in page and "/teks?" not in page
    archived = client.get(f"{PAGE}/versi/1?period={quarter.code}")
    assert archived.status_code == 200 and "Sosialisasi kurang merata." in archived.get_data(as_text=True)
    assert client.post(url("final", quarter), data={"confirm": "y", "version": ""}).status_code == 403
    assert client.post(url("versi-baru", quarter), data={"version": ""}).status_code == 403
    assert current(seeded, quarter) == (2, False, "Sosialisasi kurang merata.")


def test_a_final_version_shows_the_pimpinan_its_badge_without_forms(seeded, client, login_as, quarter):
    written(seeded, quarter, final=True)
    login_as("pimpinan")
    page = client.get(PAGE).get_data(as_text=True)
    assert 'class="badge evaluation-final"' in page and "Sosialisasi kurang merata." in page
    assert "Final dan versi baru" not in page


@pytest.mark.parametrize(
    ("path", "data", "status", "message"),
    [
        ("final", {"confirm": "y", "version": ""}, 400, "Tulis evaluasi lebih dulu"),  # nothing written yet
        ("final", {"confirm": "y"}, 400, "Formulir tidak lengkap"),
        ("final", {"confirm": "y", "version": "<script>"}, 400, "Formulir tidak lengkap"),
        ("final", {"version": ""}, 400, "Centang pernyataan ini"),
        ("versi-baru", {"version": ""}, 409, "belum final"),  # not final: change it directly
        ("versi-baru", {}, 400, "Formulir tidak lengkap"),
        ("versi-baru", {"version": "9" * 5000}, 400, "Formulir tidak lengkap"),
    ],
)
def test_hostile_version_posts_change_nothing(seeded, client, login_as, quarter, path, data, status, message):
    login_as("upg")
    response = client.post(url(path, quarter), data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert counts(seeded) == (0, 0, 0)


def test_a_stale_page_neither_marks_final_nor_opens_a_version_twice(seeded, client, login_as, quarter):
    written(seeded, quarter)
    login_as("upg")
    opened = version_of(client.get(PAGE).get_data(as_text=True))
    assert client.post(url("teks", quarter), data={"text": "Teks rekan.", "version": opened}).status_code == 302
    stale = client.post(url("final", quarter), data={"confirm": "y", "version": opened})
    assert stale.status_code == 409 and "Petugas lain baru saja menyimpan" in stale.get_data(as_text=True)
    assert current(seeded, quarter) == (1, False, "Teks rekan.")

    page = client.get(PAGE).get_data(as_text=True)
    assert client.post(url("final", quarter), data={"confirm": "y", "version": version_of(page)}).status_code == 302
    final_page = client.get(PAGE).get_data(as_text=True)
    assert client.post(url("versi-baru", quarter), data={"version": version_of(final_page)}).status_code == 302
    replayed = client.post(url("versi-baru", quarter), data={"version": version_of(final_page)})
    assert replayed.status_code == 409
    assert current(seeded, quarter)[:2] == (2, False) and counts(seeded)[2] == 1
    again = client.post(url("final", quarter), data={"confirm": "y", "version": version_of(final_page)})
    assert again.status_code == 409  # the replayed page's version is not the new draft's
    assert current(seeded, quarter)[:2] == (2, False)


def test_version_posts_without_a_quarter_are_400(seeded, client, login_as):
    login_as("upg")
    for path in ("final", "versi-baru", "final?period=2026-S2", "versi-baru?period=x" + "9" * 300):
        response = client.post(f"{PAGE}/{path}", data={"confirm": "y", "version": ""})
        assert response.status_code == 400, path
        assert "Periode tidak valid" in response.get_data(as_text=True)
    assert counts(seeded) == (0, 0, 0)


def test_an_archived_version_needs_its_quarter(seeded, client, login_as, quarter):
    written(seeded, quarter, new_version=True)
    login_as("upg")
    assert client.get(f"{PAGE}/versi/1?period={quarter.code}").status_code == 200
    for query in (
        "",
        "?period=",
        f"?period={previous(quarter).code}",
        "?period=2026-S2",
        "?period=%FF",
        "?period=2026-Q9",
    ):
        assert client.get(f"{PAGE}/versi/1{query}").status_code == 404, query


def test_a_monev_version_is_not_read_through_the_upg_page(seeded, client, login_as, quarter):
    """The scopes stay apart: a monev's archived version has no benturan page."""
    with seeded.app_context():
        team = make_user(role=Role.PENGADUAN, username="tim")
        semester = period_of("semester", quarter.start)
        evaluations.save_evaluation(team, "pengaduan_monev", semester, "Teks monev.")
        evaluation_versions.mark_final(team, "pengaduan_monev", semester)
        evaluation_versions.new_version(team, "pengaduan_monev", semester)
        db.session.commit()
    login_as("upg")
    for query in (f"?period={semester.code}", f"?period={quarter.code}"):
        assert client.get(f"{PAGE}/versi/1{query}").status_code == 404


def test_the_english_page_and_archived_version(seeded, client, login_as, quarter):
    written(seeded, quarter, new_version=True)
    login_as("upg")
    client.set_cookie("zi_lang", "en")
    page = client.get(PAGE).get_data(as_text=True)
    assert '<h2 id="versi">Final version and new versions</h2>' in page and "Version 2" in page
    assert "I understand: once final" in page and "Mark the evaluation" in page
    assert not re.search(r"\bVersi\b|Ditetapkan|tindak lanjut", page)
    archived = client.get(f"{PAGE}/versi/1?period={quarter.code}").get_data(as_text=True)
    assert "Conflict-of-interest evaluation" in archived and "version 1" in archived
    assert "Evaluasi" not in archived and "Ditetapkan" not in archived
    reopened = client.post(url("versi-baru", quarter), data={"version": version_of(page)})
    assert reopened.status_code == 409 and "not final yet" in reopened.get_data(as_text=True).lower()
    unticked = client.post(url("final", quarter), data={"version": version_of(page)})
    assert unticked.status_code == 400 and "Tick this statement to mark it final." in unticked.get_data(as_text=True)


def test_each_write_says_what_was_saved_and_goes_back_to_the_quarters_page(seeded, client, login_as, quarter):
    login_as("upg")
    back = f"{PAGE}?period={quarter.code}"
    name = f"Triwulan {['I', 'II', 'III', 'IV'][quarter.index - 1]} {quarter.year}"

    def posted(path: str, data: dict, message: str) -> str:
        response = client.post(path, data=data)
        assert response.status_code == 302 and response.location == back
        page = client.get(back).get_data(as_text=True)
        assert message in page
        return page

    page = posted(url("teks", quarter), {"text": "Teks.", "version": ""}, f"Evaluasi {name} disimpan.")
    page = posted(url("tindak-lanjut", quarter), {"item": "Sosialisasi", "owner": "UPG"}, "Tindak lanjut ditambahkan.")
    with client.application.app_context():
        item_id = db.session.scalar(sa.select(sa.func.max(FollowUpItem.id)))
    versions = re.findall(r'name="version" value="([^"]*)"', page)
    page = posted(
        f"{PAGE}/tindak-lanjut/{item_id}?period={quarter.code}",
        {"status": "terbuka", "evidence": "", "version": versions[0]},
        "Tindak lanjut disimpan.",
    )
    page = posted(
        url("final", quarter), {"confirm": "y", "version": version_of(page)}, f"Evaluasi {name} ditetapkan final."
    )
    posted(
        url("versi-baru", quarter),
        {"version": version_of(page)},
        "Versi 2 dibuka sebagai draf; versi final sebelumnya tetap tersimpan.",
    )
