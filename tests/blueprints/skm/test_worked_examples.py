"""Published worked examples of the IKM, filed the way the issue will check them: through POST /api/v1/skm, the
kiosk and the paper import, then read back from GET /api/v1/skm/hasil, the public page and the skm-triwulan
export. Where a published figure disagrees with its own data, both are written down and ours is the exact one.

1. GASPUL: rennn9/GASPUL_BACKEND, rumus_perhitungan_ikm_lengkap.md (GitHub, commit 157a1a61dc30), "Tabel
   perhitungan lengkap triwulan III": 29 respondents; for each unsur how many answered 4, 3 and 2, the sums
   105 101 100 116 102 105 106 105 115 (total 955) and the rows of respondents R1, R2, R3 and R29.
   Its own data give 955 / (29 × 9) × 25 = 91.4750… → 91.48 (A, Sangat Baik), which the document also works
   out ("Perhitungan praktis … = 91.48"); yet its headline figure is 90.56, from "NRR tertimbang" values that
   are each NRR × 0.11 rounded to four places (0.3983 = 3.6207 × 0.11, though the text says × 0.1111):
   3.6224 × 25 = 90.56. The legacy 0.111 weighting gives 91.38. Ours: 91.48 exact; 91.38 under the labelled
   legacy option; never 90.56.
   The document prints four rows only; the other 25 are filled in from its per-unsur counts (the IKM and every
   NRR depend on the sums alone, so any such rows give the published sums). Its form puts U8 Sarana dan
   Prasarana before U9 Penanganan Pengaduan, the reverse of PermenPANRB 14/2017 (DESIGN.md): its U8 column is
   our U9 and its U9 our U8, so our NRR U8 (pengaduan) = 115 / 29 = 3.966 and U9 (sarana) = 105 / 29 = 3.621.
2. Tulang Bawang Barat, Dinas Kependudukan dan Pencatatan Sipil, "Pengolahan data survei kepuasan masyarakat per
   responden dan per unsur pelayanan, tahun 2023 semester 1" (https://e-smile.tubaba.go.id/main/skm/laporan/online):
   one respondent answering 4 to every unsur. The page states "NRR tertimbang per unsur = NRR per unsur x 0,111",
   shows each weighted NRR as 0.44 (which would sum to 3.96, i.e. 99.00) and publishes "IKM unit pelayanan 100".
   Its stated formula gives 4 × 0.111 × 9 × 25 = 99.90. Ours: 100.00 (A) exact, 99.90 (A) under the legacy option.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from tests.blueprints.skm.test_hasil import Page
from tests.blueprints.test_kiosk_skm import kiosk_client, new_device
from tests.factories import make_user
from zi_public.exports import build_report
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.rules.periods import QUARTER, period_of
from zi_public.rules.skm import UNSUR
from zi_public.services.skm.settings import set_legacy_weighting

#: GASPUL's printed rows (its own column order: U1..U7, U8 Sarana, U9 Pengaduan).
GASPUL_PRINTED = {
    0: (4, 4, 4, 4, 4, 4, 4, 4, 4),  # R1
    1: (4, 3, 2, 4, 3, 3, 3, 3, 4),  # R2
    2: (4, 4, 4, 4, 3, 4, 4, 4, 4),  # R3
    28: (4, 4, 4, 4, 4, 4, 4, 4, 4),  # R29
}
#: Per unsur of the source (its order), how many answered 4, 3 and 2 (nobody answered 1).
GASPUL_COUNTS = (
    (18, 11, 0),
    (14, 15, 0),
    (15, 12, 2),
    (29, 0, 0),
    (15, 14, 0),
    (18, 11, 0),
    (19, 10, 0),
    (18, 11, 0),
    (28, 1, 0),
)
GASPUL_SUMS = (105, 101, 100, 116, 102, 105, 106, 105, 115)  # as published, source order


def gaspul_rows() -> list[tuple[int, ...]]:
    """29 rows in the source's column order: the printed ones, the rest from the per-unsur counts."""
    columns = []
    for j, (fours, threes, twos) in enumerate(GASPUL_COUNTS):
        left = {4: fours, 3: threes, 2: twos}
        for row in GASPUL_PRINTED.values():
            left[row[j]] -= 1
        pool = iter([4] * left[4] + [3] * left[3] + [2] * left[2])
        columns.append([GASPUL_PRINTED[i][j] if i in GASPUL_PRINTED else next(pool) for i in range(29)])
    return [tuple(column[i] for column in columns) for i in range(29)]


def ours(row: tuple[int, ...]) -> dict[str, int]:
    """A source row as our U1..U9: its U8 (Sarana) is our U9, its U9 (Pengaduan) our U8."""
    answers = dict(zip(UNSUR, row, strict=True))
    answers["U8"], answers["U9"] = row[8], row[7]
    return answers


ROWS = gaspul_rows()
#: What every channel must give for these 29 respondents (our unsur order).
NRR = {
    "U1": 3.621,
    "U2": 3.483,
    "U3": 3.448,
    "U4": 4.0,
    "U5": 3.517,
    "U6": 3.621,
    "U7": 3.655,
    "U8": 3.966,
    "U9": 3.621,
}
SUMS = {"U1": 105, "U2": 101, "U3": 100, "U4": 116, "U5": 102, "U6": 105, "U7": 106, "U8": 115, "U9": 105}


def test_the_reconstructed_rows_are_the_published_data():
    assert len(ROWS) == 29 and all(set(row) <= {2, 3, 4} for row in ROWS)
    assert tuple(sum(row[j] for row in ROWS) for j in range(9)) == GASPUL_SUMS
    assert sum(GASPUL_SUMS) == 955
    for j, (fours, threes, twos) in enumerate(GASPUL_COUNTS):
        column = [row[j] for row in ROWS]
        assert (column.count(4), column.count(3), column.count(2)) == (fours, threes, twos)
    assert all(ROWS[i] == row for i, row in GASPUL_PRINTED.items())


def hasil(client, layanan: str | None = None) -> dict:
    today = today_jakarta()
    params = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    if layanan:
        params["layanan"] = layanan
    response = client.get("/api/v1/skm/hasil", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def file_through_api(client, layanan: str) -> None:
    for number, row in enumerate(ROWS):
        body = {
            "layanan": layanan,
            "gender": "lp"[number % 2],
            "age": 20 + number,
            "education": "sma",
            "occupation": "swasta",
            "answers": ours(row),
        }
        response = client.post("/api/v1/skm", json=body)
        assert response.status_code == 201, response.get_data(as_text=True)


def file_through_kiosk(kiosk, layanan: str) -> None:
    profile = {"gender": "l", "age": "45", "education": "s1", "occupation": "wirausaha", "vulnerable_group": ""}
    for row in ROWS:
        steps = [("/kiosk/skm", {"layanan": layanan, "permit_number": ""}), ("/kiosk/skm/profil", profile)]
        steps += [(f"/kiosk/skm/{code.lower()}", {code: str(answer)}) for code, answer in ours(row).items()]
        steps += [("/kiosk/skm/saran", {"suggestion": ""})]
        for address, data in steps:
            response = kiosk.post(address, data=data)
            assert response.status_code == 303, (address, response.get_data(as_text=True)[:500])
        assert response.headers["Location"].endswith("/kiosk/skm/terima-kasih")
        assert kiosk.get("/kiosk/skm/terima-kasih").status_code == 200  # the thank-you page clears the survey


def paper_file(day: date) -> bytes:
    """The 29 forms typed into a sheet with the source's own headers: U8 Sarana before U9 Pengaduan."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "No",
            "Tanggal",
            "Layanan",
            "Jenis kelamin",
            "Umur",
            "Pendidikan",
            "Pekerjaan",
            "U1 Persyaratan",
            "U2 Prosedur",
            "U3 Waktu Penyelesaian",
            "U4 Biaya/Tarif",
            "U5 Produk Spesifikasi Jenis Pelayanan",
            "U6 Kompetensi Pelaksana",
            "U7 Perilaku Pelaksana",
            "U8 Sarana dan Prasarana",
            "U9 Penanganan Pengaduan, Saran dan Masukan",
        ]
    )
    for number, row in enumerate(ROWS, start=1):
        sheet.append([number, day, "kkpr", "Perempuan", 50, "SMA/SMK", "Wirausaha", *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def filed(app, seeded, client, login_as):
    """GASPUL's 29 respondents three times: through the API (pbg), the kiosk (slf) and a paper file (kkpr)."""
    file_through_api(client, "pbg")
    file_through_kiosk(kiosk_client(app, new_device(app)[1]), "slf")
    login_as(Role.SKM)
    upload = client.post(
        "/internal/skm/impor",
        data={"file": (io.BytesIO(paper_file(today_jakarta())), "gaspul.xlsx")},
        content_type="multipart/form-data",
    )
    assert upload.status_code in (302, 303), upload.get_data(as_text=True)[:2000]
    client.post("/auth/logout")
    return app


def test_every_channel_and_every_output_gives_the_exact_ikm_of_the_published_data(filed, client):
    """One filing (it costs 29 kiosk walks), every output read back: the API, the public page, the export, then the
    legacy option."""
    for layanan in ("pbg", "slf", "kkpr", None):  # API, kiosk, paper, and all of them pooled
        body = hasil(client, layanan)
        assert body["respondents"] == (87 if layanan is None else 29)
        assert (body["ikm"], body["mutu"], body["kinerja"]) == (91.48, "A", "sangat_baik"), layanan
        assert body["ikm"] != 90.56  # the source's headline figure (NRR × 0.11, rounded first)
        assert body["nrr"] == NRR, layanan
        if layanan:
            assert body["sums"] == SUMS

    # The public page: the bar chart and its table carry the same numbers.
    html = client.get("/skm/hasil").get_data(as_text=True)
    page = Page(html)
    expected = [f"{NRR[code]:.3f}".replace(".", ",") for code in UNSUR]
    assert page.cells["nrr-table"] == [*expected, "91,48"]
    assert page.svg_values["nrr-chart"] == expected
    assert "91,48" in page.cells["trend-table"] and ">A<" in html

    # The skm-triwulan export: the same figures, as numbers.
    with filed.app_context():
        export = build_report("skm-triwulan", period_of(QUARTER, today_jakarta()))
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    recap = [row for row in workbook["Rekap IKM"].iter_rows(values_only=True) if row and row[0]]
    header = next(row for row in recap if row[0] == "Cakupan")
    scopes = [row for row in recap[recap.index(header) + 1 :] if isinstance(row[1], int)]
    assert [row[1] for row in scopes] == [87, 29, 29, 29]  # all, then each layanan
    for row in scopes:
        values = dict(zip(header, row, strict=False))
        assert values["IKM"] == 91.48 and values["Mutu"] == "A" and values["Kinerja"] == "Sangat Baik"
        assert [round(values[f"NRR {code}"], 3) for code in UNSUR] == [NRR[code] for code in UNSUR]
    data = {row[0]: row for row in workbook["Data responden"].iter_rows(values_only=True) if row and row[0]}
    assert [value for value in data["Jumlah nilai per unsur"][1:] if value is not None] == [
        3 * SUMS[code] for code in UNSUR
    ]
    assert [value for value in data["IKM (jumlah NRR tertimbang × 25)"][1:] if value is not None] == [91.48]

    # The legacy 0.111 weighting, as an explicit office setting: 955 / 29 × 0.111 × 25 = 91.3836… → 91.38.
    with filed.app_context():
        set_legacy_weighting(make_user(role=Role.SKM), True)
        db.session.commit()
    body = hasil(client, "pbg")
    assert (body["ikm"], body["mutu"], body["legacy"]) == (91.38, "A", True)


def test_tubaba_one_respondent_all_fours(seeded, client):
    response = client.post(
        "/api/v1/skm",
        json={
            "layanan": "pbg",
            "gender": "p",
            "age": 30,
            "education": "s1",
            "occupation": "pns",
            "answers": dict.fromkeys(UNSUR, 4),
        },
    )
    assert response.status_code == 201
    body = hasil(client)
    assert (body["respondents"], body["ikm"], body["mutu"]) == (1, 100.0, "A")  # published: "100"
    assert body["nrr"] == dict.fromkeys(UNSUR, 4.0)
    with seeded.app_context():
        set_legacy_weighting(make_user(role=Role.SKM), True)
        db.session.commit()
    assert hasil(client)["ikm"] == 99.9  # its stated formula (× 0.111); the page's own 0.44s would give 99.00
