"""Benchmark of the HTTP API against a bare FastAPI app (issue 7 §7; run on demand, not in the suite).

    .venv/bin/python bench/api.py [--seconds 4] [--rounds 3] [--connections 16] [--backend sqlite|postgresql]

It builds a demo database (SQLite in a temporary folder, or a PostgreSQL database made and dropped
here, admin connection from NADZOR_TEST_PG as in the tests), then serves, one after the other and
under the same server settings (uvicorn, one worker, the same event loop and HTTP implementation,
no access log):

* Nadzor's app (`nadzor.web.app.create_app`), and
* a bare FastAPI app with the same two routes: a plain `def` evaluation endpoint that takes the JSON
  body and answers with the very bytes Nadzor answers, and a plain `def` list endpoint answering the
  same list of people.

A keep-alive load generator (asyncio, `--connections` connections) measures requests per second of

* `POST /api/v1/rules/calendar.add_working_days/evaluate` as an anonymous caller (the public calculator), and
* `GET /api/v1/people` with the bearer token of a non-admin user (scope by office applies),

in `--rounds` alternating rounds (bare, Nadzor, bare, Nadzor…), keeping the best round of each, and
`GET /api/v1/rules` (the whole rule catalogue) once. Target: evaluation ≥ 0.5× the bare app.
The last line is `api_ratio=<x>` (evaluation, Nadzor / bare).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/calendar.py would shadow the standard library's `calendar` for a script run from this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from typing import Any

EVALUATE = "/api/v1/rules/calendar.add_working_days/evaluate"
EVALUATE_BODY = json.dumps({"from": "2026-11-13", "days": 10}).encode()
PEOPLE = "/api/v1/people"
CATALOGUE = "/api/v1/rules"
#: A non-admin demo user (Karaganda regional office: its subtree is in scope).
USER = "karaganda"
PG_ADMIN = os.environ.get("NADZOR_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
SECRET = "bench-secret-key-that-is-long-enough-1234"


# ------------------------------------------------------------------------------ the servers


def _settings(url: str, folder: Path) -> Any:
    from nadzor.settings import Settings

    return Settings(data_dir=folder, calendar_file=folder / "no-calendar-file.csv", database_url=url,
                    environment="development", secret_key=SECRET, password_hashing="fast", audit_secret="")


def _uvicorn(app: Any, port: int) -> None:
    """The one server setting both apps run under."""
    import uvicorn

    uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, workers=1, loop="asyncio", http="h11",
                                  lifespan="off", log_level="warning", access_log=False)).run()


def serve_nadzor(url: str, folder: Path, port: int) -> None:
    from nadzor.bootstrap import create_platform
    from nadzor.web.app import create_app

    _uvicorn(create_app(create_platform(_settings(url, folder), migrate=False)), port)


def serve_bare(answers: Path, port: int) -> None:
    """The bare app: the same routes, the same answers, nothing else."""
    from fastapi import Body, FastAPI
    from fastapi.responses import Response

    known = json.loads(answers.read_text(encoding="utf-8"))
    evaluated, people = known["evaluate"].encode(), known["people"].encode()
    app = FastAPI()

    @app.post("/api/v1/rules/{rule_id}/evaluate")
    def evaluate(rule_id: str, data: dict[str, Any] = Body(...)) -> Response:  # noqa: B008
        return Response(evaluated, media_type="application/json")

    @app.get("/api/v1/people")
    def list_people() -> Response:
        return Response(people, media_type="application/json")

    @app.get("/api/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    _uvicorn(app, port)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One server process of this script (`--serve …`), started and stopped here."""

    def __init__(self, *args: str) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", *args, "--port", str(self.port)])
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v1/health", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server {args[0]} did not start") from None
                time.sleep(0.2)

    def get(self, path: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> bytes:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, headers={
            **(headers or {}), **({"content-type": "application/json"} if data else {})})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return bytes(answer.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# ------------------------------------------------------------------------------ the load


def _request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "host: 127.0.0.1", f"content-length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _connection(port: int, raw: bytes, until: float, counts: list[int], statuses: set[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < until:
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            statuses.add(int(head[9:12]))
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            counts[0] += 1
    finally:
        writer.close()


def load(port: int, raw: bytes, seconds: float, connections: int) -> float:
    """Requests per second over `seconds` (after a short warm-up) on `connections` keep-alive connections."""

    async def run(duration: float) -> tuple[int, set[int]]:
        counts, statuses = [0], set()
        until = time.monotonic() + duration
        await asyncio.gather(*(_connection(port, raw, until, counts, statuses) for _ in range(connections)))
        return counts[0], statuses

    asyncio.run(run(0.5))
    started = time.monotonic()
    done, statuses = asyncio.run(run(seconds))
    if statuses != {200}:
        raise SystemExit(f"unexpected statuses {sorted(statuses)}")
    return done / (time.monotonic() - started)


# ------------------------------------------------------------------------------ the database


def _database(backend: str, folder: Path) -> tuple[str, str]:
    """A migrated demo database: (its URL, the PostgreSQL database's name or "")."""
    from nadzor.infra.db.migrate import upgrade

    if backend == "sqlite":
        url, name = f"sqlite:///{folder / 'nadzor.sqlite3'}", ""
    else:
        import psycopg

        name = f"nadzor_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        params = dict(p.split("=", 1) for p in PG_ADMIN.split())
        url = (f"postgresql+psycopg://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:"
               f"{params.get('port', '5432')}/{name}")
    upgrade(url)
    from nadzor.bootstrap import Platform
    from nadzor.demo import load_demo
    from nadzor.infra.context import cli_actor

    platform = Platform(_settings(url, folder), _engine(url))
    with platform.transaction() as session:
        load_demo(session, actor=cli_actor(), passwords=platform.passwords, today=platform.today(),
                  calendar=platform.calendar(), proceedings=False)
    platform.dispose()
    return url, name


def _engine(url: str) -> Any:
    from nadzor.infra.db.engine import make_engine

    return make_engine(url)


def _drop(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "  # type: ignore[arg-type]
                     "AND pid <> pg_backend_pid()")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--serve", nargs="*")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.serve:
        kind, *rest = args.serve
        if kind == "nadzor":
            serve_nadzor(rest[0], Path(rest[1]), args.port)
        else:
            serve_bare(Path(rest[0]), args.port)
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url, name = _database(args.backend, folder)
        try:
            ours = Server("nadzor", url, str(folder))
            try:
                password = {"karaganda": "karaganda-demo-2026"}[USER]
                token = json.loads(ours.get("/api/v1/auth/token", data=json.dumps(
                    {"login": USER, "password": password}).encode()))["token"]
                auth = {"authorization": f"Bearer {token}"}
                answers = {"evaluate": ours.get(EVALUATE, data=EVALUATE_BODY).decode(),
                           "people": ours.get(PEOPLE, auth).decode()}
                started = time.perf_counter()
                catalogue = ours.get(CATALOGUE)
                first_catalogue = time.perf_counter() - started
                started = time.perf_counter()
                for _ in range(20):
                    ours.get(CATALOGUE)
                catalogue_rps = 20 / (time.perf_counter() - started)
            finally:
                ours.stop()
            (folder / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
            evaluate = _request("POST", EVALUATE, {"content-type": "application/json"}, EVALUATE_BODY)
            people = _request("GET", PEOPLE, auth)
            best: dict[tuple[str, str], float] = {}
            for _round in range(args.rounds):
                for kind, server_args in (("bare", ("bare", str(folder / "answers.json"))),
                                          ("nadzor", ("nadzor", url, str(folder)))):
                    server = Server(*server_args)
                    try:
                        for what, raw in (("evaluate", evaluate), ("people", people)):
                            rps = load(server.port, raw, args.seconds, args.connections)
                            best[(kind, what)] = max(best.get((kind, what), 0.0), rps)
                    finally:
                        server.stop()
        finally:
            if name:
                _drop(name)
    print(f"backend={args.backend} connections={args.connections} rounds={args.rounds} seconds={args.seconds}")
    print(f"catalogue_bytes={len(catalogue)} catalogue_first_ms={first_catalogue * 1000:.1f} "
          f"catalogue_rps={catalogue_rps:.0f}")
    for what in ("evaluate", "people"):
        print(f"{what}: bare_rps={best[('bare', what)]:.0f} nadzor_rps={best[('nadzor', what)]:.0f} "
              f"ratio={best[('nadzor', what)] / best[('bare', what)]:.2f}")
    print(f"api_ratio={best[('nadzor', 'evaluate')] / best[('bare', 'evaluate')]:.2f}")


if __name__ == "__main__":
    main()
