"""The UPG's campaign (issue 10, point 11): the "No Calo, No Pungli" and gratifikasi texts shown to the public,
and the campaign and socialisation activities the recap (exports/gratifikasi_rekap.py) and the benturan
evaluation list.

The texts are settings (services/settings.py: upg_campaign_home on the home page, upg_campaign_guide in the
gratifikasi guide, upg_campaign_kiosk as the kiosk idle screen's running text); each change is audit-logged
there (setting.change) with the member of the UPG who made it. The activities follow services/wbs/socialisation.py:
one row each, evidence files as attachments of kind "upg_campaign" (readable by the UPG and the pimpinan).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.models import Role, UpgCampaignActivity, User
from zi_public.rules.periods import Period
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.security.uploads import UploadRejected, removed_on_error
from zi_public.services import attachments, audit
from zi_public.services.settings import get_setting, set_setting

KIND = "upg_campaign"
ALLOWED_UPLOADS = frozenset({"image", "pdf", "office"})

#: Longest accepted value per public text (characters); the kiosk's running text is one line.
TEXT_LIMITS = {"home": 2_000, "guide": 5_000, "kiosk": 300}
TEXT_MULTILINE = {"home": True, "guide": True, "kiosk": False}
TEXT_FIELDS = tuple(TEXT_LIMITS)

#: The topics an activity is about (the key is stored).
TOPICS = {
    "no_calo_no_pungli": _l("No Calo, No Pungli"),
    "gratifikasi": _l("Gratifikasi"),
    "benturan_kepentingan": _l("Benturan kepentingan"),
}
#: Media the form suggests (free text is accepted too).
MEDIA = (
    _l("Banner / poster"),
    _l("Running text"),
    _l("Grup WhatsApp"),
    _l("Media sosial"),
    _l("Apel pagi"),
)
MEDIUM_MAX, AUDIENCE_MAX, SUMMARY_MAX = 120, 200, 5_000


# --- texts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignTexts:
    home: str = ""
    guide: str = ""
    kiosk: str = ""


class InvalidTexts(ValueError):
    """`errors` maps each field to its message."""

    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def campaign_texts() -> CampaignTexts:
    """The texts as saved ("" for one never written)."""
    return CampaignTexts(**{field: str(get_setting(f"upg_campaign_{field}") or "") for field in TEXT_FIELDS})


def campaign_text(where: str) -> str:
    """One text ("home", "guide" or "kiosk"), "" when not set."""
    if where not in TEXT_LIMITS:
        raise KeyError(where)
    return str(get_setting(f"upg_campaign_{where}") or "")


def check_texts(texts: CampaignTexts) -> dict[str, object]:
    errors: dict[str, object] = {}
    for field, limit in TEXT_LIMITS.items():
        value = getattr(texts, field)
        if len(value) > limit:
            errors[field] = _l("Paling banyak %(max)d karakter.", max=limit)
        elif not is_readable(value, multiline=TEXT_MULTILINE[field]):
            if is_readable(value, multiline=True):
                errors[field] = _l("Tulis isian ini dalam satu baris.")
            else:
                errors[field] = _l("Teks berisi karakter yang tidak dapat dibaca.")
    return errors


def _require_upg(actor: object) -> None:
    if not isinstance(actor, User) or actor.role != Role.UPG or not actor.is_active:
        raise PermissionError("only an active member of the UPG changes the campaign")


def save_texts(actor: User, texts: CampaignTexts) -> list[str]:
    """Store the texts the UPG edited; returns the fields that changed (each audit-logged by set_setting).
    PermissionError for anyone but an active UPG member, InvalidTexts when a text is refused (nothing saved)."""
    _require_upg(actor)
    cleaned = CampaignTexts(**{field: (getattr(texts, field) or "").strip() for field in TEXT_FIELDS})
    errors = check_texts(cleaned)
    if errors:
        raise InvalidTexts(errors)
    current = campaign_texts()
    changed = [field for field in TEXT_FIELDS if getattr(cleaned, field) != getattr(current, field)]
    for field in changed:
        set_setting(actor, f"upg_campaign_{field}", getattr(cleaned, field))
    return changed


# --- activities ------------------------------------------------------------------------------------------------


class ActivityRefused(ValueError):
    """The activity cannot be recorded as given: `errors` maps a field to its message."""

    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ActivityInput:
    held_on: date | None
    topic: str
    medium: str
    audience: str
    summary: str = ""


def check_activity(data: ActivityInput, today: date) -> dict[str, object]:
    errors: dict[str, object] = {}
    if data.held_on is None:
        errors["held_on"] = _l("Isi tanggal kegiatan.")
    elif data.held_on > today:
        errors["held_on"] = _l("Tanggal kegiatan tidak boleh setelah hari ini.")
    if data.topic not in TOPICS:
        errors["topic"] = _l("Pilih salah satu tema.")
    for field, value, limit, multiline in (
        ("medium", data.medium, MEDIUM_MAX, False),
        ("audience", data.audience, AUDIENCE_MAX, False),
        ("summary", data.summary, SUMMARY_MAX, True),
    ):
        if field != "summary" and not has_visible_content(value):
            errors[field] = _l("Wajib diisi.")
        elif len(value) > limit:
            errors[field] = _l("Paling banyak %(max)d karakter.", max=limit)
        elif not is_readable(value, multiline=multiline):
            errors[field] = _l("Teks berisi karakter yang tidak dapat dibaca.")
    return errors


def record_activity(
    actor: User, data: ActivityInput, files: Sequence[FileStorage] = (), *, today: date
) -> UpgCampaignActivity:
    """Record one activity with its evidence files (flushed, audit-logged "gratifikasi.campaign_add").
    PermissionError, ActivityRefused or UploadRejected (nothing saved then)."""
    _require_upg(actor)
    data = ActivityInput(
        data.held_on, data.topic, data.medium.strip(), data.audience.strip(), (data.summary or "").strip()
    )
    errors = check_activity(data, today)
    if errors:
        raise ActivityRefused(errors)
    limit = int(current_app.config["GRATIFIKASI_MAX_ATTACHMENTS"])
    if len(files) > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=limit))
    budget = attachments.pixel_budget()
    with removed_on_error(attachments.upload_dir()) as stored:
        for file in files:
            stored.append(attachments.store_file(KIND, file, allowed=ALLOWED_UPLOADS, budget=budget))
        activity = UpgCampaignActivity(
            held_on=data.held_on,
            topic=data.topic,
            medium=data.medium,
            audience=data.audience,
            summary=data.summary,
            created_by_id=actor.id,
        )
        db.session.add(activity)
        attachments.attach(activity, stored)
        db.session.flush()
    audit.record(
        actor,
        "gratifikasi.campaign_add",
        activity,
        data={"held_on": str(data.held_on), "topic": data.topic, "files": len(stored)},
    )
    return activity


def activities_in(period: Period) -> list[UpgCampaignActivity]:
    """The activities held in `period`, oldest first (for the recap and the evaluations)."""
    return list(
        db.session.scalars(
            sa.select(UpgCampaignActivity)
            .where(UpgCampaignActivity.held_on.between(period.start, period.end))
            .order_by(UpgCampaignActivity.held_on, UpgCampaignActivity.id)
        )
    )


def topic_label(topic: str) -> object:
    """The topic's label (the stored key itself for one no longer known)."""
    return TOPICS.get(topic, topic)
