"""Filing WBS reports: the receipt (shown once, stored hashed), the clocks, the sealed identity, evidence."""

from __future__ import annotations

import io
import threading
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tests.factories import PDF, WBS_DEFAULTS, make_wbs_filed, wbs_input
from zi_public.models import Attachment
from zi_public.models.wbs import WbsReport
from zi_public.models.wbs_audit import WbsAuditQueue
from zi_public.rules.wbs import Status
from zi_public.security import codes
from zi_public.security.uploads import UploadRejected
from zi_public.services.wbs.filing import DuplicateSubmission, InvalidWbs, file_report, file_with_uploads

FRIDAY = date(2026, 11, 27)


def test_filing_makes_a_receipt_stores_only_its_hash_and_starts_the_clocks(db, seeded):
    filed = make_wbs_filed(today=FRIDAY)
    report = filed.report
    assert codes.parse_receipt(filed.receipt)  # well-formed, with a valid check character
    assert len(filed.receipt.replace("-", "")) == codes.RECEIPT_LENGTH
    assert codes.check_receipt(filed.receipt, report.receipt_hash)
    assert report.status == Status.DITERIMA
    assert report.received_on == FRIDAY
    assert report.answer_by == date(2026, 12, 2)  # 3 working days: Mon 30, Tue 1, Wed 2
    assert report.telaah_by == date(2026, 12, 17)  # 14 working days
    assert report.category.code == "pungli-calo"
    assert report.has_identity is False and report.identity is None
    db.session.commit()
    raw = db.session.execute(sa.text("SELECT * FROM wbs_report WHERE id = :id"), {"id": report.id}).mappings().one()
    flat = str(dict(raw))
    assert filed.receipt.replace("-", "") not in flat and filed.receipt not in flat
    assert "pelicin" not in flat and "loket" not in flat.lower()  # encrypted at rest
    queued = db.session.execute(sa.select(WbsAuditQueue.day, WbsAuditQueue.action)).all()
    assert queued == [(FRIDAY, "wbs.report_filed")]


def test_every_receipt_is_new(db, seeded):
    receipts = {make_wbs_filed().receipt for _ in range(5)}
    assert len(receipts) == 5


def test_an_identity_is_kept_sealed_and_flagged(db, seeded):
    report = make_wbs_filed(identity="  Sari, 0812 3456 7890  ").report
    assert report.has_identity is True
    assert report.identity == "Sari, 0812 3456 7890"
    blank = make_wbs_filed(identity="   ").report
    assert blank.has_identity is False and blank.identity is None


def test_only_category_and_what_are_required(db, seeded):
    report = file_report(wbs_input(who_name="", who_position="", who_unit="", when="", where="", how="", how_known=""))
    assert report.report.who_name is None and report.report.how is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"category": ""}, "category"),
        ({"what": "   "}, "what"),
        ({"what": "\u200b\u200b"}, "what"),  # zero-width characters alone say nothing
        ({"what": "x" * 10_001}, "what"),
        ({"who_name": "x" * 201}, "who_name"),
        ({"who_name": "Budi\nSantoso"}, "who_name"),  # one line
        ({"how": "a\x00b"}, "how"),
        ({"where": "\ud800"}, "where"),
        ({"identity": "x" * 2_001}, "identity"),
        ({"what": 12}, "what"),  # not text at all
        ({"category": None}, "category"),
    ],
)
def test_invalid_submissions_are_refused_whole(db, seeded, overrides, field):
    with pytest.raises(InvalidWbs) as info:
        file_report(wbs_input(**overrides))
    assert field in info.value.errors
    assert db.session.scalar(sa.select(sa.func.count(WbsReport.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(WbsAuditQueue.report_id))) == 0


def test_a_resent_form_files_nothing(db, seeded):
    file_report(wbs_input(), submission_key="k" * 32)
    with pytest.raises(DuplicateSubmission):
        file_report(wbs_input(), submission_key="k" * 32)
    assert db.session.scalar(sa.select(sa.func.count(WbsReport.id))) == 1
    stored = db.session.scalar(sa.select(WbsReport.submission_key_hash))
    assert stored and "k" * 32 not in stored


def test_concurrent_submissions_with_one_key_file_one_report(db, seeded, app):
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def worker() -> None:
        with app.app_context():
            start.wait()
            try:
                file_report(wbs_input(), submission_key="race" * 8)
                outcomes.append("filed")
            except DuplicateSubmission:
                outcomes.append("duplicate")
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate", "filed"]
    assert db.session.scalar(sa.select(sa.func.count(WbsReport.id))) == 1


def uploads(*names: str, data: bytes = PDF) -> list[FileStorage]:
    return [FileStorage(io.BytesIO(data), filename=name) for name in names]


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_filing_with_uploads_stores_the_evidence_encrypted(db, seeded, app):
    report = file_with_uploads(wbs_input(), uploads("a.pdf", "b.pdf")).report
    db.session.commit()
    assert len(report.attachments) == 2
    assert {a.case_kind for a in report.attachments} == {"wbs"}
    assert all(a.is_encrypted for a in report.attachments)
    assert len(stored_files(app)) == 2
    assert all(b"%PDF" not in path.read_bytes() for path in stored_files(app))


def test_a_refused_file_leaves_no_report_and_no_file(db, seeded, app):
    with pytest.raises(UploadRejected):
        file_with_uploads(wbs_input(), [*uploads("a.pdf"), *uploads("x.pdf", data=b"MZ not a pdf")])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(WbsReport.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0
    assert stored_files(app) == []


def test_refused_text_stores_no_file(db, seeded, app):
    with pytest.raises(InvalidWbs):
        file_with_uploads(wbs_input(what=""), uploads("a.pdf"))
    assert stored_files(app) == []


def test_too_many_files_are_refused_before_any_is_stored(db, seeded, app):
    with pytest.raises(UploadRejected):
        file_with_uploads(wbs_input(), uploads(*[f"{i}.pdf" for i in range(6)]))
    assert stored_files(app) == []


def test_defaults_are_a_valid_report(db, seeded):
    assert set(WBS_DEFAULTS) <= {
        "category",
        "what",
        "who_name",
        "who_position",
        "who_unit",
        "when",
        "where",
        "how",
        "how_known",
    }


def test_an_office_document_is_evidence_and_staff_read_it_without_its_author(db, seeded, app):
    import zipfile

    from tests.factories import make_user
    from tests.security.test_office_uploads import AUTHOR, docx
    from zi_public.models import Role
    from zi_public.services import attachments

    def unpacked(data: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())

    report = file_with_uploads(wbs_input(), uploads("nota.docx", data=docx())).report
    db.session.flush()
    (original,) = report.attachments
    assert original.content_type.endswith("wordprocessingml.document")
    member = make_user(role=Role.WBS)
    copy = attachments.download(member, report, original.id)
    assert copy.attachment.variant.value == "stripped"
    assert AUTHOR.encode() not in unpacked(copy.data) and b"Uang pelicin" in unpacked(copy.data)
    evidence = attachments.download(member, report, original.id, original=True)
    assert AUTHOR.encode() in unpacked(evidence.data)  # the evidence as it arrived
