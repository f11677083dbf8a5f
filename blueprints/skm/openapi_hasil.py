"""The OpenAPI paths of the SKM results: GET /skm/hasil.

The parameters' ranges come from the code that enforces them (rules/periods.py's years, the catalogue's
codes as they are now, retired layanan included); the answer's number format is blueprints/skm/api_hasil.py's.
tests/blueprints/api/test_schemathesis.py holds the server to it.
"""

from __future__ import annotations

from blueprints.api.schema import ISO_DATE, Fragment, Schema, error_responses, json_response
from blueprints.skm.api_hasil import IKM_PLACES, LAYANAN_MAX, NRR_PLACES
from zi_public.models import Layanan
from zi_public.rules.ikm import BANDS
from zi_public.rules.periods import MAX_YEAR, MIN_YEAR
from zi_public.rules.skm import MIN_PUBLISHED_RESPONDENTS, UNSUR
from zi_public.services import reference


def _nullable(schema: Schema, description: str) -> Schema:
    return {**schema, "nullable": True, "description": description}


NRR: Schema = {
    "type": "object",
    "required": list(UNSUR),
    "additionalProperties": False,
    "properties": {code: {"type": "number", "minimum": 1, "maximum": 4} for code in UNSUR},
}
SUMS: Schema = {
    "type": "object",
    "required": list(UNSUR),
    "additionalProperties": False,
    "description": "Jumlah jawaban (1-4) tiap unsur: data persis di balik NRR (NRR = jumlah / responden).",
    "properties": {code: {"type": "integer", "minimum": 0} for code in UNSUR},
}
HASIL: Schema = {
    "type": "object",
    "required": [
        "period",
        "as_of",
        "layanan",
        "respondents",
        "sums",
        "withheld",
        "nrr",
        "ikm",
        "mutu",
        "kinerja",
        "kinerja_label",
        "legacy",
        "weighting",
        "population",
        "minimum_sample",
        "sample_sufficient",
    ],
    "properties": {
        "period": {
            "type": "object",
            "required": ["code", "kind", "start", "end"],
            "properties": {
                "code": {"type": "string", "example": "2026-Q1", "description": "2026-Q1 (triwulan) atau 2026"},
                "kind": {"type": "string", "enum": ["quarter", "year"]},
                "start": ISO_DATE,
                "end": ISO_DATE,
            },
        },
        "as_of": {**ISO_DATE, "description": "Keadaan per tanggal ini: akhir periode, atau hari ini bila lebih awal"},
        "layanan": _nullable({"type": "string"}, "Kode layanan; null untuk seluruh layanan"),
        "respondents": {"type": "integer", "minimum": 0},
        "sums": _nullable(SUMS, "Jumlah jawaban tiap unsur; null bila ditahan (withheld)"),
        "withheld": {
            "type": "boolean",
            "description": f"true: layanan ini dijawab kurang dari {MIN_PUBLISHED_RESPONDENTS} responden (atau "
            "digabung agar tidak ada angka yang bertumpu pada kurang dari itu); nilainya tidak diumumkan",
        },
        "nrr": _nullable(
            NRR,
            f"Nilai rata-rata tiap unsur, dibulatkan setengah ke atas ke {NRR_PLACES} desimal; null tanpa responden",
        ),
        "ikm": _nullable(
            {"type": "number", "minimum": 24.98, "maximum": 100},
            f"IKM = rata-rata NRR persis × 25, dibulatkan setengah ke atas ke {IKM_PLACES} desimal hanya di akhir "
            "(dengan bobot lama 0,111: paling tinggi 99,9)",
        ),
        "mutu": _nullable({"type": "string", "enum": [mutu for _low, mutu, _k in BANDS]}, "Dari IKM yang dibulatkan"),
        "kinerja": _nullable({"type": "string", "enum": [kinerja for _low, _m, kinerja in BANDS]}, "Kode kinerja"),
        "kinerja_label": _nullable({"type": "string"}, "Kinerja dalam kata-kata, mis. Sangat Baik"),
        "legacy": {"type": "boolean", "description": "true: setiap NRR dibobot 0,111 (bobot lama), bukan 1/9"},
        "weighting": {"type": "string", "description": "Bobot yang dipakai, dalam kata-kata"},
        "population": _nullable(
            {"type": "integer", "minimum": 0}, "Jumlah layanan yang diberikan pada periode; null bila belum diisi"
        ),
        "minimum_sample": _nullable(
            {"type": "integer", "minimum": 0}, "Sampel minimum Krejcie–Morgan untuk populasi itu, dibulatkan ke atas"
        ),
        "sample_sufficient": _nullable({"type": "boolean"}, "Responden ≥ sampel minimum; null tanpa populasi"),
    },
}


def _parameters() -> list[Schema]:
    layanan = [item.code for item in reference.every_row(Layanan)]
    return [
        {
            "name": "year",
            "in": "query",
            "required": True,
            "description": "Tahun, empat angka",
            "schema": {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR, "example": 2026},
        },
        {
            "name": "quarter",
            "in": "query",
            "required": False,
            "description": "Triwulan 1-4; tanpa triwulan: seluruh tahun (semua responden tahun itu digabung)",
            "schema": {"type": "integer", "minimum": 1, "maximum": 4},
        },
        {
            "name": "layanan",
            "in": "query",
            "required": False,
            "description": "Kode layanan (GET /layanan); tanpa kode: seluruh layanan",
            "schema": {"type": "string", "maxLength": LAYANAN_MAX, **({"enum": layanan} if layanan else {"not": {}})},
        },
    ]


def fragment() -> Fragment:
    """Paths relative to the service's prefix (/skm) and the schemas they name."""
    hasil = {
        "get": {
            "summary": "Hasil Survei Kepuasan Masyarakat",
            "description": "NRR, IKM, mutu dan kinerja satu triwulan atau satu tahun, keseluruhan atau satu "
            "layanan, dengan populasi dan kecukupan sampel. Angka berupa angka JSON: NRR 3 desimal, IKM 2 desimal "
            "(dibulatkan setengah ke atas); `sums` memuat data persisnya. Setiap parameter paling banyak sekali; "
            "parameter yang tidak dikenal ditolak (400).",
            "parameters": _parameters(),
            "responses": {"200": json_response("SkmHasil", "OK"), **error_responses(400, 429)},
        }
    }
    return Fragment(paths={"/hasil": hasil}, schemas={"SkmHasil": HASIL})
