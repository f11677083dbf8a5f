"""What building the app does to the process: the garbage collector is paused while it is built and left
as it was found, and only the process's first app is frozen (gc.freeze) out of the collector's way."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from tests.conftest import base_config
from zi_public import create_app


def _config(tmp_path: Path) -> dict[str, object]:
    return base_config(tmp_path, f"sqlite:///{tmp_path / 'app.sqlite3'}")


def test_the_collector_is_left_as_it_was_found(tmp_path: Path) -> None:
    create_app(_config(tmp_path))
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # this process's first app froze what start-up made
    gc.disable()
    try:
        create_app(_config(tmp_path))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_later_apps_are_not_frozen_and_become_garbage(tmp_path: Path) -> None:
    create_app(_config(tmp_path))
    frozen = gc.get_freeze_count()
    app = weakref.ref(create_app(_config(tmp_path)))
    assert gc.get_freeze_count() == frozen
    gc.collect()
    assert app() is None
