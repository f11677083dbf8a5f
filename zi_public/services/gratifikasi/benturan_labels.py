"""The words for benturan kepentingan's enums (rules/benturan.py): one table per enum and purpose, for
pages, reports and the API alike.

All are lazy_gettext strings with Indonesian source: render them with zi_public.labels.label() (in the
current language for a page, in the language asked for in a report).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zi_public.rules.benturan import ConflictType, Decision, DeclarationKind, DeclarationStatus, Risk

CONFLICT_TYPE_LABELS = {
    ConflictType.KELUARGA: _l("Hubungan keluarga"),
    ConflictType.BISNIS: _l("Kepentingan bisnis"),
    ConflictType.PEKERJAAN_SAMPINGAN: _l("Pekerjaan sampingan"),
    ConflictType.GRATIFIKASI: _l("Gratifikasi / hadiah"),
    ConflictType.RANGKAP_JABATAN: _l("Rangkap jabatan"),
    ConflictType.HUBUNGAN_AFILIASI: _l("Hubungan afiliasi"),
    ConflictType.KEWENANGAN: _l("Penyalahgunaan kewenangan"),
    ConflictType.LAINNYA: _l("Lainnya"),
}
RISK_LABELS = {Risk.RENDAH: _l("Rendah"), Risk.SEDANG: _l("Sedang"), Risk.TINGGI: _l("Tinggi")}
#: The badge colour (a CSS class suffix) of each risk level on the team's pages.
RISK_BADGES = {Risk.RENDAH: "low", Risk.SEDANG: "medium", Risk.TINGGI: "high"}
DECLARATION_KIND_LABELS = {
    DeclarationKind.KHUSUS: _l("Pernyataan benturan kepentingan"),
    DeclarationKind.TAHUNAN_NIHIL: _l("Pernyataan tahunan tidak ada benturan kepentingan"),
}
DECLARATION_STATUS_LABELS = {
    DeclarationStatus.DITERIMA: _l("Diterima"),
    DeclarationStatus.DIPUTUSKAN: _l("Diputuskan"),
    DeclarationStatus.DILAKSANAKAN: _l("Dilaksanakan"),
    DeclarationStatus.DICATAT: _l("Dicatat"),
}
DECISION_LABELS = {
    Decision.TUGAS_DIALIHKAN: _l("Tugas dialihkan kepada pejabat lain"),
    Decision.LANJUT_DIAWASI: _l("Dilanjutkan di bawah pengawasan atasan"),
    Decision.MUNDUR_DARI_KEPUTUSAN: _l("Pejabat mundur dari pengambilan keputusan"),
    Decision.TIDAK_ADA_BENTURAN: _l("Diperiksa: tidak ada benturan kepentingan"),
    Decision.LAINNYA: _l("Lainnya"),
}
#: The mapping's change log (ConflictMappingChange.change).
MAPPING_CHANGE_LABELS = {"added": _l("Ditambahkan"), "changed": _l("Diubah"), "retired": _l("Dihentikan")}
#: The mapping's fields, as the change log names them.
MAPPING_FIELD_LABELS = {
    "task": _l("Tugas / proses"),
    "layanan": _l("Layanan"),
    "bidang": _l("Bidang"),
    "conflict_type": _l("Jenis benturan"),
    "description": _l("Potensi benturan kepentingan"),
    "risk": _l("Risiko"),
    "control": _l("Pengendalian"),
}
