"""The layers stay layers: checked on the source, the way a reviewer would grep for them.

- Views never commit or roll back: the request's unit of work does (zi_public/unit_of_work.py).
- Services never name a web endpoint (url_for) and never import the web layer.
- The core never imports blueprints, except create_app's one registration step.
- The kiosk calls services, not another blueprint.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def calls(path: Path, names: set[str]) -> Iterator[str]:
    """`file:line name(` for every call of a function or method called one of `names` (comments and
    strings are not code, so they do not count)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in names:
                yield f"{relative(path)}:{node.lineno} {name}("


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import, `from x import y` giving both x and x.y."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def imported_names(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                yield node.lineno, alias.name


def test_the_checks_see_what_they_look_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from flask import url_for\nimport blueprints.kiosk\n# db.session.commit()\n"
        "def f():\n    '''rollback() in a docstring'''\n    db.session.commit()\n    session.rollback()\n"
    )
    assert [line.split(" ", 1)[1] for line in calls(sample, {"commit", "rollback"})] == ["commit(", "rollback("]
    assert (2, "blueprints.kiosk") in list(imported_modules(sample))
    assert (1, "url_for") in list(imported_names(sample))


def test_no_view_commits_or_rolls_back():
    found = [hit for path in python_files("blueprints") for hit in calls(path, {"commit", "rollback"})]
    assert found == [], "views leave commit and rollback to the request's unit of work"


def test_services_never_name_a_web_endpoint():
    found = [
        f"{relative(path)}:{line}"
        for path in python_files("zi_public/services")
        for line, name in imported_names(path)
        if name == "url_for"
    ]
    found += [hit for path in python_files("zi_public/services") for hit in calls(path, {"url_for"})]
    assert found == [], "services link through zi_public.links, never through url_for"


@pytest.mark.parametrize("folder", ["zi_public/services", "zi_public/rules", "zi_public/exports", "zi_public/security"])
def test_the_core_never_imports_the_web_layer(folder):
    found = [
        f"{relative(path)}:{line} {module}"
        for path in python_files(folder)
        for line, module in imported_modules(path)
        if module == "blueprints" or module.startswith("blueprints.")
    ]
    assert found == []


def test_only_create_app_imports_blueprints_from_the_core():
    found = {
        relative(path)
        for path in python_files("zi_public")
        for _line, module in imported_modules(path)
        if module == "blueprints" or module.startswith("blueprints.")
    }
    assert found <= {"zi_public/__init__.py"}


def test_the_kiosk_imports_only_its_own_blueprint_package():
    found = [
        f"{relative(path)}:{line} {module}"
        for path in python_files("blueprints/kiosk")
        for line, module in imported_modules(path)
        if module.startswith("blueprints.") and not module.startswith("blueprints.kiosk")
    ]
    assert found == [], "the kiosk calls services (zi_public.services...), not another blueprint"
