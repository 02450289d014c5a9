"""`python -m tests.mutate <module> --one-session`: the parts that decide what is tested and what
is recorded, without running a mutant (CI runs no mutation, docs/testing.md)."""

from __future__ import annotations

import json

from tests import mutate_one_session as one

CHAIN = "awards.rules.eligibility.prerequisites.xǁPrerequisiteChecksǁeval_chain__mutmut_"
SPAN = "awards.rules.eligibility.candidate.x_year_span__mutmut_"


def test_a_mutant_names_its_function_as_by_function_does():
    assert one._function_of(CHAIN + "9") == "PrerequisiteChecks.eval_chain"
    assert one._function_of(SPAN + "1") == "year_span"


def _meta(tmp_path, keys):
    meta = tmp_path / "mutants" / "awards" / "rules" / "x.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": dict.fromkeys(keys), "other": 1}))
    return meta


def test_the_mutants_chosen_are_those_of_the_functions_named_in_their_order(tmp_path):
    _meta(tmp_path, [CHAIN + "10", CHAIN + "9", SPAN + "1"])
    assert one._mutants(tmp_path, ["eval_chain"]) == [CHAIN + "9", CHAIN + "10"]
    assert one._mutants(tmp_path, ["PrerequisiteChecks.eval_chain"]) == [CHAIN + "9", CHAIN + "10"]
    assert one._mutants(tmp_path, ["year_span"]) == [SPAN + "1"]
    assert one._mutants(tmp_path, [CHAIN + "10", "x_year_span__mutmut_1"]) == [
        SPAN + "1", CHAIN + "10"
    ]  # fmt: skip
    assert one._mutants(tmp_path, []) == [SPAN + "1", CHAIN + "9", CHAIN + "10"]


def test_the_verdicts_go_into_mutmuts_result_file_with_its_exit_codes(tmp_path):
    """Killed, an error and a timeout are kills (1, 1, 36), a survivor 0, no test 33; a mutant
    given no verdict keeps what mutmut had, and the rest of the file is left alone."""
    keys = [CHAIN + str(n) for n in range(1, 7)]
    meta = _meta(tmp_path, keys)
    verdicts = ["killed", "error", "timeout", "survived", "no tests"]
    pairs = zip(keys[:5], verdicts, strict=True)
    given = {key: {"verdict": verdict, "test": ""} for key, verdict in pairs}
    one._record(tmp_path, given)
    data = json.loads(meta.read_text())
    assert list(data["exit_code_by_key"].values()) == [1, 1, 36, 0, 33, None]
    assert data["other"] == 1
    from mutmut.stats import status_by_exit_code

    assert [status_by_exit_code[c] for c in (1, 36, 0, 33)] == [
        "killed", "timeout", "survived", "no tests"
    ]  # fmt: skip


def test_a_session_without_the_plan_runs_its_tests_as_usual(monkeypatch):
    monkeypatch.delenv(one.PLAN, raising=False)
    assert one.pytest_runtestloop(session=None) is None
