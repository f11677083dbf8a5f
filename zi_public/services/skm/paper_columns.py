"""The columns of a paper-form file and the words in its cells: which header is which field, and which code a
cell's text stands for. The template (paper_template.py) writes the headers; the import (paper.py) reads them.

A column is found by its header, never by its position. An unsur is found by its NAME: office forms differ in
the order of U8 and U9, so a header whose number and name disagree ("U8 Sarana dan Prasarana") is read by its
name (as U9), and a header with a number only ("U8") is refused. Headers are compared normalised
(tables.heading_key): case, spaces, punctuation, hints in brackets ("Usia (tahun)") and the word "dan" do not
matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from zi_public.labels import label
from zi_public.models import Layanan
from zi_public.rules import skm as rules
from zi_public.rules.skm import UNSUR
from zi_public.services.reference import AmbiguousName, CodeOrName
from zi_public.services.skm.labels import (
    EDUCATION_LABELS,
    GENDER_LABELS,
    OCCUPATION_LABELS,
    UNSUR_NAMES_ID,
    VULNERABLE_LABELS,
)
from zi_public.services.tables import cell_text, heading_key, value_key

#: Every field a row can carry, in the template's column order.
PROFILE_FIELDS = ("submitted_on", "layanan", "permit_number", "gender", "age", "education", "occupation")
FIELDS = (*PROFILE_FIELDS, "vulnerable_group", *UNSUR, "suggestion")
OPTIONAL_FIELDS = frozenset({"permit_number", "vulnerable_group", "suggestion"})
REQUIRED_FIELDS = tuple(field for field in FIELDS if field not in OPTIONAL_FIELDS)

#: The template's headers (Indonesian, like the paper forms), with a hint in brackets where one helps.
TEMPLATE_HEADERS: dict[str, str] = {
    "submitted_on": "Tanggal (dd/mm/yyyy)",
    "layanan": "Layanan",
    "permit_number": "Nomor izin (boleh kosong)",
    "gender": "Jenis kelamin",
    "age": "Usia (tahun)",
    "education": "Pendidikan",
    "occupation": "Pekerjaan",
    "vulnerable_group": "Kelompok rentan (boleh kosong)",
    **{code: f"{code} {UNSUR_NAMES_ID[code]}" for code in UNSUR},
    "suggestion": "Saran",
}
#: What a field is called in a message (an unsur: "U8 Penanganan Pengaduan, Saran dan Masukan").
FIELD_NAMES: dict[str, str] = {
    "submitted_on": "Tanggal",
    "layanan": "Layanan",
    "permit_number": "Nomor izin",
    "gender": "Jenis kelamin",
    "age": "Usia",
    "education": "Pendidikan",
    "occupation": "Pekerjaan",
    "vulnerable_group": "Kelompok rentan",
    **{code: f"{code} {UNSUR_NAMES_ID[code]}" for code in UNSUR},
    "suggestion": "Saran",
}

# Other names the office's own forms use. Written as people write them; compared through tables.heading_key().
_PROFILE_ALIASES: dict[str, tuple[str, ...]] = {
    "submitted_on": (
        "Tanggal",
        "Tgl",
        "Tanggal pengisian",
        "Tanggal isi",
        "Tanggal survei",
        "Tanggal survey",
        "Tanggal formulir",
        "Tanggal pelayanan",
        "Tanggal layanan",
    ),
    "layanan": (
        "Layanan",
        "Jenis layanan",
        "Nama layanan",
        "Kode layanan",
        "Jenis pelayanan",
        "Layanan yang diterima",
        "Jenis izin",
    ),
    "permit_number": (
        "Nomor izin",
        "No izin",
        "Nomor izin/registrasi",
        "Nomor registrasi",
        "No registrasi",
        "Nomor pendaftaran",
        "No pendaftaran",
        "Nomor permohonan",
        "No permohonan",
    ),
    "gender": ("Jenis kelamin", "Kelamin", "JK", "L/P", "Gender"),
    "age": ("Usia", "Umur"),
    "education": ("Pendidikan", "Pendidikan terakhir", "Tingkat pendidikan"),
    "occupation": ("Pekerjaan", "Pekerjaan utama", "Profesi"),
    "vulnerable_group": ("Kelompok rentan", "Rentan", "Kelompok khusus"),
    "suggestion": ("Saran", "Saran dan masukan", "Masukan", "Kritik dan saran", "Saran perbaikan"),
}
_UNSUR_ALIASES: dict[str, tuple[str, ...]] = {
    "U1": ("Persyaratan pelayanan", "Kesesuaian persyaratan"),
    "U2": ("Prosedur", "Prosedur pelayanan", "Kemudahan prosedur", "Sistem, mekanisme dan prosedur pelayanan"),
    "U3": ("Waktu", "Waktu pelayanan", "Kecepatan waktu", "Kecepatan pelayanan", "Jangka waktu"),
    "U4": ("Biaya", "Tarif", "Biaya/tarif pelayanan", "Kewajaran biaya"),
    "U5": ("Produk", "Produk pelayanan", "Produk layanan", "Produk spesifikasi jenis layanan", "Kesesuaian produk"),
    "U6": ("Kompetensi", "Kompetensi petugas", "Kompetensi pelaksana pelayanan"),
    "U7": ("Perilaku", "Perilaku petugas", "Kesopanan dan keramahan"),
    "U8": ("Pengaduan", "Penanganan pengaduan", "Penanganan pengaduan pengguna layanan"),
    "U9": ("Sarana", "Sarana prasarana", "Kualitas sarana dan prasarana"),
}
# Common words for an option, besides its code and labels (compared through tables.value_key()).
_OPTION_ALIASES: dict[str, dict[str, str]] = {
    "gender": {"Pria": "l", "Wanita": "p", "LK": "l", "Laki": "l"},
    "education": {"SLTP": "smp", "SLTA": "sma", "Sarjana": "s1", "Magister": "s2", "Doktor": "s3"},
    "occupation": {
        "Wiraswasta": "wirausaha",
        "Karyawan swasta": "swasta",
        "Swasta": "swasta",
        "Pegawai negeri": "pns",
    },
    "vulnerable_group": {"Difabel": "disabilitas", "Lansia": "lansia", "Ibu hamil": "ibu-hamil-menyusui"},
}
_OPTION_CODES: dict[str, tuple[tuple[str, ...], Mapping[str, object]]] = {
    "gender": (rules.GENDERS, GENDER_LABELS),
    "education": (rules.EDUCATIONS, EDUCATION_LABELS),
    "occupation": (rules.OCCUPATIONS, OCCUPATION_LABELS),
    "vulnerable_group": (rules.VULNERABLE_GROUPS, VULNERABLE_LABELS),
}
OPTION_FIELDS = tuple(_OPTION_CODES)

# "U8 …", "U 8 …", "U-8. …", "Unsur 8 …", "8. …": the number in front of an unsur's name.
_NUMBERED = re.compile(r"^(unsur ?|u ?)?([1-9])(?: (.*))?$")


def _keys(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {heading_key(alias): field for field, aliases in table.items() for alias in aliases}


_UNSUR_BY_NAME = _keys({code: (UNSUR_NAMES_ID[code], *_UNSUR_ALIASES[code]) for code in UNSUR})
_PROFILE_BY_NAME = _keys(_PROFILE_ALIASES)


@dataclass(frozen=True)
class Column:
    """One column of the file the import reads: its position, its header as written, and its field."""

    index: int
    header: str
    field: str
    #: The unsur number the header states when its name says another one ("U8 Sarana dan Prasarana").
    stated: str | None = None


@dataclass(frozen=True)
class Columns:
    """The header row read: the columns used by field, and the headers left alone."""

    by_field: dict[str, Column]
    ignored: tuple[str, ...]

    @property
    def renumbered(self) -> list[Column]:
        return [column for column in self.by_field.values() if column.stated]


class HeaderProblems(ValueError):
    """The header row cannot be used; `problems`: one message per thing to fix."""

    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__(*problems)
        self.problems = list(problems)


def field_of(header: str) -> tuple[str | None, str | None]:
    """(field, stated unsur number) of a header; field None when the header names nothing we read.

    A header with an unsur number and no name gives (None, "U8"): the caller refuses it.
    """
    key = heading_key(header)
    numbered = _NUMBERED.match(key)
    stated = f"U{numbered.group(2)}" if numbered else None
    name = (numbered.group(3) or "") if numbered else key
    if name in _UNSUR_BY_NAME:
        code = _UNSUR_BY_NAME[name]
        return code, stated if stated != code else None
    for candidate in (key, name):
        if candidate in _PROFILE_BY_NAME:
            return _PROFILE_BY_NAME[candidate], None
    if numbered and not name and numbered.group(1):
        return None, stated
    return None, None


def recognised(cells: Sequence[object]) -> int:
    """How many cells of a row are headers we read (to find the header row under a title)."""
    return sum(1 for cell in cells if isinstance(cell, str) and field_of(cell)[0] is not None)


def map_columns(cells: Sequence[object]) -> Columns:
    """The header row's columns by field; HeaderProblems naming every missing, doubled or number-only column."""
    by_field: dict[str, Column] = {}
    doubled: dict[str, list[str]] = {}
    ignored: list[str] = []
    problems: list[object] = []
    for index, cell in enumerate(cells):
        header = cell_text(cell)
        if not header:
            continue
        field, stated = field_of(header)
        if field is None:
            if stated is not None:
                problems.append(
                    _l(
                        "Judul kolom “%(header)s” hanya berisi nomor unsur. Tulis juga namanya, misalnya "
                        "“%(example)s”: kolom unsur dibaca menurut namanya, karena urutan U8 dan U9 berbeda "
                        "antarformulir.",
                        header=header,
                        example=FIELD_NAMES[stated],
                    )
                )
            else:
                ignored.append(header)
            continue
        if field in by_field:
            doubled.setdefault(field, [by_field[field].header]).append(header)
            continue
        by_field[field] = Column(index=index, header=header, field=field, stated=stated)
    for field, headers in doubled.items():
        names = ", ".join(f"“{header}”" for header in headers)
        problems.append(
            _l(
                "Kolom %(headers)s sama-sama berisi %(field)s; hapus salah satunya.",
                headers=names,
                field=FIELD_NAMES[field],
            )
        )
    missing_unsur = [FIELD_NAMES[code] for code in UNSUR if code not in by_field]
    if missing_unsur:
        problems.append(
            _l(
                "Kolom unsur tidak ditemukan: %(names)s. Judul kolom unsur harus menyebut nama unsurnya.",
                names="; ".join(missing_unsur),
            )
        )
    missing = [FIELD_NAMES[field] for field in REQUIRED_FIELDS if field not in UNSUR and field not in by_field]
    if missing:
        problems.append(_l("Kolom wajib tidak ditemukan: %(names)s.", names="; ".join(missing)))
    if problems:
        raise HeaderProblems(problems)
    return Columns(by_field=by_field, ignored=tuple(ignored))


class Lookups:
    """What the cells' words stand for: options by code or label (Indonesian or English), layanan by code or
    name (reference.CodeOrName). Built once per import (the labels need the app's translations, the layanan the
    catalogue)."""

    #: A name shared by two layanan: the cell must give the code.
    AMBIGUOUS = "\0ambiguous"

    def __init__(self, layanan: CodeOrName[Layanan]) -> None:
        self.options = {field: _option_table(field) for field in OPTION_FIELDS}
        # Its rows are held for the whole import: filing.check finds each layanan in the session instead of
        # attaching a copy.
        self.layanan = layanan

    def option(self, field: str, value: object) -> object:
        """The code a cell stands for, or the cell itself when it names none (the check refuses it)."""
        text = cell_text(value)
        return self.options[field].get(value_key(text), text) if text else None

    def layanan_code(self, value: object) -> str | None:
        """The layanan code a cell stands for; None when empty; AMBIGUOUS; else the cell's text unchanged."""
        text = cell_text(value)
        if not text:
            return None
        try:
            row = self.layanan.find(text)
        except AmbiguousName:
            return self.AMBIGUOUS
        return row.code if row is not None else text


def _option_table(field: str) -> dict[str, str]:
    codes, labels = _OPTION_CODES[field]
    table: dict[str, str] = {}
    for code in codes:
        table[value_key(code)] = code
    for code in codes:
        indonesian = label(labels, code, "id") or ""
        table.setdefault(value_key(indonesian), code)
        for part in indonesian.split("/"):  # "SMA/SMK", "PNS/ASN", "Pelajar/Mahasiswa": each part alone
            if len(value_key(part)) >= 2:
                table.setdefault(value_key(part), code)
        table.setdefault(value_key(label(labels, code, "en") or ""), code)
    for alias, code in _OPTION_ALIASES.get(field, {}).items():
        table.setdefault(value_key(alias), code)
    table.pop("", None)
    return table
