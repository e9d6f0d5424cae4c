"""A forking server that runs `noc-console` commands for the tests, already imported.

Starting the command line costs about a second of CPU, nearly all of it importing SQLAlchemy, Alembic,
the store and the engine; the test suite starts it hundreds of times. This server imports all that once
and forks for every command: each command still runs in a process of its own, with its own arguments,
environment, working directory, stdin (/dev/null), stdout and stderr (the caller's files, passed over
the socket) and exit code, and a caller may kill it on a timeout. `run_cli` in tests/cli/helpers.py is
the client; NOC_TEST_CLI_FORK=0 makes it start a fresh interpreter every time instead.

Protocol, over a Unix stream socket, one connection per command: the caller sends one JSON line
{"args", "env", "cwd"} with two file descriptors (stdout, stderr) attached; the server answers
{"pid": N} when the command has started and {"code": N} when it has ended (negative: killed by that
signal, as subprocess reports it).

Usage: python tests/cli/zygote.py SOCKET_PATH, with a pipe as stdin: it ends when the pipe closes.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import select
import socket
import sys
import threading
import time
from typing import Any

# What the command line imports for most commands, loaded once (the Qt window is not: `gui` and `wall`
# import it in their own process, as they would anyway).
PRELOAD = (
    "noc_console.cli",
    "noc_console.cli_calls",
    "noc_console.cli_maintenance",
    "noc_console.cli_metrics",
    "noc_console.cli_paging",
    "noc_console.cli_report",
    "noc_console.config",
    "noc_console.config_paging",
    "noc_console.engine.launch",
    "noc_console.engine.poller",
    "noc_console.engine.scheduler",
    "noc_console.sources",
    "noc_console.store",
    "noc_console.store.db",
    "noc_console.store.feed",
    "noc_console.store.repository",
    "alembic.command",
    "alembic.script",
    "alembic.runtime.migration",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    "requests",
)


def preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    from sqlalchemy.orm import configure_mappers

    configure_mappers()  # pure, in memory: the same in every command


def serve(path: str) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [], 1.0)
        reap()
        if sys.stdin in readable:  # the test session ended (or died): its pipe is closed
            return
        if listener not in readable:
            continue
        connection, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            try:
                monitor(connection)
            finally:
                os._exit(0)
        connection.close()


def reap() -> None:
    """Collect ended monitors, so that their CPU time (their commands') counts as this server's, and
    the test session's when it ends."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] != 0:
            pass


def monitor(connection: socket.socket) -> None:
    """Read one request, fork the command, report its pid and then its exit code."""
    request, fds = receive(connection)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        connection.close()
        run_command(request, fds)  # never returns
    for fd in fds:
        os.close(fd)
    connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    connection.sendall(json.dumps({"code": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
    connection.close()


def receive(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _, _ = socket.recv_fds(connection, 1 << 16, 2)
    while not data.endswith(b"\n"):
        more = connection.recv(1 << 16)
        if not more:
            raise SystemExit("the caller hung up before its request ended")
        data += more
    return json.loads(data), list(fds)


def run_command(request: dict[str, Any], fds: list[int]) -> None:
    """In the command's own process: become `noc-console ARGS` as a fresh process would, run, exit."""
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in (stdin, *fds):
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    sys.argv = ["noc-console", *request["args"]]
    code = 1
    try:
        from noc_console.cli import main

        code = exit_code(main(request["args"]))
    except SystemExit as exc:
        code = exit_code(exc.code)
    except BaseException:  # as the interpreter does: the traceback on stderr, status 1
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        finish(code)


def exit_code(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def finish(code: int) -> None:
    """What interpreter shutdown does that a command may rely on: wait for its non-daemon threads, run
    its atexit functions, flush its output."""
    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or broken stream: nothing to save
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    preload()
    serve(sys.argv[1])
