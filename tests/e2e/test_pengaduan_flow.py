"""End-to-end in a real Chromium: a complaint from the web form and one from the kiosk, followed
by number and access code, handled by the Tim Pengaduan, rated, reopened, finished and closed.

Only the staff accounts, the reference data and the passing of the reply window are set up
outside the browser; the kiosk is registered and activated by an admin through the admin pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LiveServer, Problems, seed, sign_in
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Pengaduan, Role
from zi_public.security.headers import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.browser

NUMBER = re.compile(r"PGD-\d{4}-\d{6}")
ACCESS_CODE = re.compile(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}")
CATEGORY, LAYANAN = "Waktu penyelesaian", "Persetujuan Bangunan Gedung (PBG)"
BIDANG = "Bidang Pelayanan Perizinan dan Non Perizinan B"
INSTRUCTION = "Periksa berkas PBG di loket 3 dan laporkan ke tim paling lambat Jumat."
ANSWER = "Berkas Anda sudah diproses dan PBG terbit hari ini; petugas loket 3 sudah kami tegur."
NOT_FOUND = "Nomor pengaduan atau kode akses tidak cocok."
#: Reports every CSP violation to the test over a binding, on every page the context opens
#: (window.__cspReported counts the reports the test has received).
CSP_REPORTER = """
window.__cspReported = 0;
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCsp(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + location.pathname)
    .then(() => { window.__cspReported += 1; });
});
"""


@pytest.fixture
def new_page(new_page: Callable[..., Page], problems: Problems) -> Callable[[], Page]:
    """conftest's pages, with downloads and every CSP violation reported to `problems` (CSP_REPORTER)."""

    def report_csp(context: BrowserContext) -> None:
        context.expose_binding("__reportCsp", lambda _source, text: problems.messages.append(f"csp: {text}"))
        context.add_init_script(CSP_REPORTER)

    return lambda: new_page(accept_downloads=True, prepare=report_csp)


@pytest.fixture(scope="module")
def staff(live_server: LiveServer) -> dict[str, str]:
    """Reference data, an admin and a Tim Pengaduan member (the only set-up outside the browser)."""
    seed(live_server, (Role.ADMIN, "e2e.admin"), (Role.PENGADUAN, "e2e.pengaduan"))
    return {"admin": "e2e.admin", "pengaduan": "e2e.pengaduan"}


def fact(page: Page, term: str) -> str:
    """The value next to a term in a facts list (<dt>term</dt><dd>value</dd>)."""
    return page.locator(f"dt:text-is('{term}') + dd").inner_text().strip()


def look_up(page: Page, base: str, number: str, code: str) -> None:
    page.goto(f"{base}/pengaduan/status?nomor={number}")
    expect(page.get_by_label("Nomor pengaduan", exact=True)).to_have_value(number)
    page.get_by_label("Kode akses", exact=True).fill(code)
    page.get_by_role("button", name="Lihat status").click()


def staff_action(page: Page, button: str, flash: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(flash)


def file_on_the_web(page: Page, base: str, attachment: Path) -> tuple[str, str]:
    """Step 1: the citizen files with a PNG attachment and notes the number and code."""
    page.goto(f"{base}/pengaduan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajukan pengaduan")
    page.get_by_role("radio", name=re.compile("^Terbuka")).check()
    page.get_by_label("Nama lengkap", exact=True).fill("Rina Wulandari")
    page.get_by_label("Email", exact=True).fill("rina.wulandari@example.com")
    page.get_by_label("Kategori", exact=True).select_option(label=CATEGORY)
    page.get_by_label("Layanan yang diadukan", exact=True).select_option(label=LAYANAN)
    page.get_by_label("Judul pengaduan", exact=True).fill("PBG tidak terbit setelah 40 hari")
    page.get_by_label("Apa yang terjadi dan kerugian yang Anda alami", exact=True).fill(
        "Permohonan PBG saya lengkap sejak bulan lalu, tetapi belum terbit dan petugas tidak memberi kabar."
    )
    page.get_by_label("Penyelesaian yang Anda harapkan", exact=True).fill("PBG segera diterbitkan.")
    page.get_by_label("Tempat kejadian", exact=True).fill("Loket 3 Mal Pelayanan Publik")
    page.get_by_label("Tanggal kejadian", exact=True).fill((today_jakarta() - timedelta(days=1)).isoformat())
    page.get_by_label(re.compile(r"^Lampiran \(foto atau PDF")).set_input_files(attachment)
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.wait_for_url(f"{base}/pengaduan/terkirim")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengaduan terkirim")
    number, code = fact(page, "Nomor pengaduan"), fact(page, "Kode akses")
    assert NUMBER.fullmatch(number) and ACCESS_CODE.fullmatch(code), (number, code)
    # Shown once: a reload keeps the number but no longer shows the code.
    page.reload()
    expect(page.locator("dt", has_text="Nomor pengaduan")).to_be_visible()
    expect(page.get_by_text(code)).to_have_count(0)
    expect(page.locator("dt", has_text="Kode akses")).to_have_count(0)
    return number, code


def activate_kiosk(page: Page, base: str, admin: str) -> None:
    """An admin registers a kiosk and activates it in this browser, which signs the admin out."""
    sign_in(page, base, admin)
    page.get_by_role("link", name="Perangkat kiosk").click()
    page.get_by_label("Nama perangkat", exact=True).fill("Kiosk ruang tunggu 1")
    page.get_by_label("Lokasi", exact=True).fill("Mal Pelayanan Publik lantai 1")
    page.get_by_role("button", name="Daftarkan perangkat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiosk ruang tunggu 1")
    page.once("dialog", lambda dialog: dialog.accept())  # "make this browser the kiosk and sign out?"
    page.get_by_role("button", name="Aktifkan di browser ini").click()
    page.wait_for_url(f"{base}/kiosk/")
    # No staff session stays behind on a public machine.
    page.goto(f"{base}/internal/")
    page.wait_for_url(re.compile(r"/auth/login"))
    page.goto(f"{base}/kiosk/")


def file_on_the_kiosk(page: Page, base: str) -> tuple[str, str, str]:
    """Step 2: a visitor files at the kiosk; after "Mulai ulang" nothing of theirs is left."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang. Apa yang ingin Anda sampaikan?")
    page.get_by_role("link", name=re.compile("^Pengaduan")).click()
    page.wait_for_url(f"{base}/kiosk/pengaduan")
    page.get_by_role("radio", name=re.compile("^Rahasia")).check()
    page.get_by_label("Nama lengkap", exact=True).fill("Budi Santoso")
    page.get_by_label("Nomor telepon/WhatsApp", exact=True).fill("081234567890")
    page.get_by_label("Kategori", exact=True).select_option(label="Biaya atau tarif")
    page.get_by_label("Judul pengaduan", exact=True).fill("Diminta biaya tambahan di loket")
    page.get_by_label("Apa yang terjadi dan kerugian yang Anda alami", exact=True).fill(
        "Petugas meminta uang percepatan Rp200.000 untuk berkas saya."
    )
    page.get_by_role("button", name="Kirim pengaduan").click()

    page.wait_for_url(f"{base}/kiosk/pengaduan/terkirim")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengaduan Anda sudah kami terima")
    number, code = fact(page, "Nomor pengaduan"), fact(page, "Kode akses")
    assert NUMBER.fullmatch(number) and ACCESS_CODE.fullmatch(code), (number, code)
    status_url = page.locator(".receipt-qr .kiosk-url").inner_text().strip()
    assert status_url == f"{base}/pengaduan/status?nomor={number}"

    page.get_by_role("button", name="Mulai ulang").click()
    page.wait_for_url(f"{base}/kiosk/")
    # The next person presses Back: the receipt must not come back. (Playwright turns Chrome's
    # back/forward cache off, so this checks the server side: no-store and the emptied session.)
    page.go_back()
    page.wait_for_url(f"{base}/kiosk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang. Apa yang ingin Anda sampaikan?")
    for personal in (number, code, "Budi Santoso"):
        expect(page.get_by_text(personal)).to_have_count(0)
    page.get_by_role("link", name=re.compile("^Pengaduan")).click()
    expect(page.get_by_label("Nama lengkap", exact=True)).to_have_value("")
    expect(page.get_by_label("Judul pengaduan", exact=True)).to_have_value("")
    return number, code, status_url


def check_lookups(page: Page, base: str, web: tuple[str, str], kiosk: tuple[str, str, str]) -> None:
    """Step 3: both complaints are found by number and code; mistakes get one generic answer."""
    page.goto(kiosk[2])  # the kiosk receipt's QR code, scanned with a phone
    expect(page.get_by_label("Nomor pengaduan", exact=True)).to_have_value(kiosk[0])
    page.get_by_label("Kode akses", exact=True).fill(kiosk[1].lower())  # typed sloppily: still fine
    page.get_by_role("button", name="Lihat status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Pengaduan {kiosk[0]}")
    expect(page.locator(".status-line")).to_contain_text("Diterima, menunggu verifikasi")
    assert fact(page, "Kategori") == "Biaya atau tarif"

    number, code = web
    wrong_code = code[:-1] + ("2" if code[-1] != "2" else "3")
    look_up(page, base, number, wrong_code)
    wrong_code_alert = page.get_by_role("alert")
    expect(wrong_code_alert).to_contain_text(NOT_FOUND)
    wrong_code_text = wrong_code_alert.inner_text()
    expect(page.get_by_text("PBG tidak terbit")).to_have_count(0)
    unknown = f"{number[:-6]}{(int(number[-6:]) + 500) % 1_000_000:06d}"
    look_up(page, base, unknown, code)
    expect(page.get_by_role("alert")).to_have_text(wrong_code_text)  # no existence oracle

    look_up(page, base, number, code)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Pengaduan {number}")
    assert fact(page, "Judul") == "PBG tidak terbit setelah 40 hari"
    assert fact(page, "Layanan") == LAYANAN
    expect(page.locator(".clocks")).to_contain_text("Diverifikasi paling lambat")


def handle_as_staff(page: Page, base: str, username: str, web: str, kiosk: str, original: bytes) -> None:
    """Step 4: the Tim Pengaduan downloads the attachment, verifies, routes, answers, finishes."""
    sign_in(page, base, username)
    page.get_by_role("navigation", name="Menu internal").get_by_role("link", name="Pengaduan").click()
    page.wait_for_url(f"{base}/internal/pengaduan")
    web_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=web))
    kiosk_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=kiosk))
    expect(web_row).to_contain_text("Web")
    expect(web_row).to_contain_text("Baru")
    expect(kiosk_row).to_contain_text("Kios")
    web_row.get_by_role("link", name=web).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(web)
    expect(page.locator("#identity")).to_contain_text("Rina Wulandari")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="bukti-antrean.png").click()
    download = download_info.value
    assert download.suggested_filename == "bukti-antrean.png"
    assert Path(download.path()).read_bytes() == original

    staff_action(page, "Verifikasi pengaduan", "Pengaduan diverifikasi")
    expect(page.locator("#status")).to_have_text("Terverifikasi")
    page.get_by_label("Bidang tujuan", exact=True).select_option(label=BIDANG)
    page.get_by_label("Instruksi disposisi (internal)", exact=True).fill(INSTRUCTION)
    staff_action(page, "Disposisikan", f"Pengaduan didisposisikan ke {BIDANG}")
    expect(page.locator("#status")).to_have_text("Ditindaklanjuti")
    page.get_by_label("Tanggapan kepada pelapor (terlihat oleh pelapor)", exact=True).fill(ANSWER)
    staff_action(page, "Kirim tanggapan", "Tanggapan disimpan")
    staff_action(page, "Selesaikan pengaduan", "Pengaduan diselesaikan")
    expect(page.locator("#status")).to_have_text("Selesai")
    assert fact(page, "Bidang") == BIDANG
    expect(page.locator("#history")).to_contain_text(INSTRUCTION)


def rate_and_reply(page: Page, base: str, number: str, code: str) -> None:
    """Step 5: the citizen reads the answer, rates the handling 4 and replies (reopening it)."""
    look_up(page, base, number, code)
    expect(page.locator(".status-line")).to_contain_text("Selesai ditangani.")
    history = page.locator(".history")
    expect(history).to_contain_text(ANSWER)
    expect(history).to_contain_text("Pengaduan dinyatakan selesai")
    expect(page.get_by_text(INSTRUCTION)).to_have_count(0)
    expect(page.get_by_text(BIDANG)).to_have_count(0)

    page.get_by_role("radio", name="4 — Sangat puas").check()
    page.get_by_label("Komentar (tidak wajib)", exact=True).fill("Cepat ditanggapi, terima kasih.")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.get_by_role("status")).to_contain_text("Penilaian Anda sudah kami terima")
    expect(page.get_by_text("Penilaian Anda saat ini: 4 dari 4.")).to_be_visible()

    page.get_by_label("Balasan Anda", exact=True).fill("Maaf, PBG yang terbit salah mencantumkan luas bangunan.")
    page.get_by_role("button", name="Kirim balasan dan buka kembali pengaduan").click()
    expect(page.get_by_role("status")).to_contain_text("pengaduan dibuka kembali")
    expect(page.locator(".status-line")).to_contain_text("Sedang ditindaklanjuti")
    expect(history).to_contain_text("salah mencantumkan luas bangunan")
    expect(page.get_by_label("Balasan Anda", exact=True)).to_have_count(0)


def finish_again(page: Page, base: str) -> None:
    """Step 6a: the team sees the rating and the reply, and finishes the case again."""
    page.reload()
    expect(page.locator("#status")).to_have_text("Ditindaklanjuti")
    assert fact(page, "Penilaian pelapor") == "4/4 — Cepat ditanggapi, terima kasih."
    expect(page.locator("#history")).to_contain_text("salah mencantumkan luas bangunan")
    staff_action(page, "Selesaikan pengaduan", "Pengaduan diselesaikan")
    expect(page.locator("#status")).to_have_text("Selesai")


def let_reply_window_pass(live_server: LiveServer, number: str) -> None:
    """Step 6b: the reply window ends (simulated in the database), then cron runs `sla tick`."""
    app = live_server.app
    with app.app_context():
        case = db.session.scalar(sa.select(Pengaduan).where(Pengaduan.number == number))
        assert case is not None and case.reply_until is not None and case.reply_until > today_jakarta()
        case.reply_until = today_jakarta() - timedelta(days=1)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["sla", "tick"])
    assert result.exit_code == 0, result.output
    assert "closed 1;" in result.output


def test_the_problem_collector_hears_csp_violations_and_uncaught_errors(
    live_server: LiveServer, new_page: Callable[[], Page], problems: Problems
):
    """Its silence in the flow below means something."""
    page = new_page()
    probe = f"{live_server.url}/_probe"
    page.route(
        probe,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
            body='<!doctype html><p style="color:red">x</p><script>window.ran = 1</script>',
        ),
    )
    page.goto(probe)
    page.wait_for_function("window.__cspReported >= 2")
    with page.expect_event("pageerror"):
        page.evaluate("setTimeout(() => { throw new Error('boom'); }, 0)")
    assert page.evaluate("window.ran") is None
    assert any(m.startswith("csp: style-src") for m in problems.messages), problems.messages
    assert any(m.startswith("csp: script-src") for m in problems.messages), problems.messages
    assert any(m.startswith("uncaught: ") and "boom" in m for m in problems.messages), problems.messages


def test_complaints_from_web_and_kiosk_are_followed_to_closing(
    live_server: LiveServer, staff: dict[str, str], new_page: Callable[[], Page], problems: Problems, tmp_path: Path
):
    base = live_server.url
    attachment = tmp_path / "bukti-antrean.png"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(attachment, format="PNG")
    original = attachment.read_bytes()

    citizen = new_page()
    web = file_on_the_web(citizen, base, attachment)

    kiosk = new_page()
    activate_kiosk(kiosk, base, staff["admin"])
    kiosk_case = file_on_the_kiosk(kiosk, base)

    phone = new_page()
    check_lookups(phone, base, web, kiosk_case)

    officer = new_page()
    handle_as_staff(officer, base, staff["pengaduan"], web[0], kiosk_case[0], original)

    rate_and_reply(citizen, base, *web)
    finish_again(officer, base)

    citizen.reload()  # still the looked-up case: the reply window is open again
    expect(citizen.locator(".status-line")).to_contain_text("Selesai ditangani.")
    expect(citizen.get_by_label("Balasan Anda", exact=True)).to_be_visible()

    let_reply_window_pass(live_server, web[0])
    citizen.reload()
    expect(citizen.locator(".notice")).to_contain_text("sudah ditutup pada")
    expect(citizen.locator(".history")).to_contain_text("Pengaduan ditutup")
    expect(citizen.get_by_label("Balasan Anda", exact=True)).to_have_count(0)
    expect(citizen.get_by_role("button", name="Kirim balasan dan buka kembali pengaduan")).to_have_count(0)
    expect(citizen.get_by_role("button", name="Kirim penilaian")).to_have_count(0)
    officer.reload()
    expect(officer.locator("#status")).to_have_text("Selesai · ditutup")
    expect(officer.get_by_role("button", name="Buka kembali")).to_have_count(0)

    assert problems.messages == []
