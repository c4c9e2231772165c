"""The shipped rubric library, and how a broken rubric is reported."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from conftest import REPO, cli_env, interviewer_cmd

from interviewer.errors import RubricError
from interviewer.rubric import load_rubric_file
from interviewer.workbench import has_checks

ROUNDS = ["coding", "coding-refactor", "coding-lld", "system-design", "presentation", "behavioral", "work-trial",
          "recruiter-screen", "ml-system-design", "ml-coding", "ml-screen"]


@pytest.mark.parametrize("round_id", ROUNDS)
def test_every_round_has_what_a_rubric_needs(library, round_id):
    rubric = library.load(round_id).rubric
    assert rubric.duration_min > 0 and rubric.opening and rubric.wrap_up
    assert sum(p.budget_min for p in rubric.phases) <= rubric.duration_min
    assert all(getattr(rubric.levels, level) for level in ("L4", "L5", "L6"))
    assert len(rubric.vocabulary) >= 20
    for dimension in rubric.dimensions:
        assert dimension.below_bar and dimension.good and dimension.great
    for problem in rubric.problems:  # what great sounds like, written for each problem, never shared
        assert set(problem.great_examples) == {d.id for d in rubric.dimensions}
    examples = [e for p in rubric.problems for e in p.great_examples.values()]
    assert len(set(examples)) == len(examples)
    assert rubric.probe_bank


def test_coding_screen_has_the_five_progressive_problems(library):
    rubric = library.load("coding").rubric
    ids = {p.id for p in rubric.problems}
    assert ids >= {"kv-store", "lru-cache", "rate-limiter", "resumable-iterator", "time-based-kv"}
    for problem in rubric.problems:
        assert len(problem.gates) == 4
        for gate in problem.gates:
            assert gate.adds and gate.transition_probe and gate.pass_bar and gate.budget_min > 0
    kv = [g.title.lower() for g in rubric.problem("kv-store").gates]
    assert "ttl" in kv[1] and "concurren" in kv[2] and ("restart" in kv[3] or "persist" in kv[3])
    assert "2 gates" in rubric.pass_bar or "two gates" in rubric.pass_bar.lower()


def test_refactoring_round_hands_over_working_but_badly_designed_code(library):
    rubric = library.load("coding-refactor").rubric
    assert len(rubric.problems) >= 2
    for problem in rubric.problems:
        compile(problem.code, problem.id, "exec")  # it is real Python
        assert len(problem.expected_issues) >= 4


def test_design_round_hears_the_objects_before_any_gate_then_grows_by_checked_gates(library):
    rubric = library.load("coding-lld").rubric
    phases = [p.id for p in rubric.phases]
    assert phases.index("design") < phases.index("gates")
    design = next(p for p in rubric.phases if p.id == "design")
    assert "objects" in design.questions[0] and "state" in design.questions[1]
    assert len(rubric.problems) >= 2
    for problem in rubric.problems:
        assert len(problem.gates) == 4 and has_checks("coding-lld", problem.id)
        for gate in problem.gates:
            assert gate.adds and gate.transition_probe and gate.pass_bar and gate.hints


def test_system_design_problems_carry_requirements_probes_and_the_drill(library):
    rubric = library.load("system-design").rubric
    assert len(rubric.problems) >= 8
    ids = {p.id for p in rubric.problems}
    assert ids >= {"llm-playground", "streaming-chat", "gpu-batch-scheduler", "inference-serving", "api-platform",
                   "moderation-pipeline", "webhook-delivery", "async-job-api"}
    for problem in rubric.problems:
        assert problem.requirements and problem.deep_dives and problem.failure_probes and problem.reference_numbers
        assert [s.multiplier for s in problem.scale_drill] == ["10x", "100x", "1000x"]
    dims = {d.id for d in rubric.dimensions}
    assert dims >= {"scale_thinking", "full_stack_coverage", "technical_depth", "failure_modes", "design_elegance"}
    assert any(d.id == "ownership" for d in library.load("presentation").rubric.dimensions)


def test_behavioral_round_covers_the_safety_regression_scenario(library):
    text = yaml.safe_dump(library.load("behavioral").rubric.model_dump())
    assert "2%" in text and "ownership" in text.lower()


def _write(tmp_path, data: dict, name: str = "broken.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _valid(library) -> dict:
    return library.load("recruiter-screen").rubric.model_dump(mode="json", exclude_defaults=False)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["phases"][0].update(budget_minutes=5), "field phases.background.budget_minutes: unknown field"),
        (lambda d: d.pop("levels"), "field levels: required but missing"),
        (lambda d: d["dimensions"][0].update(signals=["vibes"]), "field dimensions.motivation_specificity.signals"),
        (lambda d: d.update(duration_min=10), "phase budgets add up to"),
    ],
    ids=["typo", "missing", "bad-signal", "over-budget"],
)
def test_a_broken_rubric_names_file_field_and_fix(tmp_path, library, mutate, message):
    data = _valid(library)
    data["id"] = "broken"
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(RubricError) as caught:
        load_rubric_file(path)
    text = str(caught.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


def test_a_checkpoint_cannot_be_prompted_by_an_earlier_follow_up(tmp_path, library):
    data = library.load("system-design").rubric.model_dump(mode="json")
    data["id"] = "broken"
    data["phases"][1]["expects"].append("scale")
    data["probe_bank"]["scale"] = ["What happens when this grows?"]
    with pytest.raises(RubricError, match="phases.high_level.expects lists 'scale'"):
        load_rubric_file(_write(tmp_path, data))


def test_yaml_syntax_error_and_id_mismatch(tmp_path, library):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nphases: [\n")
    with pytest.raises(RubricError, match=r"bad.yaml: line \d+"):
        load_rubric_file(bad)
    data = _valid(library)
    with pytest.raises(RubricError, match="file is named other.yaml"):
        load_rubric_file(_write(tmp_path, data, "other.yaml"))


def test_validate_cli_exits_2_with_one_line(tmp_path, library):
    data = _valid(library)
    data["id"] = "broken"
    data["problems"][0]["promt"] = "typo"
    path = _write(tmp_path, data)
    result = subprocess.run(interviewer_cmd() + ["rubrics", "--validate", str(path)], capture_output=True,
                            text=True, env=cli_env(tmp_path))
    assert result.returncode == 2
    assert "unknown field" in result.stderr and "promt" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_rubric_text_is_plain_english_without_template_syntax():
    for path in (REPO / "rubrics").glob("*.yaml"):
        text = path.read_text()
        assert "{{" not in text and "{%" not in text, path
