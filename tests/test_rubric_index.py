"""The rubric index: rounds listed without parsing a rubric seen before, edits seen at once (the key is
the file's content), and validation only when asked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, cli_env, interviewer_cmd

from interviewer.rubric import RubricLibrary

LIST_WITHOUT_YAML = """
import sys
from interviewer.rubric import RubricLibrary
rounds = RubricLibrary(sys.argv[1]).index()
print(len(rounds), "yaml" in sys.modules, "pydantic" in sys.modules)
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "rubrics"
    folder.mkdir()
    for name in ("coding.yaml", "behavioral.yaml"):
        shutil.copy(REPO / "rubrics" / name, folder / name)
    return folder


def test_index_matches_the_validated_rubrics(folder):
    library = RubricLibrary(folder)
    for info in library.index():
        rubric = library.load(info.id).rubric
        assert (info.title, info.duration_min, info.problems) == (rubric.title, rubric.duration_min,
                                                                 len(rubric.problems))


def test_a_warm_index_lists_rounds_without_parsing_yaml(folder, tmp_path):
    RubricLibrary(folder).index()  # fills the cache
    env = {**cli_env(tmp_path), "INTERVIEWER_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", LIST_WITHOUT_YAML, str(folder)], capture_output=True, text=True,
                            env=env, cwd=REPO)
    assert result.stdout.split() == ["2", "False", "False"], result.stderr


def test_an_edit_is_seen_even_with_the_same_size_and_time(folder):
    path = folder / "coding.yaml"
    RubricLibrary(folder).index()
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Technical screen", "title: Technical scrEEn", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the content differs
    titles = {r.id: r.title for r in RubricLibrary(folder).index()}
    assert titles["coding"].startswith("Technical scrEEn")


def test_listing_does_not_validate_but_check_does(folder, tmp_path):
    broken = folder / "broken.yaml"
    broken.write_text("id: broken\ntitle: Broken round\nduration_min: 30\nphases: nope\n", encoding="utf-8")
    env = cli_env(tmp_path)
    listed = subprocess.run(interviewer_cmd() + ["rubrics"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert listed.returncode == 0 and "coding" in listed.stdout
    checked = subprocess.run(interviewer_cmd() + ["rubrics", "--validate", str(folder)], capture_output=True,
                             text=True, env=env, cwd=tmp_path)
    assert checked.returncode == 2
    assert len(checked.stderr.strip().splitlines()) == 1 and "broken.yaml" in checked.stderr


def test_check_validates_the_shipped_rubrics(tmp_path):
    result = subprocess.run(interviewer_cmd() + ["rubrics", "--check"], capture_output=True, text=True,
                            env=cli_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.count("ok ") == 11


def test_a_corrupt_cache_is_rebuilt(folder, tmp_path):
    RubricLibrary(folder).index()
    for path in (tmp_path / "cache").iterdir():
        path.write_text("{not json", encoding="utf-8")
    assert {r.id for r in RubricLibrary(folder).index()} == {"coding", "behavioral"}
    assert RubricLibrary(folder).load("coding").rubric.id == "coding"
