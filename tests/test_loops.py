"""Loops: the catalog against the rubrics, progress on disk across sittings and crashes, the debrief's read,
and the `loop` command as a user runs it."""

from __future__ import annotations

import json
import random
import subprocess

import pytest
from conftest import cli_env, interviewer_cmd

from interviewer.errors import EXIT_USAGE
from interviewer.loops.catalog import LOOPS, ROLES, availability, get_loop, role_rounds, stage_problems
from interviewer.loops.debrief import build
from interviewer.loops.progress import LoopFileError, StageStatus, find_run, load, start
from interviewer.loops.sittings import debrief, open_stage, round_problems, statuses
from interviewer.reports import export_debrief, render_debrief
from interviewer.resources import rubrics_dir
from interviewer.services import build_services

ANSWERS = ["I led the evaluation harness for four years; a 2% regression we missed once cost us a launch, so I "
           "gate every model on 50,000 held-out queries with confidence intervals.", "/done"]


def sit(run, services, answers=ANSWERS):
    """One sitting through the core API, the way plain mode drives it."""
    stage, session, transcript = open_stage(run, services, rng=random.Random(7))
    reply = session.open() if transcript is None else session.pending_answer(transcript)
    for answer in answers:
        if reply is not None and reply.finished:
            break
        reply = session.command(answer[1:]) if answer.startswith("/") else session.submit(answer)
    if session.engine.finished:
        session.scorecard()
    return stage, session


@pytest.fixture
def without_hm_screen(tmp_path):
    """Services over the shipped rubrics less the hiring-manager screen's round, so the MLE loop has a stage
    it cannot practise."""
    folder = tmp_path / "rubrics"
    folder.mkdir()
    for path in rubrics_dir().iterdir():
        if path.name != "ml-screen.yaml":
            (folder / path.name).symlink_to(path)
    return build_services(rubrics_folder=folder, transcripts_dir=tmp_path / "transcripts")


def test_every_available_stage_names_a_round_and_problem_the_rubrics_have(library):
    for loop in LOOPS.values():
        rounds = round_problems(library, loop)
        why = availability(loop, rounds)
        for stage in loop.stages:
            if not why[stage.id]:
                assert stage.round in rounds
                assert all(p in rounds[stage.round] for p in stage.problems), (loop.id, stage.id)
    mle = availability(LOOPS["mle"], round_problems(library, LOOPS["mle"]))
    assert all(why == "" for why in mle.values()), mle


def test_the_mle_take_home_discusses_the_ml_brief_and_software_loops_keep_theirs(library):
    work_trial = round_problems(library, LOOPS["mle"])["work-trial"]
    assert stage_problems(LOOPS["mle"].stage("take-home"), work_trial) == ["ml-eval-harness"]
    for loop_id in ("swe", "senior-swe"):
        software = stage_problems(LOOPS[loop_id].stage("work-trial"), work_trial)
        assert software and "ml-eval-harness" not in software


def test_the_senior_coding_and_design_stage_is_its_two_problems(library):
    """The real stage is one hour with two problems, refactoring included: a design problem built in gates and a
    refactoring problem, each its own sitting here, weighing together what the one stage weighs."""
    loop = LOOPS["senior-swe"]
    design, refactor = loop.stage("lld"), loop.stage("refactor")
    assert (design.round, refactor.round) == ("coding-lld", "coding-refactor")
    assert [s.id for s in loop.stages].index("refactor") == [s.id for s in loop.stages].index("lld") + 1
    assert design.weight + refactor.weight == 1.0
    assert all("60 min" in s.real_length for s in (design, refactor))
    assert availability(loop, round_problems(library, loop)) == {s.id: "" for s in loop.stages}


def test_a_loop_file_from_before_the_split_keeps_its_refactoring_session(tmp_path):
    run = start("senior-swe", "L5", tmp_path)
    data = json.loads(run.path.read_text())
    data["sessions"] = {"recruiter": "a.jsonl", "coding-lld": "b.jsonl"}
    run.path.write_text(json.dumps(data))
    assert load(run.path).sessions == {"recruiter": "a.jsonl", "refactor": "b.jsonl"}


def test_a_missing_round_or_problem_makes_the_stage_unavailable_not_replaced():
    loop = LOOPS["mle"]
    rounds = {"recruiter-screen": ["swe-generalist"], "ml-coding": ["attention"]}
    why = availability(loop, rounds)
    assert "none of mle-candidate" in why["recruiter"]
    assert why["ml-coding"] == ""
    assert "no `ml-system-design` round" in why["ml-design"]


def test_the_mle_role_reaches_every_mle_round_the_work_trial_included():
    known = ["coding", "ml-coding", "ml-system-design", "presentation", "behavioral", "recruiter-screen",
             "work-trial", "system-design"]
    order = role_rounds("mle", known)
    mle_rounds = [r for r in LOOPS["mle"].rounds() if r in known]
    assert order[:len(mle_rounds)] == mle_rounds and "work-trial" in mle_rounds
    assert sorted(order) == sorted(known)
    assert set(ROLES) == {"swe", "senior-swe", "mle"}


def test_unknown_loop_is_one_line_naming_the_choices():
    with pytest.raises(Exception) as error:
        get_loop("pm")
    assert "swe, senior-swe, mle" in str(error.value)


def test_loop_is_linked_before_the_first_question_and_resumes_after_a_crash(services):
    run = start("mle", None, services.settings.transcripts_dir)
    stage, session, transcript = open_stage(run, services, rng=random.Random(1))
    assert stage.id == "recruiter" and transcript is None
    # Linked on disk already, before anything was asked: a crash now loses nothing.
    assert json.loads(run.path.read_text())["sessions"] == {"recruiter": session.path.name}
    session.open()
    session.submit(ANSWERS[0])  # then the process dies: no end record
    again = load(run.path)
    [first, *_] = statuses(again, services.library)
    assert first.state == "in progress"
    stage, resumed, transcript = open_stage(again, services)
    assert resumed.path == session.path and transcript is not None and len(transcript.candidate_turns()) == 1


def test_sittings_walk_the_stages_in_order(services):
    run = start("mle", "L5", services.settings.transcripts_dir)
    sat = [sit(run, services)[0].id for _ in range(3)]
    assert sat == ["recruiter", "hm-screen", "ml-coding"]
    found = statuses(load(run.path), services.library)
    assert [s.state for s in found][:4] == ["complete", "complete", "complete", "not started"]


def test_sittings_skip_a_stage_whose_round_is_missing(without_hm_screen):
    services = without_hm_screen
    run = start("mle", "L6", services.settings.transcripts_dir)
    sat = [sit(run, services)[0].id for _ in range(3)]
    assert sat == ["recruiter", "ml-coding", "take-home"]
    found = statuses(load(run.path), services.library)
    assert [s.state for s in found][:4] == ["complete", "unavailable", "complete", "complete"]
    assert all(s.card is not None for s in found if s.state == "complete")


def test_debrief_reads_each_round_and_names_two_changes(without_hm_screen):
    services = without_hm_screen
    run = start("mle", "L5", services.settings.transcripts_dir)
    for _ in range(3):
        sit(run, services)
    result = debrief(run, services.library)
    read = result.read
    assert len(read) + sum(r.signal == "insufficient" for r in result.rounds) == 3
    for line in read:
        assert line.strongest is not None and line.weakest is not None
        assert line.strongest.score >= line.weakest.score
    assert result.provisional
    assert ("provisional: " in result.verdict) if read else result.verdict.startswith("No round has a level signal")
    assert len(result.changes) == 2
    short = [r for r in result.rounds if r.signal == "insufficient"]
    assert all(r.overall_level == "not_assessed" for r in short)
    data = result.to_json()
    assert data["target"] == "L5" and len(data["rounds"]) == len(LOOPS["mle"].stages)
    assert data["rounds"][1]["state"] == "unavailable" and data["rounds"][1]["level_signal"] is None
    markdown = render_debrief(result, "md")
    assert "| Hiring-manager screen: a model you built (x1.0) | - | unavailable |" in markdown
    html = render_debrief(result, "html")
    assert "<table>" in html and "not yet available" in html


def card(signal, *scores):
    dims = [{"id": f"d{i}", "title": f"Dim {i}", "level": "good" if s >= 40 else "below_bar", "score": s,
             "evidence": [{"turn": 2, "quote": f"quote {i} | with a pipe"}]} for i, s in enumerate(scores)]
    return {"round": "x", "problem": "p", "level_signal": signal, "overall": {"level": "good", "score": 50},
            "dimensions": dims}


def test_overall_is_the_weighted_read_rounded_down_on_a_tie_and_changes_rank_by_shift(tmp_path):
    run = start("senior-swe", "L5", tmp_path)
    states = {"recruiter": ("L6", 80, 90), "tech-screen": ("L5", 60, 70), "work-trial": ("L5", 55, 65),
              "lld": ("L5", 50, 62), "refactor": ("L5", 52, 60), "system-design": ("L4", 20, 50),
              "presentation": ("L5", 61, 66), "behavioral": ("L5", 45, 70)}
    found = [StageStatus(stage, None, "complete", card=card(s, a, b)) for stage, (s, a, b) in states.items()]
    result = build(run, found)
    # (0.5*6 + 5 + 5 + 0.5*5 + 0.5*5 + 2*4 + 1.5*5 + 5) / 8 = 4.81: nearest L5.
    assert result.overall == "L5" and round(result.weighted, 2) == 4.81
    assert result.changes[0].startswith("System design: read L4, needs L5. Its weakest line is Dim 0")
    assert len(result.changes) == 1  # only one round is below the target
    tie = build(run, [StageStatus("tech-screen", None, "complete", card=card("L4", 50)),
                      StageStatus("work-trial", None, "complete", card=card("L5", 60))])
    assert tie.overall == "L4"  # 4.5: committees level down on an even split
    assert "\\|" in render_debrief(result, "md")  # a pipe in a quote stays inside its cell


def test_every_round_at_target_aims_the_changes_one_level_up(tmp_path):
    run = start("swe", "L4", tmp_path)
    found = [StageStatus(s.id, None, "complete", card=card("L4", 45)) for s in LOOPS["swe"].stages]
    result = build(run, found)
    assert result.overall == "L4" and all("needs L5" in change for change in result.changes)


def test_at_the_top_level_an_unread_round_is_named_by_what_a_lower_read_would_do(tmp_path):
    run = start("mle", "L5", tmp_path)
    sat = ("recruiter", "hm-screen", "ml-coding")
    found = [StageStatus(s.id, None, "complete", card=card("L6", 85)) if s.id in sat else StageStatus(s.id, None, "not started")
             for s in LOOPS["mle"].stages]
    result = build(run, found)
    assert result.overall == "L6"
    # Sitting a round can't lift an L6 read; what it can do is pull it down, so that is what is said, heaviest first.
    assert result.changes[0].startswith("Sit ML system design") and "stays provisional" in result.changes[0]
    assert "at the target (L5)" in result.changes[0] and "from 6.00 to 6.00" not in " ".join(result.changes)


@pytest.mark.parametrize("text, field", [
    ("{", "not valid JSON"),
    ('{"type": "loop", "v": 1, "loop": "pm", "target": "L5"}', "field loop"),
    ('{"type": "loop", "v": 1, "loop": "mle", "target": "L9"}', "field target"),
    ('{"type": "loop", "v": 1, "loop": "mle", "target": "L5", "sessions": {"nope": "a.jsonl"}}', "field sessions"),
])
def test_a_damaged_loop_file_is_one_line_naming_the_field(tmp_path, text, field):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(LoopFileError) as error:
        load(path)
    assert field in error.value.message and "\n" not in error.value.message
    assert str(path) in error.value.message


def test_exports_write_every_format(services, tmp_path):
    run = start("swe", None, services.settings.transcripts_dir)
    sit(run, services)
    paths = export_debrief(debrief(run, services.library), tmp_path / "out")
    assert [p.suffix for p in paths] == [".md", ".html", ".json"]
    assert json.loads(paths[2].read_text())["loop"] == "swe"
    assert find_run(None, services.settings.transcripts_dir, "swe").path == run.path


def cli(args, tmp_path, stdin=""):
    return subprocess.run(interviewer_cmd() + args, input=stdin, capture_output=True, text=True,
                          env=cli_env(tmp_path), timeout=120, cwd=tmp_path)


def test_loop_command_across_sittings_ends_with_the_debrief(tmp_path):
    listing = cli(["loop", "list"], tmp_path)
    assert listing.returncode == 0 and "`ml-screen`" in listing.stdout
    answers = "\n".join(ANSWERS) + "\n"
    first = cli(["loop", "start", "mle", "--plain"], tmp_path, answers)
    assert first.returncode == 0, first.stderr
    assert "1 of 7 available rounds complete; next: Hiring-manager screen: a model you built" in first.stderr
    second = cli(["loop", "next", "--plain"], tmp_path, answers)
    assert "2 of 7 available rounds complete" in second.stderr
    status = cli(["loop", "status", "--json"], tmp_path)
    stages = json.loads(status.stdout)["stages"]
    assert [s["state"] for s in stages[:3]] == ["complete", "complete", "not started"]
    out = cli(["loop", "debrief", "--json"], tmp_path)
    assert json.loads(out.stdout)["overall"]["provisional"] is True
    assert "# Loop debrief: Machine learning engineer" in cli(["loop", "debrief"], tmp_path).stdout


def test_loop_command_bad_input_exits_2_with_one_line(tmp_path):
    result = cli(["loop", "next", "--plain"], tmp_path)
    assert result.returncode == EXIT_USAGE
    assert result.stderr.strip().count("\n") == 0 and "interviewer loop start" in result.stderr
    result = cli(["loop", "start", "pm", "--plain"], tmp_path)
    assert result.returncode == EXIT_USAGE and "no loop 'pm'" in result.stderr


def test_a_sitting_stopped_at_a_question_shows_that_question_when_it_resumes(tmp_path):
    # The first sitting stops with the interviewer's question unanswered (stdin ends there).
    first = cli(["loop", "start", "mle", "--plain"], tmp_path, "")
    assert first.returncode == 0, first.stderr
    asked = "Walk me through your background."
    assert asked in first.stdout
    resumed = cli(["loop", "next", "--plain"], tmp_path, "")
    assert resumed.returncode == 0, resumed.stderr
    assert "Interviewer (where we left off):" in resumed.stdout and asked in resumed.stdout
