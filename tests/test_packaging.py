"""The wheel carries rubrics and prompts, and works from a fresh venv outside the repo."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(REPO)], check=True, capture_output=True, text=True)
    [built] = list(out.glob("interviewer_coach-*.whl"))
    return str(built)


def test_the_distribution_has_a_name_of_its_own_and_says_what_it_is(wheel):
    """`interviewer` on the package index is someone else's project: ours is interviewer-coach,
    while the command and the import package stay `interviewer`."""
    archive = zipfile.ZipFile(wheel)
    [metadata] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    text = archive.read(metadata).decode()
    assert "\nName: interviewer-coach\n" in text
    assert "Classifier: Environment :: Console" in text and "Classifier: License :: OSI Approved :: MIT License" in text
    [entry_points] = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "interviewer = interviewer.cli:main" in archive.read(entry_points).decode()


def test_wheel_contains_rubrics_and_prompts(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    rubrics = {n.rsplit("/", 1)[-1] for n in names if n.startswith("interviewer/_data/rubrics/") and n.endswith(".yaml")}
    shipped = {p.name for p in (REPO / "rubrics").glob("*.yaml")}
    assert rubrics == shipped
    assert "interviewer/_data/prompts/offline/move.j2" in names
    assert not any(n.startswith("tests/") for n in names)


def test_fresh_venv_outside_the_repo_runs_an_interview(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", wheel], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["INTERVIEWER_TRANSCRIPTS_DIR"] = str(tmp_path / "saved")
    env["INTERVIEWER_CONFIG"] = str(tmp_path / "none.toml")
    exe = str(env_dir / "bin" / "interviewer")
    where = subprocess.run([str(python), "-c", "import interviewer, sys; print(interviewer.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert str(env_dir) in where.stdout  # the installed copy, not the checkout
    listing = subprocess.run([exe, "rubrics"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert listing.returncode == 0, listing.stderr
    assert {"system-design", "coding", "behavioral", "ml-coding"} <= {l.split()[0] for l in listing.stdout.splitlines()}
    session = subprocess.run(
        [exe, "practice", "system-design", "--plain"], cwd=tmp_path, env=env, capture_output=True, text=True,
        input="I'd assume 20k concurrent streams at peak, about 1,400 requests per second.\n/quit\n", timeout=120,
    )
    assert session.returncode == 0, session.stderr
    assert "# Scorecard: system-design" in session.stdout
    assert list((tmp_path / "saved").glob("*.jsonl"))
