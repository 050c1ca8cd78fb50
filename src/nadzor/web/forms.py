"""HTML forms: a field list renders the form and turns the posted strings back into the same
JSON the API takes, so a form and the API are validated by one service and say the same thing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from nadzor.domain.org import POSITION_LABELS, SUBJECT_AREAS
from nadzor.infra import json_input
from nadzor.infra.errors import InvalidInput


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # text | date | number | int_select | select | checkbox | multicheck | json
    options: Sequence[tuple[str, str]] = ()
    required: bool = False
    help: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


POSITION_OPTIONS = tuple(POSITION_LABELS.items())
AREA_OPTIONS = tuple(SUBJECT_AREAS.items())


def form_data(fields: Sequence[FormField], form: FormData) -> dict[str, Any]:
    """The JSON object a form stands for (empty optional values are left out)."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.kind == "checkbox":
            out[f.name] = form.get(f.name) in ("on", "true", "1")
            continue
        if f.kind == "multicheck":
            out[f.name] = [str(v) for v in form.getlist(f.name)]
            continue
        raw = str(form.get(f.name, "")).strip()
        if raw == "":
            if f.required:
                out[f.name] = ""  # refused by the service exactly as an empty value sent to the API
            continue
        out[f.name] = typed_value(f.kind, raw)
    version = str(form.get("version") or "")
    if version:
        out["version"] = typed_value("number", version)
    return out


def typed_value(kind: str, raw: str) -> Any:
    """A posted string as the JSON value its field takes; what does not parse is passed on as
    text, so the service refuses it with the same message the API gives."""
    try:
        if kind in ("number", "int_select"):
            return int(raw)
        if kind == "json":
            return json_input.loads(raw)
    except (ValueError, InvalidInput):
        return raw
    return raw


def values_of(data: dict[str, Any], fields: Sequence[FormField]) -> dict[str, Any]:
    """Values to prefill a form with, from an object's dict."""
    out: dict[str, Any] = {}
    for f in fields:
        value = data.get(f.name)
        if f.kind == "json" and value is not None and not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False, indent=1)
        out[f.name] = value
    return out


def errors_by_field(errors: list[dict[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in errors:
        out.setdefault(e["field"].split(".")[0], e["message"])
    return out


#: Labels of the fields a form posts besides its own (hidden ones), for the error summary.
HIDDEN_LABELS = {"version": "Версия записи", "csrf_token": "Форма", "confirm": "Подтверждение"}


def field_id(name: str) -> str:
    """The id of a form field's input (the error summary links to it)."""
    return "f-" + name.replace(".", "-").replace("_", "-")


def error_summary(fields: Sequence[FormField], errors: list[dict[str, str]]) -> list[dict[str, str]]:
    """A GOV.UK error summary: each error under the field's label (never its key), linking to
    its input; errors of no field on the form link to the form's top."""
    labels = {f.name: f.label for f in fields}
    out = []
    for e in errors:
        name = e["field"].split(".")[0]
        if name in labels:
            out.append({"href": "#" + field_id(name), "label": labels[name], "message": e["message"]})
        else:
            out.append({"href": "#form-top", "label": HIDDEN_LABELS.get(name, "Запрос"), "message": e["message"]})
    return out
