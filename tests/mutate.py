"""`make mutate`: a mutation score for each core rule module, against its own focused tests.

For each module in `CORE`, mutmut (3.x) plants one small fault at a time (a `>=` turned `>`, a
constant changed, a statement dropped) and runs the tests that exercise the mutated function; a
mutant that no test fails "survived". Each module runs in its own work folder
`var/mutate/<name>/` (mutmut keeps its copy of the project and its results in `mutants/` there),
so a module's results and its test selection never mix with another's, and a re-run only tests
what changed.

On PostgreSQL: `DATABASE_URL` must name one; the tests use their own database, the name with
`_mutate` added (so a mutation run never collides with the developer's test database).
Run gently (the machine is shared): `nice`, one child process, focused test sets.

    .venv/bin/python -m tests.mutate                # every module, then the table of scores
    .venv/bin/python -m tests.mutate money voting   # some modules
    .venv/bin/python -m tests.mutate --survivors money   # list a module's surviving mutants
    MUTATE_FRESH_DB=0 .venv/bin/python -m tests.mutate access   # keep the migrated test database
    .venv/bin/python -m tests.mutate eligibility --only count_in_unit same_plan   # some functions
    .venv/bin/python -m tests.mutate --by-function eligibility   # tried/killed per function
    .venv/bin/python -m tests.mutate eligibility --one-session eval_chain   # all in one session

`--one-session` (tests/mutate_one_session.py) tests every mutant of the named functions in one
pytest session, switching mutmut's `MUTANT_UNDER_TEST` between tests: the set-up is paid once,
not once a mutant. Its verdicts go into mutmut's own result files.

What a mutant costs is mostly the pytest session that tests it (mutmut forks one per mutant from
a warmed-up server, and runs only the tests its stats saw calling the mutated function). The
first session migrates the test database; the later ones use it as it is (see
`_kept_database`: pytest-django's --reuse-db would still run `migrate`, about 7 s a mutant on the
loaded machine). MUTATE_CHILDREN=2 tests two mutants at once where two cores are free.

Surviving mutants that are equivalent (no test can tell them apart from the original) are listed,
with the reason, in docs/testing.md; the latest figures are in docs/architecture.md.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutate"

# name → (files to mutate, the focused tests that state the module's rules)
CORE: dict[str, tuple[list[str], list[str]]] = {
    "access": (
        ["portal/access.py"],
        [
            "tests/portal/test_access.py",
            "tests/portal/test_access_helpers.py",
            "tests/portal/test_holders.py",
        ],
    ),
    "campaigns-workflow": (["campaigns/workflow.py"], ["tests/campaigns/test_services.py"]),
    "pledges-workflow": (
        ["pledges/workflow.py"],
        [
            "tests/pledges/test_services.py",
            "tests/pledges/test_pinned_covenant_workflows.py",
            "tests/portal/test_workflow_engine.py",
        ],
    ),
    "awards-workflow": (
        ["awards/workflow.py"],
        [
            "tests/awards/test_nomination_table.py",
            "tests/awards/test_pinned_sessions_and_decisions.py",
        ],
    ),
    "voting": (["awards/procedure/voting.py"], ["tests/awards/test_voting.py"]),
    # The council's checks: who is seated, one Chủ tịch, the vote re-checked at each ballot.
    "council": (
        ["awards/procedure/council.py"],
        [
            "tests/awards/test_council.py",
            "tests/awards/test_council_access.py",
            "tests/awards/test_procedure_refusals.py",
        ],
    ),
    "money": (["awards/rules/money.py"], ["tests/awards/test_money.py"]),
    "eligibility": (
        ["awards/rules/eligibility/*"],
        [
            "tests/awards/test_eligibility.py",
            "tests/awards/test_eligibility_findings.py",
            "tests/awards/test_eligibility_helpers_rules.py",
            "tests/awards/test_eligibility_basics.py",
            "tests/awards/test_eligibility_principles.py",
        ],
    ),
    "numbering": (["portal/documents/numbering.py"], ["tests/portal/test_documents.py"]),
    "reminders": (
        ["portal/background/reminders.py"],
        [
            "tests/portal/background/test_planner.py",
            "tests/portal/background/test_planner_rules.py",
        ],
    ),
}

# Modules whose only functions run while the module is imported: mutmut cannot reach them, the
# table mutation below does. (None since awards/workflow.py words its refusal in a function.)
IMPORT_TIME_ONLY: set[str] = set()

# What the copied project needs besides its packages: Django finds templates, static files and
# translations next to the settings module, and some tests read the docs.
PACKAGES = ["portal", "campaigns", "pledges", "awards", "reports", "api"]
ALSO = ["templates", "static", "locale", "docs", "tests", "pyproject.toml", "manage.py"]


def _config(files: list[str], tests: list[str]) -> str:
    def listed(values: list[str]) -> str:
        return "\n" + "\n".join(f"    {v}" for v in values)

    return (
        "[mutmut]\n"
        f"source_paths ={listed(PACKAGES)}\n"
        f"only_mutate ={listed(files)}\n"
        f"also_copy ={listed(ALSO)}\n"
        f"pytest_add_cli_args_test_selection ={listed(tests)}\n"
        # The test database survives between mutants: each run reuses it instead of migrating.
        # A mutant that loops forever is stopped at 3× (not 15×) its tests' time: a timeout is a
        # kill either way, and on a shared machine 15× is many minutes of a core. The constant
        # covers each run's own start (a pytest session, the reused database) on a loaded
        # machine: with mutmut's 1 s, tests of 0.1 s timed out before they ran, counted "killed".
        "timeout_multiplier = 3\n"
        "timeout_constant = 20\n"
        "pytest_add_cli_args =\n    -p no:randomly\n    -p tests.mutate\n    --reuse-db\n"
        "    -x\n    -q\n"
    )


def pytest_sessionstart(session):
    """Loaded with `-p tests.mutate`: mutmut runs many pytest sessions in one process (and its
    forks), and a session that keeps its test database leaves the settings naming it; the next
    would then look for "test_test_…". Each session starts from the configured name."""
    from django.conf import settings
    from django.db import connections

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    for entry in (settings.DATABASES["default"], connections["default"].settings_dict):
        entry["NAME"] = name
        entry.setdefault("TEST", {})["NAME"] = f"test_{name}"
    connections["default"].close()


def _migrated(name: str) -> bool:
    import psycopg

    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def _kept_database() -> ModuleType:
    """The test database a session of this run already migrated and seeded, used as it is.

    pytest-django's own set-up with --reuse-db still runs `migrate`, which renders the state of
    every model (about 7 s a session on the loaded machine, more than most mutants' tests): a
    mutation run is many sessions, one a mutant. Same schema, same seeded rows; each test still
    runs in its own rolled-back transaction, and the race tests (which would flush) stay out."""

    @pytest.fixture(scope="session")
    def django_db_setup(django_test_environment, django_db_blocker):
        from django.conf import settings
        from django.db import connections

        name = settings.DATABASES["default"]["TEST"]["NAME"]
        for entry in (settings.DATABASES["default"], connections["default"].settings_dict):
            entry["NAME"] = name
        connections["default"].close()
        yield

    plugin = ModuleType("tests.mutate.kept_database")
    plugin.django_db_setup = django_db_setup
    return plugin


def pytest_configure(config):
    """Loaded with `-p tests.mutate`: once the run's first session has migrated the database,
    the later ones (registered after pytest-django, so this set-up replaces its own) skip it."""
    name = "test_" + os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    if os.environ.get("MUTATE_SKIP_MIGRATE", "1") == "1" and _migrated(name):
        config.pluginmanager.register(_kept_database(), "mutate-kept-database")


def pytest_collection_modifyitems(config, items):
    """Loaded with `-p tests.mutate` in a mutation run: the race tests stay out. They flush the
    database at their end, and a reused database would then lack the seeded catalogue in the
    next run, failing every test for a reason no mutant planted (they prove locks, not rules).
    The exact comparisons of a table with its procedure run first."""
    kept = [
        item
        for item in items
        if not any(m.kwargs.get("transaction") for m in item.iter_markers("django_db"))
    ]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
    # The tests that compare a table exactly with the procedure run first; then the narrowest:
    # a test that reaches few of the mutated module's functions states their rules, and is the
    # likeliest to fail first (with -x, a caught mutant then costs one test, not the whole set;
    # the set run, and so a verdict, is the same in any order). Stable otherwise.
    reach = _reach()
    items[:] = sorted(
        kept,
        key=lambda item: ("exactly" not in item.name, reach.get(item.nodeid, len(reach))),
    )


_REACH: dict[str, int] = {}


def _reach() -> dict[str, int]:
    """How many mutated functions each test reached, from mutmut's stats (in the folder where
    mutmut runs pytest); empty before the stats exist."""
    if not _REACH and Path("mutmut-stats.json").exists():
        stats = json.loads(Path("mutmut-stats.json").read_text())
        _REACH.update(
            Counter(t for ts in stats["tests_by_mangled_function_name"].values() for t in ts)
        )
    return _REACH


def _fresh_database() -> None:
    """Drop the mutation run's test database: the first run of this session migrates anew."""
    url = _environment()["DATABASE_URL"]
    name = "test_" + url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(
        ["psql", server, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True
    )


def _prepare(name: str) -> Path:
    files, tests = CORE[name]
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    for entry in PACKAGES + ALSO:
        link = folder / entry
        if not link.exists():
            link.symlink_to(ROOT / entry)
    (folder / "setup.cfg").write_text(_config(files, tests))
    return folder


def _environment() -> dict[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("make mutate runs on PostgreSQL: set DATABASE_URL=postgres://…")
    return {**os.environ, "DATABASE_URL": url + "_mutate", "DEBUG": "1"}


def _counts(folder: Path) -> Counter[str]:
    """Outcomes per mutant, read from mutmut's own result files (one .meta per mutated file)."""
    from mutmut.stats import status_by_exit_code

    counts: Counter[str] = Counter()
    for meta in (folder / "mutants").rglob("*.py.meta"):
        for code in json.loads(meta.read_text())["exit_code_by_key"].values():
            counts[status_by_exit_code[code]] += 1
    return counts


def score(counts: Counter[str]) -> float:
    """Killed (a timeout is a kill) over all mutants tried; one no test reached counts against."""
    tried = sum(counts.values()) - counts["skipped"]
    return 100.0 * (counts["killed"] + counts["timeout"]) / tried if tried else 0.0


def run(name: str, functions: list[str] = ()) -> Counter[str]:
    """Mutate `name`; with `functions`, only the mutants of those functions (their results are
    kept, so a later full run goes on with the rest)."""
    counts: Counter[str] = Counter()
    if name not in IMPORT_TIME_ONLY:
        folder = _prepare(name)
        children = os.environ.get("MUTATE_CHILDREN", "1")
        command = [
            "nice", "-n", "15", str(ROOT / ".venv/bin/mutmut"), "run", "--max-children", children,
            *(f"*{function}__mutmut_*" for function in functions),
        ]  # fmt: skip
        subprocess.run(command, cwd=folder, env=_environment(), check=False)
        counts += _counts(folder)
    if name in TABLES and not functions:
        counts += run_tables(name)
    return counts


def by_function(name: str) -> None:
    """Tried and killed mutants per mutated function, for a run that has not finished."""
    from mutmut.stats import status_by_exit_code

    tally: dict[str, Counter[str]] = {}
    for meta in sorted((WORK / name / "mutants").rglob("*.py.meta")):
        for key, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            function = key.rsplit("__mutmut_", 1)[0].rsplit(".", 1)[-1][2:]  # "x_" or "xǁ"
            tally.setdefault(function.replace("ǁ", "."), Counter())[status_by_exit_code[code]] += 1
    for function, c in tally.items():
        tried = sum(c.values()) - c["not checked"] - c["skipped"]
        killed = c["killed"] + c["timeout"]
        print(f"{function:<48} {killed:>4}/{tried:<4} killed/tried  of {sum(c.values())}")


def survivors(name: str) -> None:
    tables = WORK / name / "tables.json"
    if tables.exists():
        for description, outcome in json.loads(tables.read_text()).items():
            if outcome == "survived":
                print(f"table mutant survived: {CORE[name][0][0]} {description}")
    if name in IMPORT_TIME_ONLY:
        return
    folder = _prepare(name)
    listing = subprocess.run(
        [str(ROOT / ".venv/bin/mutmut"), "results"],
        cwd=folder,
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    for mutant in re.findall(r"^\s+(\S+): (?:survived|no tests)", listing, re.MULTILINE):
        print(
            subprocess.run(
                [str(ROOT / ".venv/bin/mutmut"), "show", mutant],
                cwd=folder,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
        )


# ---------------------------------------------------------------------------------------------
# The workflow tables are data built when the module is imported: mutmut only mutates inside
# functions, so their module-level statements are mutated here, one fault at a time, and the
# module's focused tests run in a copy of the project (`var/mutate/<name>/tables/`).

TABLES = {"campaigns-workflow", "pledges-workflow", "awards-workflow"}


def _offsets(source: bytes) -> list[int]:
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def table_mutants(source: bytes) -> list[tuple[str, bytes]]:
    """(description, mutated source) for each fault planted in the module-level statements:
    an element dropped from a set, list or dict (a move, a source status, a state of a group);
    a status or capability swapped for the next one of its kind; a True/False flipped."""
    tree = ast.parse(source)
    starts = _offsets(source)

    def at(line: int, col: int) -> int:  # ast columns are UTF-8 byte offsets
        return starts[line - 1] + col

    def span(node: ast.AST) -> tuple[int, int]:
        return at(node.lineno, node.col_offset), at(node.end_lineno, node.end_col_offset)

    classes = {
        node.name: [
            t.id
            for s in node.body
            if isinstance(s, ast.Assign)
            for t in s.targets
            if isinstance(t, ast.Name) and t.id.isupper()
        ]
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    aliases = {
        s.targets[0].id: s.value.id
        for s in tree.body
        if isinstance(s, ast.Assign)
        and isinstance(s.value, ast.Name)
        and isinstance(s.targets[0], ast.Name)
    }
    text = source.decode()

    def members(name: str) -> list[str]:
        declared = classes.get(aliases.get(name, name))
        if declared:
            return declared
        return list(dict.fromkeys(re.findall(rf"\b{name}\.([A-Z][A-Z_]+)\b", text)))

    mutants: list[tuple[str, bytes]] = []

    def replace(node_span: tuple[int, int], new: bytes, what: str, line: int) -> None:
        start, end = node_span
        mutants.append((f"line {line}: {what}", source[:start] + new + source[end:]))

    def drop(elements: list[ast.AST], index: int, line: int) -> None:
        first, last = span(elements[index])
        if index + 1 < len(elements):
            start, end = first, span(elements[index + 1])[0]
        elif index > 0:
            start, end = span(elements[index - 1])[1], last
        else:
            start, end = first, last
        removed = source[first:last].decode().split("\n")[0][:60]
        mutants.append((f"line {line}: drop {removed}", source[:start] + source[end:]))

    # The values assigned at module level (an annotation is no rule: left alone).
    values = [s.value for s in tree.body if isinstance(s, ast.Assign | ast.AnnAssign) and s.value]
    for value in values:
        for node in ast.walk(value):
            line = getattr(node, "lineno", 0)
            if isinstance(node, ast.Set | ast.List | ast.Tuple) and isinstance(
                getattr(node, "ctx", ast.Load()), ast.Load
            ):
                if isinstance(node, ast.Tuple) and all(
                    isinstance(e, ast.Attribute) for e in node.elts
                ):
                    continue  # a (source, target) key: its statuses are swapped instead
                for i in range(len(node.elts)):
                    drop(node.elts, i, node.elts[i].lineno)
            elif isinstance(node, ast.Dict):
                entries = [k for k in node.keys if k is not None]
                for i in range(len(entries)):
                    first, value_end = span(entries[i])[0], span(node.values[i])[1]
                    if i + 1 < len(entries):
                        start, end = first, span(entries[i + 1])[0]
                    elif i > 0:
                        start, end = span(node.values[i - 1])[1], value_end
                    else:
                        start, end = first, value_end
                    removed = source[first:value_end].decode().split("\n")[0][:60]
                    mutants.append(
                        (f"line {entries[i].lineno}: drop {removed}", source[:start] + source[end:])
                    )
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.attr.isupper()
            ):
                kinds = members(node.value.id)
                if node.attr in kinds and len(kinds) > 1:
                    other = kinds[(kinds.index(node.attr) + 1) % len(kinds)]
                    replace(
                        span(node),
                        f"{node.value.id}.{other}".encode(),
                        f"{node.value.id}.{node.attr} → {node.value.id}.{other}",
                        line,
                    )
            elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
                replace(
                    span(node),
                    str(not node.value).encode(),
                    f"{node.value} → {not node.value}",
                    line,
                )
    return mutants


def _table_copy(name: str) -> Path:
    copy = WORK / name / "tables"
    shutil.rmtree(copy, ignore_errors=True)  # a fresh copy of today's code
    copy.mkdir(parents=True)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    for entry in ALSO:
        if not (copy / entry).exists():
            (copy / entry).symlink_to(ROOT / entry)
    return copy


def _tests_pass(copy: Path, tests: list[str]) -> bool:
    command = [
        "nice", "-n", "15", str(ROOT / ".venv/bin/python"), "-m", "pytest",
        "-x", "-q", "-p", "no:randomly", "-p", "tests.mutate", "--reuse-db", *tests,
    ]  # fmt: skip
    environment = {**_environment(), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(command, cwd=copy, env=environment, capture_output=True, check=False)
    return result.returncode == 0


def run_tables(name: str) -> Counter[str]:
    """Plant each table fault in turn; a fault no focused test fails survives."""
    (files,), tests = CORE[name]
    copy = _table_copy(name)
    original = (ROOT / files).read_bytes()
    target = copy / files
    results: dict[str, str] = {}
    try:
        target.write_bytes(original)
        if not _tests_pass(copy, tests):
            sys.exit(f"{name}: the focused tests fail on the unmutated module")
        for description, mutated in table_mutants(original):
            target.write_bytes(mutated)
            results[description] = "survived" if _tests_pass(copy, tests) else "killed"
            print(f"  {results[description]:<8} {files} {description}", flush=True)
    finally:
        target.write_bytes(original)
    (WORK / name / "tables.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return Counter(results.values())


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["--survivors"]:
        for name in arguments[1:]:
            survivors(name)
        return
    if arguments[:1] == ["--by-function"]:
        for name in arguments[1:]:
            by_function(name)
        return
    if "--one-session" in arguments:
        from tests.mutate_one_session import run_one_session

        at = arguments.index("--one-session")
        if at != 1 or arguments[0] not in CORE:
            sys.exit("usage: python -m tests.mutate <module> --one-session [<function>…]")
        counts = run_one_session(arguments[0], arguments[2:])
        killed = counts["killed"] + counts["error"] + counts["timeout"]
        print(f"\n{arguments[0]}: {killed} of {sum(counts.values())} killed, one session")
        return
    functions: list[str] = []
    if "--only" in arguments:
        at = arguments.index("--only")
        arguments, functions = arguments[:at], arguments[at + 1 :]
    names = arguments or list(CORE)
    unknown = [n for n in names if n not in CORE]
    if unknown:
        sys.exit(f"unknown module(s) {unknown}; known: {', '.join(CORE)}")
    if os.environ.get("MUTATE_FRESH_DB", "1") == "1":
        _fresh_database()
    results = {name: run(name, functions) for name in names}
    header = ("module", "killed", "survived", "no tests", "other", "score")
    print("\n{:<20} {:>7} {:>9} {:>9} {:>6} {:>7}".format(*header))
    for name, c in results.items():
        killed = c["killed"] + c["timeout"]
        other = sum(c.values()) - killed - c["survived"] - c["no tests"]
        print(
            f"{name:<20} {killed:>7} {c['survived']:>9} {c['no tests']:>9} {other:>6} "
            f"{score(c):>6.1f}%"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
