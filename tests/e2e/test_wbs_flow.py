"""End-to-end in a real Chromium: a whistle-blower files a WBS report with a GPS-tagged photo, writes the
receipt down, opens the report with it, answers the Tim WBS's question with another GPS-tagged photo, and
the team downloads that photo (the default staff download) without EXIF or GPS.

Only the reference data and the team member's account are set up outside the browser.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, Problems, seed, sign_in
from zi_public.extensions import db
from zi_public.models import Role, WbsReport

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"[2-9A-HJKMNP-Z]{6}-[2-9A-HJKMNP-Z]{6}-[2-9A-HJKMNP-Z]{6}")
WHAT = "Petugas loket 3 meminta uang pelicin Rp500.000 agar izin usaha saya diproses lebih cepat."
QUESTION = "Apakah Anda punya foto saat uang diserahkan, dan kapan tepatnya itu terjadi?"
ANSWER = "Ada, foto terlampir; kejadiannya Selasa pagi sekitar pukul sembilan."


def gps_photo(path: Path, colour: tuple[int, int, int]) -> bytes:
    """A JPEG carrying a camera make and a GPS position (what a phone writes)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (7.0, 28.0, 12.0)}
    Image.new("RGB", (64, 48), colour).save(path, format="JPEG", exif=exif.tobytes())
    data = path.read_bytes()
    assert b"SpyCam" in data and ExifTags.IFD.GPSInfo in Image.open(io.BytesIO(data)).getexif()
    return data


@pytest.fixture(scope="module")
def team_member(live_server: LiveServer) -> str:
    seed(live_server, (Role.WBS, "e2e.wbs"))
    return "e2e.wbs"


def file_report(page: Page, base: str, photo: Path) -> str:
    """The whistle-blower files through the form and writes the receipt down."""
    page.goto(f"{base}/wbs/lapor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buat laporan WBS")
    page.get_by_label("Jenis pelanggaran", exact=True).select_option(label="Korupsi")
    page.get_by_label("Apa yang terjadi", exact=True).fill(WHAT)
    page.get_by_label("Unit kerja", exact=True).fill("Bidang Perizinan, loket 3")
    page.get_by_label("Kapan terjadi", exact=True).fill("Selasa pekan lalu")
    page.get_by_label(re.compile(r"^Bukti awal \(foto")).set_input_files(photo)
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(f"{base}/wbs/tanda-terima")
    receipt = page.locator(".wbs-receipt-code").inner_text().strip()
    assert RECEIPT.fullmatch(receipt), receipt
    # The write-it-down step: confirming lets the page go (no beforeunload prompt) and forgets the receipt.
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Selesai", exact=True).click()
    page.wait_for_url(f"{base}/wbs/")
    expect(page.get_by_role("status")).to_contain_text("Laporan Anda kami terima")
    page.goto(f"{base}/wbs/tanda-terima")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tanda terima sudah ditampilkan")
    expect(page.get_by_text(receipt)).to_have_count(0)
    return receipt


def open_report(page: Page, base: str, receipt: str) -> None:
    page.goto(f"{base}/wbs/status")
    page.get_by_label("Nomor tanda terima", exact=True).fill(receipt.lower().replace("-", " "))  # typed sloppily
    page.get_by_role("button", name="Buka laporan").click()
    page.wait_for_url(f"{base}/wbs/status")
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporan WBS Anda")
    expect(page.locator(".facts")).to_contain_text("Korupsi")


def test_a_report_is_filed_asked_about_and_answered_with_a_photo_the_team_gets_without_gps(
    live_server: LiveServer, team_member: str, new_page: Callable[..., Page], problems: Problems, tmp_path: Path
):
    base = live_server.url
    first, second = tmp_path / "IMG_20261123_101502.jpg", tmp_path / "IMG_20261124_083011.jpg"
    gps_photo(first, (200, 30, 30))
    original = gps_photo(second, (30, 200, 30))

    reporter = new_page(accept_downloads=True)
    receipt = file_report(reporter, base, first)
    open_report(reporter, base, receipt)
    expect(reporter.locator(".wbs-conversation")).to_have_count(0)

    with live_server.app.app_context():
        report_id = db.session.scalar(sa.select(sa.func.max(WbsReport.id)))
    team = new_page(accept_downloads=True)
    sign_in(team, base, team_member)
    team.goto(f"{base}/internal/wbs")
    team.locator(f"#wbs-{report_id}").get_by_role("link", name=f"#{report_id}", exact=True).click()
    expect(team.get_by_role("heading", level=1)).to_have_text(f"Laporan WBS #{report_id}")
    expect(team.locator("#report")).to_contain_text(WHAT)
    message_form = team.locator("#form-message")
    message_form.get_by_label("Pesan kepada pelapor (terlihat oleh pelapor)", exact=True).fill(QUESTION)
    message_form.get_by_role("button", name="Kirim pesan").click()
    expect(team.get_by_role("status")).to_contain_text("Pesan terkirim")
    expect(team.locator("#conversation")).to_contain_text(QUESTION)

    reporter.reload()  # the reporter's session is still open on this device
    expect(reporter.locator(".wbs-conversation")).to_contain_text(QUESTION)
    reporter.get_by_label("Pesan Anda", exact=True).fill(ANSWER)
    reporter.get_by_label(re.compile(r"^Lampiran \(foto")).set_input_files(second)
    reporter.get_by_role("button", name="Kirim pesan").click()
    expect(reporter.get_by_role("status")).to_contain_text("Pesan Anda terkirim ke Tim WBS.")
    expect(reporter.locator(".wbs-conversation")).to_contain_text(ANSWER)

    team.reload()
    expect(team.locator("#conversation")).to_contain_text(ANSWER)
    from_reply = team.locator("#attachments li").filter(has_text="dari percakapan")
    expect(from_reply).to_have_count(1)
    expect(from_reply.locator(".attachment-variant")).to_contain_text("tanpa metadata")
    with team.expect_download() as download_info:
        from_reply.locator("a:not(.attachment-original)").click()
    download = download_info.value
    assert download.suggested_filename == "lampiran.jpg"  # not the phone's dated file name
    data = Path(download.path()).read_bytes()
    assert data != original and b"SpyCam" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert len(image.getexif()) == 0 and ExifTags.IFD.GPSInfo not in image.getexif()

    assert problems.messages == []
