"""A real server process for tests that need one: uvicorn, one worker, on a free loopback port,
on a database the fixtures made (a copy of the demo database)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from nadzor.bootstrap import Platform


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(platform: Platform, data_dir: Path) -> dict[str, str]:
    settings = platform.settings
    return {**os.environ, "DATABASE_URL": settings.database_url, "NADZOR_DATA_DIR": str(data_dir),
            "NADZOR_CALENDAR_FILE": str(settings.calendar_file), "NADZOR_SECRET_KEY": settings.secret_key,
            "NADZOR_ENV": "test", "NADZOR_PASSWORD_HASHING": "fast"}


@contextmanager
def running_server(platform: Platform, data_dir: Path, *, start_within: float = 60.0) -> Iterator[str]:
    """Start the server on the platform's database; yields its base URL. On leaving, the server
    must stop on SIGTERM within ten seconds (a server wedged by a request does not)."""
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "nadzor.web.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--log-level", "warning"],
        env=server_env(platform, data_dir), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_within
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server exited: {(data_dir / 'server.log').read_text()}")
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the server did not start")
            time.sleep(0.1)
        yield base
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError("the server did not stop on SIGTERM within 10 s") from exc
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
