"""Emulator processes forked from a process that has imported the emulator once.

``python -m emulator`` spends about a second importing FastAPI, SQLAlchemy, pydantic and the CRM before it
opens its database, and the kill probes start it twice per test. The launcher
(``python -m tests.reliability.emulator_launcher``, one per pytest worker) imports ``emulator.__main__``
once; for each start it forks a child that runs the same ``main()`` with the command line and environment
the probe gives. The child is a process of its own (its own pid, memory, sockets and database
connections) that a ``kill -9`` ends as it would end ``python -m emulator``; nothing of it survives but
its database. The launcher itself never runs the CRM: it starts no thread and opens no connection or
file a child could inherit, and it checks so before each fork.

One difference from a fresh interpreter: what a module reads from the environment when it is imported
comes from the launcher's environment, which is the probe's own (``python -m emulator`` started by the
probe would get the same); the settings a probe sets per process (``DATABASE_URL``, ``CRM_DATA_DIR``, the
provider URLs, ``CRM_SCHEDULER_LOOP``) are read by ``main()`` when it runs.

The protocol is one JSON object per line: ``{"start": [args, env]}`` answers ``{"pid": ...}``;
``{"wait": pid}`` waits for that child to end and answers ``{"code": ...}`` (negative: the signal).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]


class Launcher:
    """The launcher process of this pytest worker, and the emulator processes it forks."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.emulator_launcher"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def start(self, args: list[str], env: dict[str, str]) -> int:
        """``python -m emulator <args>`` with exactly ``env``: the new process's pid."""
        return int(self._ask({"start": [args, env]})["pid"])

    def kill(self, pid: int) -> int:
        """``kill -9`` the emulator process and wait until it is gone: its exit code (-9)."""
        os.kill(pid, signal.SIGKILL)
        return int(self._ask({"wait": pid})["code"])

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the emulator launcher ended (exit code {self._process.wait(timeout=10)})")
        answer: dict[str, Any] = json.loads(line)
        return answer


def _fork(main: Callable[[], None], args: list[str], env: dict[str, str], out: IO[str]) -> int:
    """A child running ``main()`` as ``python -m emulator <args>`` would; the child's pid."""
    if threading.active_count() != 1:  # a thread would be copied half-way through whatever it was doing
        raise RuntimeError(f"the launcher must not run threads: {threading.enumerate()}")
    out.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_RDWR)  # as the probes start it: no input, output discarded
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = ["emulator", *args]
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os._exit(code)


def serve() -> None:
    from emulator.__main__ import main

    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        if "start" in request:
            args, env = request["start"]
            answer = {"pid": _fork(main, args, env, out)}
        else:
            _, status = os.waitpid(int(request["wait"]), 0)
            answer = {"code": os.waitstatus_to_exitcode(status)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    serve()
