"""Worker processes replaying a calendar change's chunks on the other CPUs (issue 8 §7).

Each worker is a fresh interpreter, `python -m nadzor.infra.replay_workers`, importing only the
pure kernel: nothing of the calling process — its database connections, its threads, its `__main__`
— is inherited or imported again. It reads pickled frames on its standard input (the calendar once,
then chunks of stored proceedings) and answers each chunk with `nadzor.proceedings.restated` of it
on its standard output, in order. The caller reads and writes the database itself, in its own
transaction; the workers only replay.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import IO, Any

import nadzor
from nadzor.domain.calendar import WorkingCalendar
from nadzor.proceedings import Moved, Stored

_PROTOCOL = pickle.HIGHEST_PROTOCOL


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class WorkerFailed(RuntimeError):
    """A worker process could not replay a chunk (its traceback in the message) or ended."""


class ReplayWorkers:
    """`count` worker processes replaying chunks on `calendar`; a context manager that ends them (their
    input closed, waited for, killed after `grace` seconds) whatever way the block ends.

    A worker holds one chunk at a time (so neither side ever waits on a full pipe the other is not
    reading): submitting to one still busy first reads its answer."""

    def __init__(self, count: int, calendar: WorkingCalendar, *, grace: float = 10.0) -> None:
        root = str(Path(nadzor.__file__).resolve().parents[1])  # the worker imports this same package
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH")))))
        self._calendar = calendar
        self._grace = grace
        self._submitted = 0
        self._processes: list[subprocess.Popen[bytes]] = []
        self._sent_calendar: list[bool] = []
        self._holding: list[int | None] = []  # the chunk (its number) each worker holds
        self._answers: dict[int, list[Moved]] = {}  # answers read before they were asked for
        try:
            for _ in range(count):
                self._processes.append(subprocess.Popen(  # noqa: S603  (this interpreter, a fixed module)
                    [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env))
                self._sent_calendar.append(False)
                self._holding.append(None)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> ReplayWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, chunk: list[Stored]) -> Callable[[], list[Moved]]:
        """Send `chunk` to the next worker in turn; the function returning its answer (read when asked)."""
        n = self._submitted
        self._submitted += 1
        i = n % len(self._processes)
        self._collect(i)
        process = self._processes[i]
        stdin: IO[bytes] = process.stdin  # type: ignore[assignment]
        try:
            if not self._sent_calendar[i]:
                pickle.dump(self._calendar, stdin, _PROTOCOL)
                self._sent_calendar[i] = True
            pickle.dump(chunk, stdin, _PROTOCOL)
            stdin.flush()
        except BrokenPipeError:
            raise WorkerFailed(f"процесс пересчёта завершился (код {process.wait()})") from None
        self._holding[i] = n
        return partial(self._answer, n)

    def _answer(self, n: int) -> list[Moved]:
        if n not in self._answers:
            self._collect(n % len(self._processes))
        return self._answers.pop(n)

    def _collect(self, i: int) -> None:
        """Read worker `i`'s answer to the chunk it holds, if it holds one."""
        n = self._holding[i]
        if n is None:
            return
        self._holding[i] = None
        process = self._processes[i]
        try:
            ok, value = pickle.load(process.stdout)  # type: ignore[arg-type]  # noqa: S301  (our own worker)
        except EOFError:
            raise WorkerFailed(f"процесс пересчёта завершился (код {process.wait()})") from None
        if not ok:
            raise WorkerFailed(f"процесс пересчёта не смог пересчитать часть:\n{value}")
        self._answers[n] = value

    def close(self) -> None:
        for process in self._processes:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):  # a worker gone mid-write: nothing more to flush
                        stream.close()
        for process in self._processes:
            try:
                process.wait(self._grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @property
    def processes(self) -> tuple[subprocess.Popen[bytes], ...]:
        return tuple(self._processes)


def _serve() -> None:
    """The worker: the calendar, then chunk after chunk until its input ends."""
    import gc
    import signal
    import traceback

    from nadzor.proceedings import restated

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller ends it (a Ctrl-C reaches the whole group)
    gc.set_threshold(100_000, *gc.get_threshold()[1:])  # a chunk's states live until answered
    source = sys.stdin.buffer
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print goes to stderr, not into the answers
    try:
        calendar: Any = pickle.load(source)  # noqa: S301  (from the process that started this one)
        while True:
            chunk = pickle.load(source)  # noqa: S301
            try:
                answer: tuple[bool, Any] = (True, restated(chunk, calendar))
            except Exception:
                answer = (False, traceback.format_exc())
            pickle.dump(answer, out, _PROTOCOL)
            out.flush()
    except (EOFError, BrokenPipeError):  # the caller closed its end: done
        return


if __name__ == "__main__":
    _serve()
