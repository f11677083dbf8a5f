"""The words of the SKM: the nine unsur with their questions and their own answer labels, the profile's
option lists, the channels and the kinerja grades. One table per purpose, for pages, kiosk, reports and the
API alike (lazy_gettext with Indonesian source; render with zi_public.labels.label()).

The question and answer words follow the questionnaire of PermenPANRB 14/2017 (Lampiran).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zi_public.rules.skm import Channel

#: Each unsur's short name (the column heading of every form and report; the paper import matches it).
UNSUR_NAMES = {
    "U1": _l("Persyaratan"),
    "U2": _l("Sistem, Mekanisme, dan Prosedur"),
    "U3": _l("Waktu Penyelesaian"),
    "U4": _l("Biaya/Tarif"),
    "U5": _l("Produk Spesifikasi Jenis Pelayanan"),
    "U6": _l("Kompetensi Pelaksana"),
    "U7": _l("Perilaku Pelaksana"),
    "U8": _l("Penanganan Pengaduan, Saran dan Masukan"),
    "U9": _l("Sarana dan Prasarana"),
}
#: The Indonesian names, untranslated: what the paper import matches column headings against.
UNSUR_NAMES_ID = {
    "U1": "Persyaratan",
    "U2": "Sistem, Mekanisme, dan Prosedur",
    "U3": "Waktu Penyelesaian",
    "U4": "Biaya/Tarif",
    "U5": "Produk Spesifikasi Jenis Pelayanan",
    "U6": "Kompetensi Pelaksana",
    "U7": "Perilaku Pelaksana",
    "U8": "Penanganan Pengaduan, Saran dan Masukan",
    "U9": "Sarana dan Prasarana",
}
UNSUR_QUESTIONS = {
    "U1": _l("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
    "U2": _l("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
    "U3": _l("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
    "U4": _l("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
    "U5": _l(
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
        "pelayanan dengan hasil yang diberikan?"
    ),
    "U6": _l("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
    "U7": _l("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
    "U8": _l("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
    "U9": _l("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
}
#: Each unsur's own words for the answers 1, 2, 3, 4 (index 0 is answer 1).
ANSWER_LABELS = {
    "U1": (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai")),
    "U2": (_l("Tidak mudah"), _l("Kurang mudah"), _l("Mudah"), _l("Sangat mudah")),
    "U3": (_l("Tidak cepat"), _l("Kurang cepat"), _l("Cepat"), _l("Sangat cepat")),
    "U4": (_l("Sangat mahal"), _l("Cukup mahal"), _l("Murah"), _l("Gratis")),
    "U5": (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai")),
    "U6": (_l("Tidak kompeten"), _l("Kurang kompeten"), _l("Kompeten"), _l("Sangat kompeten")),
    "U7": (
        _l("Tidak sopan dan ramah"),
        _l("Kurang sopan dan ramah"),
        _l("Sopan dan ramah"),
        _l("Sangat sopan dan ramah"),
    ),
    "U8": (
        _l("Tidak ada"),
        _l("Ada tetapi tidak berfungsi"),
        _l("Berfungsi kurang maksimal"),
        _l("Dikelola dengan baik"),
    ),
    "U9": (_l("Buruk"), _l("Cukup"), _l("Baik"), _l("Sangat baik")),
}
GENDER_LABELS = {"l": _l("Laki-laki"), "p": _l("Perempuan")}
EDUCATION_LABELS = {
    "tidak-sekolah": _l("Tidak sekolah"),
    "sd": _l("SD"),
    "smp": _l("SMP"),
    "sma": _l("SMA/SMK"),
    "diploma": _l("D1/D2/D3"),
    "s1": _l("D4/S1"),
    "s2": _l("S2"),
    "s3": _l("S3"),
}
OCCUPATION_LABELS = {
    "pns": _l("PNS/ASN"),
    "tni": _l("TNI"),
    "polri": _l("POLRI"),
    "swasta": _l("Pegawai swasta"),
    "wirausaha": _l("Wirausaha"),
    "pelajar": _l("Pelajar/Mahasiswa"),
    "lainnya": _l("Lainnya"),
}
VULNERABLE_LABELS = {
    "disabilitas": _l("Penyandang disabilitas"),
    "lansia": _l("Lanjut usia"),
    "ibu-hamil-menyusui": _l("Ibu hamil/menyusui"),
    "anak": _l("Anak"),
}
CHANNEL_LABELS = {
    Channel.WEB: _l("Web"),
    Channel.KIOSK: _l("Kios"),
    Channel.PAPER: _l("Formulir kertas"),
    Channel.API: _l("API"),
}
KINERJA_LABELS = {
    "sangat_baik": _l("Sangat Baik"),
    "baik": _l("Baik"),
    "kurang_baik": _l("Kurang Baik"),
    "tidak_baik": _l("Tidak Baik"),
}
#: The legacy weighting, as every page and report that uses it must say.
LEGACY_WEIGHT_LABEL = _l("Bobot lama 0,111 per unsur (nilai maksimum 99,90)")
EXACT_WEIGHT_LABEL = _l("Bobot 1/9 per unsur (PermenPANRB 14/2017)")
