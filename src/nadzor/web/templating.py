"""Jinja2 environments, one per language (Russian first, Kazakh second), with Babel catalogs
compiled by the setup command (`pybabel compile`); Russian is the source language."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from nadzor.contexts import CONTEXTS
from nadzor.domain.audit import ACTION_LABELS
from nadzor.domain.org import KIND_LABELS, LEVEL_LABELS, POSITION_LABELS, SUBJECT_AREAS
from nadzor.rules.base import translate
from nadzor.rules.limits import ORDER_102, Edition
from nadzor.web.security import language
from nadzor.web.ui_labels import (
    ACTION_TITLES,
    AREA_TITLES,
    KIND_TITLES,
    LEVEL_TITLES,
    POSITION_TITLES,
    holiday_name,
)

HERE = Path(__file__).resolve().parent
LOCALES = HERE / "locale"
#: The shared layouts (`web/templates`: base, error, confirm, the generic list and history), then each
#: context's own pages (`<context>/templates`); a template's name is unique across them.
TEMPLATE_DIRS = [HERE / "templates", *(HERE.parent / context / "templates" for context in CONTEXTS
                                        if (HERE.parent / context / "templates").is_dir())]
LANGUAGES = {"ru": "Русский", "kk": "Қазақша"}
ALMATY = ZoneInfo("Asia/Almaty")


def _ru_date(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d.%m.%Y")


def local_time(value: datetime | str | None) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M:%S")


def edition_window(edition: Edition = ORDER_102) -> dict[str, str]:
    """The edition's days in force for the footer and the banner: first and last day (the last is
    the day before `valid_to`, the first day it had no force), «» when it is still in force."""
    last = edition.valid_to - timedelta(days=1) if edition.valid_to else None
    return {"start": _ru_date(edition.valid_from), "end": _ru_date(last),
            "repealed": _ru_date(edition.valid_to)}


def position_label(code: str, labels: dict[str, str] = POSITION_LABELS, acting_word: str = "и.о.",
                   administrator: str = "администратор") -> str:
    if "→" in code:
        own, acting = code.split("→", 1)
        return f"{labels.get(own, own)}, {acting_word} {labels.get(acting, acting)}"
    return labels.get(code, administrator if code == "administrator" else code)


def office_label(office: Any, lang: str, on: date | None = None) -> str:
    """An office's name in the interface's language (`name_kk` where stored; in Russian the name
    it had on `on`). Takes an office or its dict."""
    get = office.get if isinstance(office, dict) else lambda key, default="": getattr(office, key, default)
    if lang == "kk" and get("name_kk", ""):
        return str(get("name_kk", ""))
    if on is not None and not isinstance(office, dict):
        return str(office.name_on(on))
    return str(get("name_on_date", "") or get("name_ru", ""))


@lru_cache(maxsize=2)
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIRS),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations: NullTranslations = Translations.load(str(LOCALES), [lang], domain="messages")
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["ru_date"] = _ru_date
    env.filters["local_time"] = local_time
    t = translations.gettext
    positions = {code: t(POSITION_TITLES.get(code, label)) for code, label in POSITION_LABELS.items()}
    areas = {code: t(AREA_TITLES.get(code, label)) for code, label in SUBJECT_AREAS.items()}
    levels = {code: t(LEVEL_TITLES.get(code, label)) for code, label in LEVEL_LABELS.items()}
    kinds = {code: t(KIND_TITLES.get(code, label)) for code, label in KIND_LABELS.items()}
    actions = {code: t(ACTION_TITLES.get(code, label)) for code, label in ACTION_LABELS.items()}
    env.filters["position"] = lambda code: position_label(code, positions, t("и.о."), t("администратор"))
    # a text from the code (a rule title, a service's `Message` with its parts) through the catalog, still escaped
    env.filters["tr"] = lambda message: translate(message, t) if message else message
    env.filters["holiday"] = lambda name: holiday_name(name, t) if name else ""
    env.filters["office_name"] = lambda office, on=None: office_label(office, lang, on)
    env.filters["pretty_json"] = lambda value: json.dumps(value, ensure_ascii=False, indent=2)
    env.globals.update(
        LANGUAGES=LANGUAGES, POSITION_LABELS=positions, LEVEL_LABELS=levels, KIND_LABELS=kinds,
        SUBJECT_AREAS=areas, ACTION_LABELS=actions, EDITION=edition_window(),
    )
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    actor = getattr(request.state, "actor", None)
    web = getattr(request.state, "web_session", None)
    html = environment(lang).get_template(template).render(
        request=request, actor=actor, lang=lang, csrf_token=web.csrf_token if web else "",
        current_path=request.url.path, **context,
    )
    return HTMLResponse(html, status_code=status_code)


Translate = Callable[[str], str]


@lru_cache(maxsize=4)
def catalog(lang: str) -> NullTranslations:
    """The interface's catalog in `lang` (Russian is the source language)."""
    return Translations.load(str(LOCALES), [lang], domain="messages")


def translator(request: Request) -> Translate:
    """The catalog's `gettext` in the request's language, for labels put together in Python; a
    service's `Message` by its template, its parts put in."""
    gettext = catalog(language(request)).gettext
    return lambda message: translate(message, gettext)
