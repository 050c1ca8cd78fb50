"""The start page: the user's office and authority today, the coming days off, the rules' sections.
It composes contexts (org, rulebook), as the app does."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from nadzor import rules
from nadzor.infra.context import Actor, Permission
from nadzor.org import service as org
from nadzor.rulebook.forms import SECTIONS
from nadzor.web.pages import html_routes
from nadzor.web.security import DB, current_actor
from nadzor.web.security import platform as platform_of
from nadzor.web.security import today as request_today
from nadzor.web.templating import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
page = html_routes(router)
P = Permission

# ============================================================================ the shell


@page("GET", "/", P.SIGNED_IN)
def home(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
    today = request_today(request)
    authority = None
    office = org.get_office(session, actor.office_id) if actor.office_id else None
    cal = platform_of(request).calendar()
    if actor.person_id is not None:
        authority = org.access_authority(session, actor, actor.person_id, today, calendar=cal)
    upcoming = [d for d in cal.non_working_in(today, today + timedelta(days=60)) if d.weekday() < 5][:8]
    return render(request, "home.html", today=today, authority=authority, office=office,
                  upcoming=[(d, cal.day_name(d)) for d in upcoming], sections=SECTIONS,
                  rule_count=len(rules.REGISTRY))
