"""A form for any rule, read off its input JSON Schema, and the sections of the navigation
(proceeding types) with the rules that govern each."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

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


def _kind(schema: dict[str, Any], name: str, node: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    node = _resolve(schema, node)
    types = {node.get("type")} | {o.get("type") for o in node.get("anyOf", ())}
    enum = _enum(schema, node)
    if name == "signer" or (node.get("title") == "Signer"):
        return "signer", []
    if enum and "array" not in types:
        return "select", [(v, v) for v in enum]
    if "array" in types:
        items: dict[str, Any] = node.get("items") or next(
            (o["items"] for o in node.get("anyOf", ()) if o.get("items")), {})
        item_enum = _enum(schema, items or {})
        return ("multicheck", [(v, v) for v in item_enum]) if item_enum else ("json", [])
    if "boolean" in types:
        return "checkbox", []
    if "integer" in types:
        return "number", []
    formats = {node.get("format")} | {o.get("format") for o in node.get("anyOf", ())}
    if "date" in formats:
        return "date", []
    if "date-time" in formats:
        return "moment", []
    if "object" in types or "$ref" in node or "properties" in node:
        return "json", []
    return "text", []


def rule_fields(rule: Rule) -> list[FormField]:
    schema = rule.input_schema()
    required = set(schema.get("required", ()))
    fields = []
    for name, node in schema.get("properties", {}).items():
        kind, options = _kind(schema, name, node)
        fields.append(FormField(name=name, label=name, kind=kind, options=options, required=name in required,
                                help=str(_resolve(schema, node).get("description", ""))))
    return fields


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
        raw = str(form.get(f.name, "")).strip()
        if not raw:
            continue
        out[f.name] = typed_value(f.kind, raw)
    return out
