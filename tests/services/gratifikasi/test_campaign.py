"""The UPG's campaign: the three public texts (audited settings) and the activities with evidence files."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tests.factories import PDF, make_user
from zi_public.extensions import db as _db
from zi_public.models import Attachment, AuditEntry, Role, UpgCampaignActivity
from zi_public.rules.periods import QUARTER, make_period
from zi_public.services.gratifikasi import campaign
from zi_public.services.gratifikasi.campaign import ActivityInput, ActivityRefused, CampaignTexts, InvalidTexts

TODAY = date(2026, 11, 30)


def activity(**overrides) -> ActivityInput:
    fields = {
        "held_on": date(2026, 11, 2),
        "topic": "no_calo_no_pungli",
        "medium": "Banner / poster",
        "audience": "Pengunjung kantor",
        "summary": "Banner dipasang di ruang tunggu.",
    }
    fields.update(overrides)
    return ActivityInput(**fields)


def test_the_upg_saves_the_texts_each_change_audited(db):
    upg = make_user(Role.UPG)
    changed = campaign.save_texts(
        upg, CampaignTexts(home="  No Calo, No Pungli!\nLayanan gratis.  ", kiosk="Tolak pungli")
    )
    assert changed == ["home", "kiosk"]
    texts = campaign.campaign_texts()
    assert texts == CampaignTexts(home="No Calo, No Pungli!\nLayanan gratis.", guide="", kiosk="Tolak pungli")
    assert campaign.campaign_text("kiosk") == "Tolak pungli"
    keys = list(_db.session.scalars(sa.select(AuditEntry.data).where(AuditEntry.action == "setting.change")))
    assert len(keys) == 2
    # Saving the same texts again changes nothing.
    assert campaign.save_texts(upg, texts) == []


@pytest.mark.parametrize(
    ("texts", "field"),
    [
        (CampaignTexts(home="x" * 2_001), "home"),
        (CampaignTexts(guide="a\x00b"), "guide"),
        (CampaignTexts(kiosk="two\nlines"), "kiosk"),
        (CampaignTexts(kiosk="\x07bell"), "kiosk"),
    ],
)
def test_refused_texts_save_nothing(db, texts, field):
    upg = make_user(Role.UPG)
    with pytest.raises(InvalidTexts) as refused:
        campaign.save_texts(upg, texts)
    assert field in refused.value.errors
    assert campaign.campaign_texts() == CampaignTexts()


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.WBS, Role.ADMIN])
def test_only_the_upg_writes(db, role):
    other = make_user(role)
    with pytest.raises(PermissionError):
        campaign.save_texts(other, CampaignTexts(home="x"))
    with pytest.raises(PermissionError):
        campaign.record_activity(other, activity(), today=TODAY)
    upg = make_user(Role.UPG, is_active=False)
    with pytest.raises(PermissionError):
        campaign.save_texts(upg, CampaignTexts(home="x"))


def test_an_activity_with_evidence_is_recorded_and_listed_in_its_quarter(db):
    upg = make_user(Role.UPG)
    evidence = FileStorage(io.BytesIO(PDF), filename="daftar-hadir.pdf", content_type="application/pdf")
    recorded = campaign.record_activity(upg, activity(), [evidence], today=TODAY)
    campaign.record_activity(upg, activity(held_on=date(2026, 9, 30), topic="gratifikasi"), today=TODAY)
    q4 = make_period(QUARTER, 2026, 4)
    assert [a.id for a in campaign.activities_in(q4)] == [recorded.id]
    assert len(campaign.activities_in(make_period(QUARTER, 2026, 3))) == 1
    attachment = _db.session.scalars(sa.select(Attachment).where(Attachment.case_kind == "upg_campaign")).one()
    assert attachment.case_id == recorded.id
    entry = _db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "gratifikasi.campaign_add")).first()
    assert entry is not None
    assert campaign.topic_label("lain") == "lain" and "gratifikasi" in campaign.TOPICS


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": None}, "held_on"),
        ({"held_on": date(2026, 12, 1)}, "held_on"),
        ({"topic": "lain"}, "topic"),
        ({"medium": "  "}, "medium"),
        ({"audience": "x" * 201}, "audience"),
        ({"summary": "a\x00b"}, "summary"),
    ],
)
def test_refused_activities_save_nothing(db, overrides, field):
    upg = make_user(Role.UPG)
    with pytest.raises(ActivityRefused) as refused:
        campaign.record_activity(upg, activity(**overrides), today=TODAY)
    assert field in refused.value.errors
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(UpgCampaignActivity)) == 0
