"""Every refusal carries a code, each rule has one wording, and a test asserts each code.

Codes name rules (`reason_required`), not places: a rule enforced in several services raises
one code with one wording. Tests assert the code (`tests.refusals.refused`), so a new wording
needs no test change and a different rule refusing instead fails the test.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "campaigns", "pledges", "awards", "reports", "api")


def _trees(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _name(func) -> str | None:
    return getattr(func, "id", None) or getattr(func, "attr", None)


def _kinds_of_refusal() -> tuple[set[str], set[str]]:
    """RuleViolation and its subclasses raised by name; and the subclasses whose own
    __init__ words and codes the refusal (their `super().__init__(…)` is the refusal)."""
    named, self_coded = {"RuleViolation"}, set()
    for app in APPS:
        for _, tree in _trees(app):
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and "RuleViolation" in map(_name, node.bases):
                    init = next(
                        (f for f in node.body if getattr(f, "name", "") == "__init__"), None
                    )
                    params = {a.arg for a in init.args.kwonlyargs} if init else set()
                    if init and "code" not in params:
                        self_coded.add(node.name)
                    else:
                        named.add(node.name)
    return named, self_coded


def _refusals(app: str):
    named, self_coded = _kinds_of_refusal()
    for path, tree in _trees(app):
        classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        supers = {
            call
            for cls in classes
            if cls.name in self_coded
            for call in ast.walk(cls)
            if isinstance(call, ast.Call)
            and _name(call.func) == "__init__"
            and isinstance(call.func.value, ast.Call)
            and _name(call.func.value.func) == "super"
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (_name(node.func) in named or node in supers):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                message = node.args[0] if node.args else None
                yield where, code, message


def _constant(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _wording(node) -> str | None:
    """A message's words, each value put in by an f-string standing as `{}`."""
    if isinstance(node, ast.JoinedStr):
        return "".join(_constant(part) or "{}" for part in node.values)
    return _constant(node)


def test_every_refusal_carries_a_code():
    missing = [
        where
        for app in APPS
        for where, code, _ in _refusals(app)
        if code is None or (_constant(code) is None and not isinstance(code, ast.JoinedStr))
    ]
    assert missing == []


def test_each_code_has_one_wording_and_each_wording_one_code():
    wordings, codes = defaultdict(set), defaultdict(set)
    for app in APPS:
        for _, code, message in _refusals(app):
            code, message = _constant(code), _wording(message)
            if code and message:
                wordings[code].add(message)
                codes[message].add(code)
    assert {c: w for c, w in wordings.items() if len(w) > 1} == {}
    assert {m: c for m, c in codes.items() if len(c) > 1} == {}


def test_a_test_asserts_every_code():
    tests_text = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py") if p != Path(__file__)
    )
    unasserted = sorted(
        {
            code
            for app in APPS
            for _, node, _ in _refusals(app)
            if (code := _constant(node)) and f'"{code}"' not in tests_text
        }
    )
    assert unasserted == []
