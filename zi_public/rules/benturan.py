"""Benturan kepentingan (PermenPANRB 37/2012, pedoman umum penanganan benturan kepentingan): the kinds of
conflict, declarations and their flow, the superior's decisions, the mapping's risk levels, and the months
of the quarterly evaluation.

A declaration is either about a specific matter ("the applicant for permit X is my cousin") or the yearly
declaration that the employee has no conflict. Flow of a specific declaration: diterima -> diputuskan (the
superior's decision recorded by the UPG, with its date) -> dilaksanakan (the decision carried out, with its
date). A yearly declaration of none is recorded (dicatat) and needs no decision.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

import enum

#: The mapping of potential conflicts is made each January (and may be reviewed any time).
MAPPING_MONTH = 1
#: The months whose end closes a quarter's evaluation (April, July, October, December in the work plan:
#: the evaluation of Q1 is made in April, ..., of Q4 in December).
EVALUATION_MONTHS = (4, 7, 10, 12)


class ConflictType(enum.StrEnum):
    """Sources of a conflict of interest (PermenPANRB 37/2012)."""

    KELUARGA = "keluarga"  # family ties with an applicant or party
    BISNIS = "bisnis"  # business interests
    PEKERJAAN_SAMPINGAN = "pekerjaan_sampingan"  # side jobs
    GRATIFIKASI = "gratifikasi"  # gifts
    RANGKAP_JABATAN = "rangkap_jabatan"  # holding another position
    HUBUNGAN_AFILIASI = "hubungan_afiliasi"  # affiliation (party, association, former employer)
    KEWENANGAN = "kewenangan"  # discretion / authority used for oneself
    LAINNYA = "lainnya"


class Risk(enum.StrEnum):
    RENDAH = "rendah"
    SEDANG = "sedang"
    TINGGI = "tinggi"


class DeclarationKind(enum.StrEnum):
    KHUSUS = "khusus"  # a specific matter
    TAHUNAN_NIHIL = "tahunan_nihil"  # the yearly declaration of no conflict


class DeclarationStatus(enum.StrEnum):
    DITERIMA = "diterima"
    DIPUTUSKAN = "diputuskan"
    DILAKSANAKAN = "dilaksanakan"
    DICATAT = "dicatat"  # a yearly declaration of none, recorded


class Decision(enum.StrEnum):
    """The superior's decision on a declared conflict."""

    TUGAS_DIALIHKAN = "tugas_dialihkan"  # the task reassigned to another official
    LANJUT_DIAWASI = "lanjut_diawasi"  # continue under the superior's supervision
    MUNDUR_DARI_KEPUTUSAN = "mundur_dari_keputusan"  # the official steps back from the decision
    TIDAK_ADA_BENTURAN = "tidak_ada_benturan"  # examined: no conflict
    LAINNYA = "lainnya"


#: Decisions that leave something to carry out (the others are complete when decided).
NEEDS_CARRYING_OUT = frozenset({Decision.TUGAS_DIALIHKAN, Decision.LANJUT_DIAWASI, Decision.MUNDUR_DARI_KEPUTUSAN})


def initial_status(kind: DeclarationKind) -> DeclarationStatus:
    return DeclarationStatus.DICATAT if kind == DeclarationKind.TAHUNAN_NIHIL else DeclarationStatus.DITERIMA


def can_decide(kind: DeclarationKind, status: DeclarationStatus) -> bool:
    return kind == DeclarationKind.KHUSUS and status == DeclarationStatus.DITERIMA


def can_carry_out(status: DeclarationStatus, decision: Decision | None) -> bool:
    return status == DeclarationStatus.DIPUTUSKAN and decision in NEEDS_CARRYING_OUT
