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

Surviving mutants that are equivalent (no test can tell them apart from the original) are listed,
with the reason, in docs/testing.md; the latest figures are in docs/architecture.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutate"

# name → (files to mutate, the focused tests that state the module's rules)
CORE: dict[str, tuple[list[str], list[str]]] = {
    "access": (["portal/access.py"], ["tests/portal/test_access.py"]),
    "campaigns-workflow": (["campaigns/workflow.py"], ["tests/campaigns/test_services.py"]),
    "pledges-workflow": (
        ["pledges/workflow.py"],
        ["tests/pledges/test_services.py", "tests/pledges/test_pinned_covenant_workflows.py"],
    ),
    "awards-workflow": (["awards/workflow.py"], ["tests/awards/test_nomination_table.py"]),
    "voting": (["awards/procedure/voting.py"], ["tests/awards/test_voting.py"]),
    "money": (["awards/rules/money.py"], ["tests/awards/test_money.py"]),
    "eligibility": (["awards/rules/eligibility/*"], ["tests/awards/test_eligibility.py"]),
    "numbering": (["portal/documents/numbering.py"], ["tests/portal/test_documents.py"]),
    "reminders": (["portal/background/reminders.py"], ["tests/portal/background/test_planner.py"]),
}

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
        "pytest_add_cli_args =\n    -p no:randomly\n    --reuse-db\n    -x\n    -q\n"
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


def run(name: str) -> Counter[str]:
    folder = _prepare(name)
    command = ["nice", "-n", "10", str(ROOT / ".venv/bin/mutmut"), "run", "--max-children", "1"]
    subprocess.run(command, cwd=folder, env=_environment(), check=False)
    return _counts(folder)


def survivors(name: str) -> None:
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


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["--survivors"]:
        for name in arguments[1:]:
            survivors(name)
        return
    names = arguments or list(CORE)
    unknown = [n for n in names if n not in CORE]
    if unknown:
        sys.exit(f"unknown module(s) {unknown}; known: {', '.join(CORE)}")
    results = {name: run(name) for name in names}
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
