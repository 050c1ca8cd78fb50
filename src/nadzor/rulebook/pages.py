"""The rules' pages: the catalogue with its search, one rule beside its paragraph, and its form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from nadzor import rules
from nadzor.infra.context import Permission
from nadzor.infra.errors import InvalidInput
from nadzor.rulebook.forms import (
    PERIOD_ROWS,
    SECTIONS,
    error_label,
    result_rows,
    rule_fields,
    rule_input,
    section_rules,
)
from nadzor.rulebook.regulation import paragraph
from nadzor.rulebook.search import search
from nadzor.web.pages import html_routes
from nadzor.web.routing import FORM
from nadzor.web.security import platform as platform_of
from nadzor.web.templating import render, translator
from nadzor.web.ui_labels import position_options

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
page = html_routes(router)
P = Permission

# ============================================================================ rules


@page("GET", "/rules", P.PUBLIC)
def rule_catalogue(request: Request, q: str = "") -> Response:
    """The catalogue, searched by word forms and paragraph numbers (`nadzor.rules.search`)."""
    items = search(rules.REGISTRY.values(), q[:200])
    return render(request, "rules.html", items=items, q=q)


@page("GET", "/rules/{rule_id}", P.PUBLIC)
def rule_page(request: Request, rule_id: str) -> Response:
    rule = rules.get_rule(rule_id)
    texts = [(c, paragraph(c)) for c in rule.citations]
    return render(request, "rule.html", rule=rule, texts=texts, fields=rule_fields(rule),
                  positions=position_options(translator(request)),
                  described=rules.describe(rule, rules.calendar_coverage(platform_of(request).calendar())),
                  period_rows=PERIOD_ROWS)


@page("POST", "/rules/{rule_id}/evaluate", P.PUBLIC)
def rule_evaluate(request: Request, rule_id: str, form: FormData = FORM) -> Response:
    rule = rules.get_rule(rule_id)
    data = rule_input(rule, form)
    t = translator(request)
    try:
        output = rules.evaluate(rule_id, data, calendar=platform_of(request).calendar())
    except InvalidInput as exc:
        errors = [{**e, "label": error_label(e["field"], rule_id, t)} for e in exc.as_dicts()]
        return render(request, "_rule_result.html", 422, output=None, errors=errors, data=data)
    return render(request, "_rule_result.html", output=output, rows=result_rows(output["result"], t), errors=[],
                  data=data)


@page("GET", "/sections/{section}", P.SIGNED_IN)
def section(request: Request, section: str) -> Response:
    if section not in SECTIONS:
        return render(request, "error.html", 404, title="Раздел не найден", message=f"Нет раздела {section!r}")
    title, _ = SECTIONS[section]
    return render(request, "section.html", section=section, title=title,
                  rules_list=section_rules(section, rules.REGISTRY))
