"""End-to-end in a real Chromium: an employee reports a gift received 35 working days ago. As the date is
typed, the deadline panel turns late (with the count and the regulation's note) without a page load; the
report is accepted, and the receipt shows the number, the access code and the late count. The same number
and code then open the status page. No console error, no CSP violation (the page's script is a file)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, Problems, csp_violations
from zi_public.localtime import today_jakarta
from zi_public.services.calendar import work_calendar

pytestmark = pytest.mark.browser

NUMBER = re.compile(r"GRT-\d{4}-\d{6}")
ACCESS_CODE = re.compile(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}")


def working_days_back(live_server: LiveServer, n: int) -> date:
    """The working day `n` working days before today on the live server's work calendar."""
    with live_server.app.app_context():
        calendar, today = work_calendar(), today_jakarta()
    day = today
    while calendar.count_working_days(day, today) < n or not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() - 1)
    assert calendar.count_working_days(day, today) == n
    return day


def fill_reporter_and_gift(page: Page) -> None:
    page.get_by_label("NIK", exact=True).fill("3371010101900001")
    page.get_by_label("Nama lengkap", exact=True).fill("Budi Santoso")
    page.get_by_label("Jabatan", exact=True).fill("Analis Perizinan")
    page.get_by_label("Unit kerja", exact=True).fill("Bidang Perizinan")
    page.get_by_label("Nomor telepon/WhatsApp", exact=True).fill("0812 3456 7890")
    page.get_by_label("Alamat rumah", exact=True).fill("Jl. Pahlawan 17, Magelang")
    page.get_by_label("Nama lengkap pemberi", exact=True).fill("Andi Wijaya")
    page.get_by_label("Hubungan Anda dengan pemberi", exact=True).fill("Pemohon izin")
    page.get_by_label("Jenis gratifikasi", exact=True).select_option(label="Barang")
    page.get_by_label("Perkiraan nilai (Rupiah)", exact=True).fill("750.000")
    page.get_by_label("Tempat", exact=True).fill("Kantor DPMPTSP")
    page.get_by_label("Kronologi kejadian", exact=True).fill("Pemohon datang membawa parsel setelah izinnya terbit.")
    page.get_by_label("Masih pada pelapor", exact=True).check()


def test_a_late_gift_is_shown_late_as_the_date_is_typed_and_is_accepted(
    live_server: LiveServer, new_page: Callable[..., Page], problems: Problems
):
    base = live_server.url
    received = working_days_back(live_server, 35)
    page = new_page(csp_recorder=True)
    page.goto(f"{base}/gratifikasi/lapor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporkan gratifikasi")
    expect(page.get_by_role("button", name="Hitung tenggat")).to_be_hidden()  # the script follows the typing
    fill_reporter_and_gift(page)

    page.evaluate("window.__samePage = true")
    page.get_by_label("Tanggal diterima atau ditolak", exact=True).fill(received.isoformat())
    panel = page.locator("[data-deadline-panel]")
    expect(panel).to_have_attribute("aria-live", "polite")
    expect(panel.locator(".panel-line.late")).to_contain_text("Terlambat: sudah 35 hari kerja sejak diterima")
    expect(panel).to_contain_text("Laporan tetap diterima dan dicatat terlambat")
    expect(panel).to_contain_text("Pasal 12C")
    assert page.evaluate("window.__samePage") is True  # no page load

    # A refused gift has no deadline and no "where is it now": the panel and the form follow at once.
    page.get_by_label("Saya menolak pemberian ini", exact=True).check()
    expect(panel).to_contain_text("tidak pernah terlambat")
    expect(page.get_by_label("Masih pada pelapor", exact=True)).to_be_hidden()
    page.get_by_label("Saya menerima pemberian ini", exact=True).check()
    expect(panel.locator(".panel-line.late")).to_be_visible()

    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(f"{base}/gratifikasi/tanda-terima")
    number = page.locator(".receipt-number").inner_text().strip()
    code = page.locator(".receipt-code").inner_text().strip()
    assert NUMBER.fullmatch(number) and ACCESS_CODE.fullmatch(code), (number, code)
    expect(page.locator(".timeliness")).to_contain_text("Terlambat: dilaporkan 35 hari kerja sejak diterima")
    expect(page.get_by_role("button", name="Cetak tanda terima")).to_be_visible()

    page.get_by_role("link", name="Lihat status").click()
    page.get_by_label("Nomor laporan", exact=True).fill(number)
    page.get_by_label("Kode akses", exact=True).fill(code)
    page.get_by_role("button", name="Lihat status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Laporan gratifikasi Anda: {number}")
    assert code not in page.url and number not in page.url
    assert csp_violations(page) == [] and problems.messages == []
