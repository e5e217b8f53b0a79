"""The sandbox contract file `$DATA_DIR/sandbox.json`: where the running sandbox servers listen.

`python -m sandbox` writes it (atomically: a temporary file renamed over it) and removes it on
exit; `read_sandbox_file` trusts it only while the process that wrote it is alive, so a file left
behind by a killed runner is never mistaken for running servers.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SANDBOX_FILE = "sandbox.json"


def sandbox_file(data_dir: Path) -> Path:
    return data_dir / SANDBOX_FILE


def is_pid_alive(pid: int) -> bool:
    """Tell whether a process with this id exists (signal 0 checks without sending anything)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def write_sandbox_file(data_dir: Path, content: Mapping[str, Any]) -> Path:
    """Write the file atomically, so a reader never sees half of it; create `data_dir` if needed."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = sandbox_file(data_dir)
    fd, tmp_name = tempfile.mkstemp(dir=data_dir, prefix=".sandbox.", suffix=".json.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as tmp:
            json.dump(dict(content), tmp, indent=2)
            tmp.write("\n")
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def read_sandbox_file(data_dir: Path) -> dict[str, Any] | None:
    """Return the parsed file if it exists, is valid and its writer's pid is alive; else None."""
    try:
        content = json.loads(sandbox_file(data_dir).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if not isinstance(content, dict):
        return None
    pid = content.get("pid")
    if not isinstance(pid, int) or not is_pid_alive(pid):
        return None
    return content


def remove_sandbox_file(data_dir: Path, pid: int) -> None:
    """Remove the file if `pid` wrote it; a newer runner's file is left alone."""
    target = sandbox_file(data_dir)
    try:
        content = json.loads(target.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return
    if isinstance(content, dict) and content.get("pid") == pid:
        target.unlink(missing_ok=True)
