"""The house's shape (docs/architecture.md, "The map"): the import contracts and module sizes."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "campaigns", "pledges", "awards", "reports")
# About 600 lines: past that a module is split by step or subject (one table or list excepted).
MAX_LINES = 650


def test_import_contracts_hold(capsys):
    """Apps depend one way, documents and background stay apart, and no import circle exists."""
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert status == EXIT_STATUS_SUCCESS, capsys.readouterr().out


def test_no_module_outgrows_the_house():
    too_big = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_big == {}


def _views_modules():
    for app in APPS:
        yield from (ROOT / app).glob("views.py")
        yield from (ROOT / app).glob("views/**/*.py")


def test_no_view_catches_a_refusal_itself():
    """A refused service call reaches the user through `portal.service_calls` only (#19): a
    view's own `except RuleViolation` would word it, or drop its listed errors, its own way."""
    caught = {"RuleViolation", "PermissionDenied"}
    found = []
    for path in _views_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ExceptHandler) or node.type is None:
                continue
            kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            names = {getattr(kind, "id", getattr(kind, "attr", "")) for kind in kinds}
            if names & caught:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
    assert any(path.name == "queue.py" for path in _views_modules())
