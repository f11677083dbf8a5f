"""Internalisation of the WBS (issue 8, point 12): the team records each socialisation activity — when,
through which medium (WhatsApp group, apel, banner, …), for whom, what was said — with evidence files
(attachments of kind "wbs_socialisation", readable by the Tim WBS only). They are listed per quarter and
counted in the quarterly evaluation (exports/wbs_evaluasi.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.models import Role, User, WbsSocialisation
from zi_public.rules.periods import Period
from zi_public.rules.text import has_visible_content, is_readable
from zi_public.security.uploads import UploadRejected, removed_on_error
from zi_public.services import attachments, audit
from zi_public.services.wbs.filing import ALLOWED_UPLOADS

KIND = "wbs_socialisation"
MEDIUM_MAX, AUDIENCE_MAX, SUMMARY_MAX = 120, 200, 5_000
#: Media the form suggests (free text is accepted too).
MEDIA = (_l("Apel pagi"), _l("Grup WhatsApp"), _l("Banner / poster"), _l("Rapat internal"), _l("Situs web"))


class SocialisationRefused(ValueError):
    """The activity cannot be recorded as given: `errors` maps a field to its message."""

    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ActivityInput:
    held_on: date | None
    medium: str
    audience: str
    summary: str = ""


def _check(data: ActivityInput, today: date) -> dict[str, object]:
    errors: dict[str, object] = {}
    if data.held_on is None:
        errors["held_on"] = _l("Isi tanggal kegiatan.")
    elif data.held_on > today:
        errors["held_on"] = _l("Tanggal kegiatan tidak boleh setelah hari ini.")
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
) -> WbsSocialisation:
    """Record one activity with its evidence files (flushed, audit-logged); SocialisationRefused or UploadRejected."""
    if actor.role != Role.WBS or not actor.is_active:
        raise SocialisationRefused({"actor": "not_team"})
    data = ActivityInput(data.held_on, data.medium.strip(), data.audience.strip(), (data.summary or "").strip())
    errors = _check(data, today)
    if errors:
        raise SocialisationRefused(errors)
    limit = int(current_app.config["WBS_MAX_ATTACHMENTS"])
    if len(files) > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=limit))
    budget = attachments.pixel_budget()
    with removed_on_error(attachments.upload_dir()) as stored:
        for file in files:
            stored.append(attachments.store_file(KIND, file, allowed=ALLOWED_UPLOADS, budget=budget))
        activity = WbsSocialisation(
            held_on=data.held_on,
            medium=data.medium,
            audience=data.audience,
            summary=data.summary,
            created_by_id=actor.id,
        )
        db.session.add(activity)
        attachments.attach(activity, stored)
        db.session.flush()
    audit.record(actor, "wbs.socialisation_add", activity, data={"held_on": str(data.held_on), "files": len(stored)})
    return activity


def activities_in(period: Period) -> list[WbsSocialisation]:
    """The activities held in `period`, oldest first."""
    return list(
        db.session.scalars(
            sa.select(WbsSocialisation)
            .where(WbsSocialisation.held_on.between(period.start, period.end))
            .order_by(WbsSocialisation.held_on, WbsSocialisation.id)
        )
    )
