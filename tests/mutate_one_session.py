"""`python -m tests.mutate <module> --one-session <function>…`: every mutant of some functions
tested in ONE pytest session, instead of mutmut's one session a mutant.

Why: on the shared 2-core machine a mutmut session costs 15–60 s before its first test (the
fork, Django's set-up, the database), so a module of a thousand mutants takes most of a day.
mutmut's trampoline reads `MUTANT_UNDER_TEST` at each call of a mutated function, so one
session can switch mutants between tests: the tests run once per mutant, the set-up once.

What it does, in order:
1. mutmut generates the module's mutants (`var/mutate/<name>/mutants/`, as `make mutate` does;
   the tests are copied there again, so a test added since is used).
2. One pytest session in that copy, with this file as a plugin (`MUTATE_ONE_SESSION` names the
   plan): the focused tests run once un-mutated, with mutmut's "stats" mode recording which
   tests reach which function. Any failure there stops the run: no verdict is given against
   tests that fail anyway.
3. For each mutant of the chosen functions, the tests that reached its function (those that
   killed its function's earlier mutants first, latest first; then the exact table comparisons,
   then the narrowest) run with the mutant active, stopping at the
   first that fails. Verdicts: "killed" (a test's call failed), "error" (its set-up or
   teardown failed: a kill too, as in mutmut, where any non-zero exit is), "timeout" (the
   tests ran past 3 × their un-mutated time + 20 s: a kill, mutmut's rule), "survived", or
   "no tests" (no focused test reached the function: counted against, as in mutmut).
4. The verdicts are written into mutmut's own result files, so `--by-function` counts them and
   `--survivors` prints each survivor's diff (mutmut's `show`); this mode prints both.

A limit mutmut's forks do not have: a mutant that changes state living past a test (a module
global, a cache) could affect the mutants after it in the session. The eligibility rules keep
none; re-run a doubtful verdict the mutmut way (docs/testing.md, "Re-running one mutant").
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

PLAN = "MUTATE_ONE_SESSION"
EXIT_CODE = {"killed": 1, "error": 1, "timeout": 36, "survived": 0, "no tests": 33}

# mutmut's generation step alone (`mutmut run` would go on to run its stats and every mutant).
GENERATE = """
from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants
from mutmut.mutation.trampoline import set_mutant_under_test
set_mutant_under_test("mutant_generation")
copy_src_dir()
copy_also_copy_files()
create_mutants(1)
"""


class MutantTimeout(BaseException):
    """Raised in the running test when a mutant's tests overrun their budget; a BaseException so
    that code under test catching `Exception` cannot swallow it."""


def _function_of(mutant: str) -> str:
    """ "awards.….xǁCandidateǁis_for__mutmut_3" → "Candidate.is_for"."""
    return mutant.rsplit("__mutmut_", 1)[0].rsplit(".", 1)[-1][2:].replace("ǁ", ".")


def _mangled(mutant: str) -> str:
    from mutmut.utils.format_utils import mangled_name_from_mutant_name

    return mangled_name_from_mutant_name(mutant)


def _activate(name: str) -> None:
    from mutmut.mutation.trampoline import set_mutant_under_test

    set_mutant_under_test(name)


def _run_item(session: pytest.Session, item: pytest.Item) -> list[pytest.TestReport]:
    """One test, on its own: what it does not share with this test is torn down first, and its
    own function-scoped fixtures after it (the module's and the session's stay for the next)."""
    from _pytest.runner import runtestprotocol

    session._setupstate.teardown_exact(item)
    return runtestprotocol(item, log=False, nextitem=item.parent)


def _alarm(signum: int, frame: object) -> None:
    raise MutantTimeout


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> bool | None:
    if PLAN not in os.environ:
        return None
    if session.testsfailed:
        raise session.Interrupted("collection failed")
    from mutmut.state import state

    plan = json.loads(Path(os.environ[PLAN]).read_text())
    items = session.items
    write = session.config.get_terminal_writer().line

    # The un-mutated run, recording which tests reach which mutated function.
    _activate("stats")
    reaches: dict[str, list[pytest.Item]] = defaultdict(list)
    reach_count: dict[str, int] = {}
    seconds: dict[str, float] = {}
    failed = []
    for item in items:
        state()._stats.clear()
        start = time.monotonic()
        reports = _run_item(session, item)
        seconds[item.nodeid] = time.monotonic() - start
        failed += [r for r in reports if r.failed]
        for function in state()._stats:
            reaches[function].append(item)
        reach_count[item.nodeid] = len(state()._stats)
    _activate("")
    if failed:
        for report in failed:
            write(f"{report.nodeid} ({report.when}):\n{report.longreprtext}")
        write(f"one-session: {len(failed)} focused test(s) fail un-mutated; no verdict given")
        session.shouldfail = "un-mutated run failed"
        return True
    write(f"one-session: un-mutated run passed ({len(items)} tests, {sum(seconds.values()):.0f} s)")

    results: dict[str, dict[str, str]] = {}
    # The tests that killed earlier mutants of a function run first for its next ones (the
    # likeliest to fail first: a kill then costs one test, not many; the set run is the same).
    killers: dict[str, list[str]] = defaultdict(list)
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for mutant in plan["mutants"]:
            function = _mangled(mutant)

            def order(item: pytest.Item, function: str = function) -> tuple:
                recent = killers[function][::-1]
                rank = recent.index(item.nodeid) if item.nodeid in recent else len(recent)
                return (rank, "exactly" not in item.name, reach_count[item.nodeid])

            chosen = sorted(reaches.get(function, []), key=order)
            results[mutant] = {"verdict": "no tests" if not chosen else "survived", "test": ""}
            if not chosen:
                continue
            budget = 3 * sum(seconds[i.nodeid] for i in chosen) + 20
            _activate(mutant)
            signal.setitimer(signal.ITIMER_REAL, budget)
            try:
                for item in chosen:
                    bad = [r for r in _run_item(session, item) if r.failed]
                    if bad:
                        timed_out = any("MutantTimeout" in r.longreprtext for r in bad)
                        verdict = (
                            "timeout" if timed_out else {"call": "killed"}.get(bad[0].when, "error")
                        )
                        results[mutant] = {"verdict": verdict, "test": item.nodeid}
                        killers[function].append(item.nodeid)
                        break
            except MutantTimeout:  # between tests, outside pytest's own reporting
                results[mutant] = {"verdict": "timeout", "test": ""}
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                _activate("")
            write(f"  {results[mutant]['verdict']:<9} {mutant}  {results[mutant]['test']}")
            Path(plan["results"]).write_text(json.dumps(results, indent=1))
    finally:
        signal.signal(signal.SIGALRM, previous)
        session._setupstate.teardown_exact(None)
    return True


def _mutants(folder: Path, functions: list[str]) -> list[str]:
    names = []
    for meta in sorted((folder / "mutants").rglob("*.py.meta")):
        for key in json.loads(meta.read_text())["exit_code_by_key"]:
            function = _function_of(key)
            short = key.rsplit(".", 1)[-1]  # e.g. xǁCollectiveChecksǁcheck_caps__mutmut_13
            named = {function, function.split(".")[-1], key, short}
            if not functions or named & set(functions):
                names.append(key)
    return sorted(names, key=lambda k: (k.rsplit("__mutmut_", 1)[0], int(k.rsplit("_", 1)[1])))


def _record(folder: Path, results: dict[str, dict[str, str]]) -> None:
    """The verdicts into mutmut's own .meta files (its `results`, `show`, and `--by-function`)."""
    for meta in (folder / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        found = {
            k: EXIT_CODE[results[k]["verdict"]] for k in data["exit_code_by_key"] if k in results
        }
        if found:
            data["exit_code_by_key"].update(found)
            meta.write_text(json.dumps(data, indent=4))


def run_one_session(name: str, functions: list[str]) -> Counter[str]:
    """Generate `name`'s mutants, test those of `functions` (or mutants named in full, as
    mutmut names them, e.g. a survivor re-run after a test was added) in one pytest session,
    print the counts per function and each survivor's diff."""
    from tests import mutate

    folder = mutate._prepare(name)
    environment = mutate._environment()
    python = str(mutate.ROOT / ".venv/bin/python")
    subprocess.run(
        ["nice", "-n", "15", python, "-c", GENERATE], cwd=folder, env=environment, check=True
    )
    mutants = _mutants(folder, functions)
    if not mutants:
        sys.exit(f"no mutants of {functions} in {name}")
    plan, results_file = folder / "one-session-plan.json", folder / "one-session-results.json"
    if results_file.exists():  # a run cut short: the verdicts it reached are kept
        _record(folder, json.loads(results_file.read_text()))
        results_file.unlink()
    plan.write_text(json.dumps({"mutants": mutants, "results": str(results_file)}))
    command = [
        "nice", "-n", "15", python, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist",
        "-p", "tests.mutate", "-p", "tests.mutate_one_session", "--reuse-db", *mutate.CORE[name][1],
    ]  # fmt: skip
    subprocess.run(command, cwd=folder / "mutants", env={**environment, PLAN: str(plan)})
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    if len(results) < len(mutants):
        print(f"one-session: {len(results)} of {len(mutants)} mutants got a verdict")
    _record(folder, results)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for mutant, result in results.items():
        tally[_function_of(mutant)][result["verdict"]] += 1
    print(f"\n{'function':<44} killed/tried  (error, timeout among the killed)")
    for function, c in tally.items():
        killed = c["killed"] + c["error"] + c["timeout"]
        print(f"{function:<44} {killed:>4}/{sum(c.values()):<4}  ({c['error']}, {c['timeout']})")
    for mutant, result in results.items():
        if result["verdict"] in ("survived", "no tests"):
            shown = subprocess.run(
                [str(mutate.ROOT / ".venv/bin/mutmut"), "show", mutant],
                cwd=folder, env=environment, capture_output=True, text=True, check=False,
            )  # fmt: skip
            print(shown.stdout)
    return Counter(r["verdict"] for r in results.values())
