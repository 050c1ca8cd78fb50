"""The rules over HTTP (public): the catalogue, one rule, its evaluation (RULES.md's contract)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic_core import to_json

from nadzor import rules
from nadzor.infra.context import Permission
from nadzor.rulebook import catalogue as rule_catalogue
from nadzor.rulebook.schemas import RuleOut
from nadzor.rulebook.search import search
from nadzor.web.api import json_answer
from nadzor.web.routing import JSON, endpoint
from nadzor.web.schemas import EvaluationOut
from nadzor.web.security import platform

router = APIRouter(prefix="/api/v1")
P = Permission

@endpoint(router, "GET", "/rules", P.PUBLIC, summary="Каталог правил", response_model=list[RuleOut])
def list_rules(request: Request, q: Annotated[str, Query(max_length=200, description="Поиск: слова в любой форме "
                                                        "(«продление») и пункты («п. 16», «16», «I.16», «R.16»)")] = ""
               ) -> Response:
    """Every rule with its id, Russian title, citations, validity and JSON Schemas (titled in
    Russian), built once per calendar coverage and answered as ready bytes; with `q`, the rules
    matching every word (any word form) and every paragraph of it."""
    cal = platform(request).calendar()
    if not q.strip():
        return json_answer(rule_catalogue.catalogue_json(cal))
    found = {r.id for r in search(rules.REGISTRY.values(), q)}
    return json_answer(b"[" + b",".join(rule_catalogue.rule_json(rule_id, cal) for rule_id in
                                 [r["id"] for r in rules.list_rules()] if rule_id in found) + b"]")


@endpoint(router, "GET", "/rules/{rule_id}", P.PUBLIC, summary="Описание правила", response_model=RuleOut)
def get_rule(rule_id: str, request: Request) -> Response:
    return json_answer(rule_catalogue.rule_json(rule_id, platform(request).calendar()))


async def known_rule(rule_id: str) -> str:
    """The path's rule, known before the body is read: an unknown rule is 404 whatever the body."""
    rules.get_rule(rule_id)
    return rule_id


@endpoint(router, "POST", "/rules/{rule_id}/evaluate", P.PUBLIC, summary="Вычислить правило",
          response_model=EvaluationOut, openapi_extra={"requestBody": {"required": True, "content": {
              "application/json": {"schema": {"type": "object", "title": "Входные данные правила",
                                              "description": "по схеме input_schema правила (GET /api/v1/rules/"
                                                             "{rule_id})"}}}}})
def evaluate(request: Request, rule_id: str = Depends(known_rule), data: Any = JSON) -> Response:
    """The input is the rule's JSON object; the answer is `{rule, result, citations, explanation, edition}`
    (`edition`: `{name, valid_from, valid_to, in_force}`, the edition applied and whether it was in force
    on every date of the input)."""
    return json_answer(to_json(rules.evaluate(rule_id, data, calendar=platform(request).calendar())))
