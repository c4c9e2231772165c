"""Where this program keeps things, per user (platformdirs), whatever folder it is started in.

- settings: `config.toml` in the user config folder (`INTERVIEWER_CONFIG` names another file);
- sessions: `sessions/` in the user data folder (`transcripts_dir`, `INTERVIEWER_TRANSCRIPTS_DIR`,
  `--transcripts-dir`);
- logs: `interviewer.log` in the user log folder;
- state the app keeps for itself (the chosen theme, which old folders were offered for import):
  `state.json` in the user state folder;
- derived data that can be rebuilt at any time: the user cache folder (`interviewer.cache`).

On Linux these follow the XDG variables (`XDG_CONFIG_HOME`, `XDG_DATA_HOME`, `XDG_STATE_HOME`).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "interviewer"
LEGACY_SESSIONS = Path("transcripts")  # where versions before 0.2 saved sessions: under the current folder


def config_file() -> Path:
    override = os.environ.get("INTERVIEWER_CONFIG")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP) / "config.toml"


def default_sessions_dir() -> Path:
    return platformdirs.user_data_path(APP) / "sessions"


def log_file() -> Path:
    return platformdirs.user_log_path(APP) / "interviewer.log"


def state_file() -> Path:
    return platformdirs.user_state_path(APP) / "state.json"
