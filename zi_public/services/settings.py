"""Run-time settings an admin changes in the internal area."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import current_app

from zi_public.extensions import db
from zi_public.models import Setting, User
from zi_public.services import audit

#: The officers who sign reports, by key, with the position each holds by default. A report names the
#: keys of its signers (pengaduan: the team's head, acknowledged by the pimpinan); WBS, UPG and SKM alike.
REPORT_SIGNERS: dict[str, str] = {
    "pimpinan": "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Magelang",
    "pengaduan": "Ketua Tim Pengaduan",
    "wbs": "Ketua Tim Pengelola Whistle-Blowing System",
    "upg": "Ketua Unit Pengendalian Gratifikasi",
    "skm": "Ketua Tim Survei Kepuasan Masyarakat",
}

#: Known settings and their defaults.
DEFAULTS: dict[str, Any] = {
    "require_totp": False,
    # Report documents: the unit named in the title block ("" = the SITE_OWNER configuration), the
    # place written before the signing date, and the signing officers.
    "report_unit": "",
    "report_place": "Magelang",
    "report_signers": {key: {"position": position, "name": "", "nip": ""} for key, position in REPORT_SIGNERS.items()},
    # WBS's public pages: the office's own regulation (Peraturan Wali Kota) and its SOP, edited by the Tim WBS
    # (services/wbs/settings.py); "" until the team writes them.
    "wbs_regulation_title": "",
    "wbs_regulation_text": "",
    "wbs_sop_text": "",
    # SKM: weight each NRR by the legacy spreadsheets' 0.111 instead of 1/9 (services/skm/settings.py).
    "skm_legacy_weight": False,
    # The UPG's campaign texts (services/gratifikasi/campaign.py): the home page's "No Calo, No Pungli" text, the
    # gratifikasi guide's, and the kiosk idle screen's running text; "" until the UPG writes them.
    "upg_campaign_home": "",
    "upg_campaign_guide": "",
    "upg_campaign_kiosk": "",
}


def get_setting(key: str) -> Any:
    row = db.session.get(Setting, key)
    return DEFAULTS[key] if row is None else json.loads(row.value)


def set_setting(actor: User | str, key: str, value: Any) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    old = get_setting(key)
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=json.dumps(value))
        db.session.add(row)
    else:
        row.value = json.dumps(value)
    audit.record(actor, "setting.change", target_type="setting", target_id=key, data={"from": old, "to": value})
    db.session.flush()


@dataclass(frozen=True)
class Signer:
    """A signing officer of reports: position, name and NIP (name and NIP may be blank: signed by hand)."""

    position: str
    name: str = ""
    nip: str = ""


@dataclass(frozen=True)
class ReportSettings:
    """What every report document carries besides its data: unit, place of signing, signing officers."""

    unit: str
    place: str
    signers: dict[str, Signer]


def report_settings() -> ReportSettings:
    """The report settings as saved, with the defaults for whatever was never set."""
    stored = get_setting("report_signers") or {}
    signers = {}
    for key, position in REPORT_SIGNERS.items():
        values = stored.get(key) or {}
        signers[key] = Signer(
            position=str(values.get("position") or position),
            name=str(values.get("name") or ""),
            nip=str(values.get("nip") or ""),
        )
    return ReportSettings(
        unit=get_setting("report_unit") or current_app.config["SITE_OWNER"],
        place=get_setting("report_place") or "",
        signers=signers,
    )


def save_report_settings(actor: User | str, unit: str, place: str, signers: dict[str, Signer]) -> None:
    """Store the report settings (each changed key audit-logged); unknown signer keys are refused."""
    unknown = set(signers) - set(REPORT_SIGNERS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    current = report_settings()
    merged = {
        key: Signer(s.position.strip(), s.name.strip(), s.nip.strip())
        for key, s in {**current.signers, **signers}.items()
    }
    if unit.strip() != current.unit:
        set_setting(actor, "report_unit", unit.strip())
    if place.strip() != current.place:
        set_setting(actor, "report_place", place.strip())
    if merged != current.signers:
        stored = {key: {"position": s.position, "name": s.name, "nip": s.nip} for key, s in merged.items()}
        set_setting(actor, "report_signers", stored)
