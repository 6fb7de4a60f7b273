"""The design the code is held to (CONVENTIONS.md): imports run one way, and the app speaks through Django.

Read as text with `ast`, so a test fails the moment a change breaks a rule, whatever the tests of behaviour say.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("core", "accounts", "todos", "orders")
SQL_OR_PRIVATE_ORM = ("execute", "executemany", "cursor", "raw", "extra", "get_compiler", "apply_converters")


def modules(folder: str, *, tests: bool = False):
    for path in sorted((ROOT / folder).rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if "migrations" in parts or (not tests and ("tests" in parts or "management" in parts)):
            continue
        yield path


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", list(modules("core")), ids=str)
def test_core_imports_no_app_of_the_project(path):
    assert imported(path) & {"accounts", "todos", "orders", "todoproject"} == set()


@pytest.mark.parametrize("app", ["accounts", "todos", "orders"])
def test_no_app_imports_the_project_package(app):
    importers = [str(path) for path in modules(app) if "todoproject" in imported(path)]
    assert importers == []


def test_the_project_package_holds_settings_urls_and_entry_points_only():
    allowed = {"__init__.py", "settings.py", "test_settings.py", "urls.py", "api_urls.py", "wsgi.py", "asgi.py"}
    assert {path.name for path in (ROOT / "todoproject").glob("*.py")} <= allowed
    assert {path.name for path in (ROOT / "todoproject").iterdir() if path.is_dir()} <= {"tests", "__pycache__"}


@pytest.mark.parametrize("app", APPS)
def test_application_code_sends_no_sql_of_its_own_and_uses_no_private_orm_api(app):
    """Reads and writes go through the ORM: no cursors, raw SQL or compiler internals (migrations aside)."""
    found = []
    for path in modules(app):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in SQL_OR_PRIVATE_ORM:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert found == []
