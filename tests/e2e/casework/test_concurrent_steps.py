"""Issue 8 §6: concurrent step recording on the same check, against a real server process (uvicorn,
one worker) on SQLite and PostgreSQL. In each round several clients post a step to the same check
with the same version at once: exactly one is stored (201); every other answers 409
`version_conflict` (a 503 with Retry-After is retried with the same body); nothing acknowledged is
lost, nothing refused is stored, the stored state equals `replay`, each stored step has exactly one
audit row, and the audit chain verifies."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.casework.service import check_stored_equals_replay
from nadzor.domain.audit import AuditAction
from tests.e2e.casework.test_proceedings_api import HEAD, MEDEU, opened_check
from tests.e2e.infra.test_concurrency import _token
from tests.support.checks import resolution
from tests.support.server import running_server, server_env

CLIENTS = 6
ANSWER_WITHIN = 30.0
#: Each round: the step every client posts (distinguishable by a field where the step has one).
ROUNDS: tuple[dict[str, Any], ...] = (
    {"type": "registered", "date": "2021-08-02"},  # `number` set per client
    {"type": "started", "date": "2021-08-03"},
    {"type": "delivered", "date": "2021-08-04"},  # `acknowledged` varies per client
    {"type": "ended", "date": "2021-08-30"},
)


def _post_until_answered(client: httpx.Client, url: str, body: dict[str, Any]) -> tuple[int, Any]:
    """POST; a 503 (busy, Retry-After) is retried with the same body until another answer."""
    deadline = time.monotonic() + ANSWER_WITHIN
    while True:
        response = client.post(url, json=body)
        if response.status_code != 503:
            return response.status_code, response.json()
        assert response.headers.get("retry-after"), response.text
        assert time.monotonic() < deadline, "still busy"
        time.sleep(0.2)


def _step_rows(platform: Platform, check_id: int) -> int:
    with platform.read_only() as session:
        return int(session.execute(select(func.count()).select_from(audit_log).where(
            audit_log.c.action == AuditAction.PROCEEDING_STEP_RECORDED.value,
            audit_log.c.object_id == str(check_id))).scalar_one())


def _variant(step: dict[str, Any], n: int) -> dict[str, Any]:
    if step["type"] == "registered":
        return step | {"number": f"21-08-{n:04d}"}
    if step["type"] == "delivered":
        return step | {"acknowledged": n % 2 == 0}
    return dict(step)


def test_issue_8_concurrent_steps_on_one_check_one_wins_the_others_409_nothing_lost(
        demo: Platform, tmp_path: Path) -> None:
    with running_server(demo, tmp_path) as base:
        headers = _token(base, "almaty")  # the city's prosecutor: in scope, a head above Medeu (I.15)
        with httpx.Client(base_url=base, headers=headers, timeout=ANSWER_WITHIN) as c:
            medeu = next(o["id"] for o in c.get("/api/v1/offices").json() if o["code"] == MEDEU)
            head = next(p["id"] for p in c.get("/api/v1/people").json() if p["full_name"] == HEAD)
            made = c.post("/api/v1/checks", json={"office_id": medeu, "step": opened_check(),
                                                  "details": {"subject_name": "ГУ «Управление образования»"}})
            assert made.status_code == 201, made.text
            item = made.json()
            signed = c.post(f"/api/v1/checks/{item['id']}/steps", json={
                "version": item["version"], "details": resolution([head]),
                "step": {"type": "resolution_signed", "date": "2021-08-02", "signer_person_id": head,
                         "start_date": "2021-08-03", "end_date": "2021-09-01"}})
            assert signed.status_code == 201, signed.text
            item = signed.json()
        url = f"/api/v1/checks/{item['id']}/steps"
        winners: list[dict[str, Any]] = []
        for step in ROUNDS:
            version = item["version"]
            audited_before = _step_rows(demo, item["id"])
            barrier = threading.Barrier(CLIENTS)
            answers: list[tuple[int, Any, dict[str, Any]]] = []
            lock = threading.Lock()

            def post(n: int, posted: dict[str, Any], version: int = version,
                     barrier: threading.Barrier = barrier, answers: list[Any] = answers,
                     lock: threading.Lock = lock) -> None:
                with httpx.Client(base_url=base, headers=headers, timeout=ANSWER_WITHIN) as client:
                    barrier.wait(ANSWER_WITHIN)
                    status, body = _post_until_answered(client, url, {"version": version, "step": posted})
                with lock:
                    answers.append((status, body, posted))

            threads = [threading.Thread(target=post, args=(n, _variant(step, n)), daemon=True)
                       for n in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(ANSWER_WITHIN + 10)
                assert not t.is_alive(), "a client got no answer"
            statuses = sorted(status for status, _body, _posted in answers)
            assert statuses == [201] + [409] * (CLIENTS - 1), (step["type"], answers)
            assert all(body["code"] == "version_conflict" for status, body, _ in answers if status == 409)
            won = next((body, posted) for status, body, posted in answers if status == 201)
            winners.append(won[1])
            with httpx.Client(base_url=base, headers=headers, timeout=ANSWER_WITHIN) as c:
                item = c.get(f"/api/v1/checks/{item['id']}").json()
            assert item["version"] == version + 1  # exactly one stored
            assert item == won[0] | {"deadlines": item["deadlines"]}  # what the winner was told is what is stored
            stored = {k: v for k, v in item["steps"][-1].items() if k in won[1]}
            assert stored == won[1]  # the winner's own step, not a loser's
            assert _step_rows(demo, item["id"]) == audited_before + 1
        assert [s["type"] for s in item["steps"]] == ["opened", "resolution_signed", *(s["type"] for s in ROUNDS)]
        assert item["state"]["status"] == "ended"
    with demo.read_only() as session:
        assert check_stored_equals_replay(session, demo.calendar()) == []
    verify = subprocess.run([sys.executable, "-m", "nadzor.entrypoints.cli", "audit", "verify"],
                            env=server_env(demo, tmp_path), capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr
