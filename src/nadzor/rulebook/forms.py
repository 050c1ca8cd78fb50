"""A form for any rule, read off its input JSON Schema, and the sections of the navigation
(proceeding types) with the rules that govern each."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from starlette.datastructures import FormData

from nadzor.rulebook.labels import N_, RESULT_LABELS, field_label, option_label
from nadzor.rules import Rule
from nadzor.web.forms import FormField, typed_value

SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "checks": ("Проверки", ("check.",)),
    "analysis": ("Анализ состояния законности", ("analysis.",)),
    "evaluation": ("Оценка актов и решений", ("evaluation.",)),
    "acts": ("Акты надзора и реагирования", ("act.",)),
    "civil": ("Гражданские дела", (
        "court.civil_entry_grounds", "court.competent_office", "court.appeal_signer", "court.conclusion_to_gpo_due",
        "court.cassation_representation_due", "court.case_request_due", "court.complaint_handling",
        "court.appellate_act_report_due", "court.violation_register_check_due")),
    "administrative": ("Административные дела", (
        "court.admin_entry_grounds", "court.competent_office", "court.appeal_signer", "court.conclusion_to_gpo_due",
        "court.cassation_representation_due", "court.admin_cassation_petition_due", "court.complaint_handling")),
    "admin_offences": ("Дела об административных правонарушениях", (
        "court.admin_offence_participation", "court.competent_office", "court.admin_arrest_review_due",
        "court.appeal_signer", "court.cassation_representation_due", "court.complaint_handling",
        "gpo.admin_offence_petition_defects")),
    "cassation": ("Кассация в Генеральной прокуратуре", ("gpo.",)),
    "enforcement": ("Исполнительное производство", ("enforcement.",)),
}


def section_rules(section: str, all_rules: dict[str, Rule]) -> list[Rule]:
    _title, patterns = SECTIONS[section]
    return [r for rid, r in all_rules.items() if any(rid == p or (p.endswith(".") and rid.startswith(p))
                                                    for p in patterns)]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref:
        return dict(schema.get("$defs", {}).get(ref.split("/")[-1], {}))
    return node


def _enum(schema: dict[str, Any], node: dict[str, Any]) -> list[str] | None:
    node = _resolve(schema, node)
    if "enum" in node:
        return [str(v) for v in node["enum"]]
    for option in node.get("anyOf", ()):
        found = _enum(schema, option)
        if found:
            return found
    return None


#: The UTC offsets a moment may be given with (Asia/Almaty and the western regions).
OFFSETS: tuple[tuple[str, str], ...] = (
    ("+06:00", N_("UTC+06:00 — Алматы, Астана")),
    ("+05:00", N_("UTC+05:00 — Актобе, Атырау, Актау, Уральск, Кызылорда")),
)


def _item_schema(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    items: dict[str, Any] = node.get("items") or next(
        (o["items"] for o in node.get("anyOf", ()) if o.get("items")), {})
    return _resolve(schema, items or {})


def _kind(schema: dict[str, Any], name: str, node: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    node = _resolve(schema, node)
    types = {node.get("type")} | {o.get("type") for o in node.get("anyOf", ())}
    enum = _enum(schema, node)
    if name == "signer" or (node.get("title") == "Signer"):
        return "signer", []
    if enum and "array" not in types:
        return "select", [(v, option_label(v, name)) for v in enum]
    if "array" in types:
        item = _item_schema(schema, node)
        item_enum = _enum(schema, item)
        if item_enum:
            return "multicheck", [(v, option_label(v, name)) for v in item_enum]
        if set(item.get("properties", {})) == {"from", "to"}:
            return "periods", []
        return "json", []
    if "boolean" in types:
        return "checkbox", []
    if "integer" in types:
        return "number", []
    formats = {node.get("format")} | {o.get("format") for o in node.get("anyOf", ())}
    if "date" in formats:
        return "date", []
    if "date-time" in formats:
        return "moment", list(OFFSETS)
    if "object" in types or "$ref" in node or "properties" in node:
        return "json", []
    return "text", []


def rule_fields(rule: Rule) -> list[FormField]:
    """The form of a rule: Russian labels and hints, choices with Russian labels, a row per
    period for suspensions, a date, time and UTC offset for a moment."""
    schema = rule.input_schema()
    required = set(schema.get("required", ()))
    fields = []
    for name, node in schema.get("properties", {}).items():
        kind, options = _kind(schema, name, node)
        label, hint = field_label(name, rule_id=rule.id)
        fields.append(FormField(name=name, label=label, kind=kind, options=options, required=name in required,
                                help=hint or str(_resolve(schema, node).get("description", ""))))
    return fields


#: How many empty period rows a form offers (more are added in the browser).
PERIOD_ROWS = 3


def _periods(form: FormData, name: str) -> list[dict[str, Any]]:
    """Rows `name.from` / `name.to` as `[{from, to}]`: an empty row is left out, an empty «to» is
    null (still suspended), a missing «from» is left out so the rule names the row's field."""
    starts = [str(v).strip() for v in form.getlist(f"{name}.from")]
    ends = [str(v).strip() for v in form.getlist(f"{name}.to")]
    ends += [""] * (len(starts) - len(ends))
    out: list[dict[str, Any]] = []
    for start, end in zip(starts, ends, strict=False):
        if not start and not end:
            continue
        row: dict[str, Any] = {"from": start} if start else {}
        row["to"] = end or None
        out.append(row)
    return out


def _moment(form: FormData, name: str) -> str:
    """A datetime-local value and a UTC offset as one ISO moment: `2021-08-02T10:00:00+06:00`."""
    local = str(form.get(f"{name}.local", "")).strip()
    if not local:
        return str(form.get(name, "")).strip()  # a full ISO moment posted by hand or by a script
    offset = str(form.get(f"{name}.offset", "")).strip() or OFFSETS[0][0]
    if len(local) == len("2021-08-02T10:00"):
        local += ":00"
    return f"{local}{offset}"


def rule_input(rule: Rule, form: FormData) -> dict[str, Any]:
    """The rule's JSON input from the posted form (fields left empty are left out)."""
    out: dict[str, Any] = {}
    for f in rule_fields(rule):
        if f.kind == "checkbox":
            if form.get(f.name) == "on":
                out[f.name] = True
            continue
        if f.kind == "multicheck":
            values = [str(v) for v in form.getlist(f.name)]
            if values:
                out[f.name] = values
            continue
        if f.kind == "periods":
            rows = _periods(form, f.name)
            if rows:
                out[f.name] = rows
            continue
        if f.kind == "signer":
            position = str(form.get("signer.position", ""))
            signer: dict[str, Any] = {"position": position} if position else {}
            acting = str(form.get("signer.acting_for", ""))
            if acting:
                signer["acting_for"] = acting
            if form.get("signer.participated") == "on":
                signer["participated"] = True
            if signer:
                out["signer"] = signer
            continue
        raw = _moment(form, f.name) if f.kind == "moment" else str(form.get(f.name, "")).strip()
        if not raw:
            continue
        out[f.name] = typed_value(f.kind, raw)
    return out


def _same(message: str) -> str:
    return message


def _readable(key: str, value: Any, t: Callable[[str], str] = _same) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("да") if value else t("нет")
    if isinstance(value, list):
        return "; ".join(_readable(key, v, t) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_readable(k, v, t)}" for k, v in value.items())
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text).strftime("%d.%m.%Y")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        offset = moment.strftime("%z")
        return f"{moment:%d.%m.%Y %H:%M} (UTC{offset[:3]}:{offset[3:5]})"
    return t(option_label(text, key))


def result_rows(result: dict[str, Any], t: Callable[[str], str] = _same) -> list[tuple[str, str]]:
    """A rule's result as a readable table: (label, value in words and local dates), in the
    language of `t` (the catalog's gettext; Russian by default)."""
    return [(t(RESULT_LABELS.get(key, key)), _readable(key, value, t)) for key, value in result.items()]


_PART_LABELS = {"from": N_("«с»"), "to": N_("«по»"), "position": N_("должность"),
                "acting_for": N_("замещаемая должность"), "participated": N_("участие в первой инстанции")}
_WORDS = (N_("да"), N_("нет"), N_("Ввод"), N_("строка %(n)s"))


def error_label(path: str, rule_id: str = "", t: Callable[[str], str] = _same) -> str:
    """The words for an error's field path: `suspensions.1.to` → «Периоды приостановления, строка 2, «по»»."""
    head, *rest = path.split(".")
    if head in ("input", "rule"):
        return t("Ввод")
    parts = [t(field_label(head, rule_id=rule_id)[0])]
    for part in rest:
        parts.append(t("строка %(n)s") % {"n": int(part) + 1} if part.isdigit() else t(_PART_LABELS.get(part, part)))
    return ", ".join(parts)
