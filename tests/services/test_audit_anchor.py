"""The audit chain's anchor file: what each commit appends, what a rollback does not, and the check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from zi_public.extensions import db as _db
from zi_public.models import AuditEntry
from zi_public.services import audit_anchor
from zi_public.services.audit import record


def anchor_lines(app) -> list[dict]:  # noqa: ANN001
    path = Path(app.config["AUDIT_ANCHOR"])
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_each_test_app_has_its_own_anchor_under_tmp_path(app, tmp_path):
    assert Path(app.config["AUDIT_ANCHOR"]).is_relative_to(tmp_path)


def test_a_commit_appends_its_newest_entry_once(app, db):
    record("tester", "test.one")
    newest = record("tester", "test.two")
    db.session.commit()
    assert anchor_lines(app) == [{"id": newest.id, "hash": newest.entry_hash}]
    assert Path(app.config["AUDIT_ANCHOR"]).stat().st_mode & 0o777 == 0o600
    assert audit_anchor.check_anchor().ok


def test_commits_without_entries_and_rollbacks_append_nothing(app, db):
    db.session.execute(sa.select(1))
    db.session.commit()
    record("tester", "test.undone")
    db.session.rollback()
    assert anchor_lines(app) == []


def test_an_entry_undone_by_a_savepoint_is_not_anchored(app, db):
    kept = record("tester", "test.kept")
    with pytest.raises(RuntimeError):
        with db.session.begin_nested():
            record("tester", "test.undone")
            raise RuntimeError
    db.session.commit()
    assert anchor_lines(app) == [{"id": kept.id, "hash": kept.entry_hash}]
    assert audit_anchor.check_anchor().ok


def test_a_request_that_records_an_entry_anchors_it_and_a_refused_one_does_not(seeded, client):
    before = anchor_lines(seeded)  # the seeding's own entry
    response = client.post("/api/v1/pengaduan", json={"category": "waktu"})
    assert response.status_code == 400
    assert anchor_lines(seeded) == before
    response = client.post(
        "/api/v1/pengaduan",
        json={"category": "waktu", "title": "PBG belum terbit", "description": "Berkas lengkap.", "identity": "anonim"},
    )
    assert response.status_code == 201, response.get_json()
    with seeded.app_context():
        newest = _db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert anchor_lines(seeded)[-1] == {"id": newest.id, "hash": newest.entry_hash}


def test_an_unwritable_anchor_does_not_fail_the_commit(app, db, caplog):
    Path(app.config["AUDIT_ANCHOR"]).mkdir(parents=True)  # a directory: open() fails
    entry = record("tester", "test.saved")
    db.session.commit()
    assert "audit anchor" in caplog.text
    db.session.expire_all()
    assert _db.session.get(AuditEntry, entry.id) is not None


_APPEND_MANY = """
import sys
from pathlib import Path
from zi_public.services.audit_anchor import append
worker, n = int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    append(Path(sys.argv[1]), {"id": worker * 10_000 + i, "hash": f"{worker:02d}" * 32})
"""


def test_concurrent_processes_append_whole_lines(tmp_path):
    """Several workers (or hosts) appending to one file at once: every line arrives whole."""
    path = tmp_path / "shared" / "anchor.jsonl"
    workers, n = 2, 1000
    processes = [
        subprocess.Popen([sys.executable, "-c", _APPEND_MANY, str(path), str(w), str(n)]) for w in range(workers)
    ]
    assert [p.wait(timeout=60) for p in processes] == [0] * workers
    epoch = audit_anchor.read_epoch(path)
    assert len(epoch.records) == epoch.lines == workers * n


def test_only_the_newest_epoch_counts_and_an_unterminated_tail_is_skipped(tmp_path):
    path = tmp_path / "anchor.jsonl"
    path.write_text(
        '{"id":5,"hash":"a"}\n{"epoch":"e1","reason":"backup restore","at":"2026-11-30T01:00:00","id":2,"hash":"b"}\n'
        '{"id":3,"hash":"c"}\n{"id":4,"ha'
    )
    epoch = audit_anchor.read_epoch(path)
    assert (epoch.records, epoch.reason, epoch.epochs) == ({2: {"b"}, 3: {"c"}}, "backup restore", 1)


def test_a_garbled_line_is_reported(tmp_path):
    path = tmp_path / "anchor.jsonl"
    path.write_text('{"id":5,"hash":"a"}\nnot json\n')
    with pytest.raises(audit_anchor.AnchorUnreadable, match="line 2"):
        audit_anchor.read_epoch(path)


def fsynced_paths(monkeypatch) -> list[str]:  # noqa: ANN001
    """Every path os.fsync is called on from now on (the real fsync still runs)."""
    synced: list[str] = []
    real_fsync = os.fsync

    def observed(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", observed)
    return synced


def test_each_anchor_line_is_on_disk_and_a_new_file_in_its_folder(app, db, monkeypatch):
    """A power cut after the commit must not lose the line: the file is fsynced after every append, and the
    folder once, when the file (and the folder itself) is created; `audit verify` still passes."""
    anchor = Path(app.config["AUDIT_ANCHOR"]).parent / "anchors" / "audit.jsonl"
    app.config["AUDIT_ANCHOR"] = str(anchor)
    synced = fsynced_paths(monkeypatch)
    record("tester", "test.first")
    db.session.commit()
    assert synced[0] == str(anchor)  # the line, then the new names: the file's and its new folder's
    assert sorted(synced[1:]) == [str(anchor.parent.parent), str(anchor.parent)]
    synced.clear()
    record("tester", "test.second")
    db.session.commit()
    record("tester", "test.third")
    db.session.commit()
    assert synced == [str(anchor)] * 2
    assert len(anchor_lines(app)) == 3
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "anchor: 3 anchored entries present" in result.output
