"""`POST /api/v1/proceedings/{kind}/replay` (PROCEEDINGS.md): the state of a proceeding from its
steps; no storage touched. A state with `refused` set is still a 200 answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from nadzor import proceedings
from nadzor.services.context import Permission
from nadzor.web.routing import endpoint, json_body

router = APIRouter(prefix="/api/v1")


@endpoint(router, "POST", "/proceedings/{kind}/replay", Permission.SIGNED_IN, summary="Состояние производства",
          openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}})
async def replay(kind: str, request: Request) -> dict[str, Any]:
    """The input `{office_level, steps}`; the answer is the state: status, term, open deadlines,
    lateness and the refused step, if any (404 for an unknown kind, 422 for bad input)."""
    proceedings.get_kind(kind)
    data = await json_body(request)
    return await run_in_threadpool(proceedings.replay, kind, data)
