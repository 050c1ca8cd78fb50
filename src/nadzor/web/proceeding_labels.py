"""Russian words for what the proceedings' pages show: the collections, the fields of each kind's steps
and the codes they take, deadline codes, and the form widget each step field is entered with.

The widget of a field is read off the kernel's own field checker (`nadzor.proceedings.fields`: a code
list, a date, a flag…), so a form offers exactly what `replay` accepts; a field of a kind the mapping
does not know is a plain text input, and `tests/e2e/test_proceedings_pages.py` fails on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nadzor.proceedings.kernel import KINDS, Kind, StepType
from nadzor.rules.instruction.checks import SUSPENSION_UNTIL
from nadzor.web.templating import position_label


def N_(message: str) -> str:
    """Marks a message for the translation catalog (`pybabel extract`); templates translate it."""
    return message


#: Collection → (kind, register title, one item, «new» title, the subject's label in details).
COLLECTION_TITLES: dict[str, tuple[str, str, str, str, str]] = {
    "checks": ("check", N_("Проверки"), N_("Проверка"), N_("Новая проверка"), N_("Проверяемый субъект (наименование)")),
    "acts": ("act", N_("Акты надзора"), N_("Акт надзора"), N_("Новый акт надзора"), N_("Адресат акта (наименование)")),
    "evaluations": ("evaluation", N_("Оценка актов"), N_("Оценка акта"), N_("Новая оценка акта"),
                    N_("Оцениваемый акт (наименование, дата, номер)")),
    "analyses": ("analysis", N_("Анализы"), N_("Анализ"), N_("Новый анализ"), N_("Тема анализа")),
}

_PROTECTED = {"vulnerable_persons": "защита прав социально уязвимых категорий лиц",
              "indefinite_circle": "защита прав неопределённого круга лиц",
              "irreversible_consequences": "предотвращение необратимых последствий"}
_SIGNER = "Подписал"

FIELD_LABELS: dict[str, dict[str, str]] = {
    "check": {
        "subject_kind": "Вид проверяемого субъекта", "basis": "Основание проверки",
        "protected_interest": "Защищаемые интересы (п. 8 Инструкции)",
        "control_body_failed": "Контролирующий орган не принял мер",
        "exceptions": "Исключения (п. 9 Инструкции)", "regime": "Порядок проведения",
        "signer": _SIGNER, "granted": "Поручение дано (ходатайство удовлетворено)",
        "start_date": "Начало проверки по постановлению", "end_date": "Окончание проверки по постановлению",
        "number": "Регистрационный номер", "acknowledged": "Субъект ознакомлен под роспись",
        "ground": "Основание приостановления", "addressee": "Кому направлено ходатайство",
        "days": "На сколько дней продлена", "step": "К какому шагу относится",
        "recipients": "Кому направлено уведомление", "decision": "Принятое решение",
    },
    "act": {
        "act_type": "Вид акта", "addressee_central_body": "Адресат — центральный государственный орган",
        "main_office": "Вносит главная прокуратура", "rights_violated": "Нарушены права граждан",
        "damage_caused": "Причинён ущерб", "content": "Содержание акта (п. 58 Инструкции)",
        "signer": _SIGNER, "response_due": "Срок ответа", "step": "К какому шагу относится",
        "decision": "Решение вышестоящего прокурора",
        "transfer": "Материалы направлены компетентному прокурору", "final": "Ответ окончательный",
        "agree": "С ответом согласны", "damage_recovered": "Возмещено ущерба, тенге",
        "persons_liable": "Привлечено к ответственности, лиц", "article": "Статья КоАП",
    },
    "evaluation": {
        "context": "Повод оценки", "act_kind": "Вид акта",
        "by_other_organization": "Акт организации, не являющейся государственным органом",
        "public_or_indefinite": "Акт публичный или касается неопределённого круга лиц",
        "excluded_by_law": "Акт из названных в п. 2 ст. 24 Закона", "violations": "Выявленные нарушения",
        "addressee": "Протест внесён", "competent": "Прокурор вправе опротестовать акт", "signer": _SIGNER,
        "irreversible_consequences": "Исполнение повлечёт необратимые последствия",
        "granted": "Протест удовлетворён",
    },
    "analysis": {
        "via": "Анализ проводится", "signer": "Согласовал (утвердил)", "basis": "Основание анализа",
        "group_leader": "Руководитель группы", "addressee": "Адресат запроса",
        "protected_interest": "Защищаемые интересы", "legal_basis": "Запрос основан на законе",
        "state_interest": "В государственных интересах", "urgent": "Срочный запрос",
        "step": "К какому шагу относится", "public_place": "Объект в общедоступном месте",
        "days": "На сколько дней продлён", "decision": "Принятое решение", "target": "Требование адресовано",
        "concrete_harm_fact": "Установлен конкретный факт причинения вреда",
    },
}

CODE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "check": {
        "subject_kind": {"state_body": "государственный орган", "business": "субъект предпринимательства",
                         "other_organization": "иная организация"},
        "basis": {"president_instruction": "поручение Президента Республики Казахстан",
                  "gp_instruction": "поручение Генерального Прокурора",
                  "protect_rights": "защита прав, свобод и законных интересов",
                  "admin_offence_proceedings": "производство по делу об административном правонарушении",
                  "admin_arrest": "административное задержание"},
        "protected_interest": _PROTECTED,
        "exceptions": {"law_enforcement_supervision": "надзор за правоохранительными и специальными органами",
                       "conflict_of_interest": "конфликт интересов в контролирующем органе",
                       "complaint_against_control_body": "обращение на действия контролирующего органа"},
        "regime": {"general": "общий порядок", "enforcement": "исполнительное производство",
                   "admin_offence": "административное производство"},
        "addressee": {"regional_prosecutor": "прокурору области", "prosecutor_general": "Генеральному Прокурору"},
        "recipients": {"legal_statistics_body": "орган правовой статистики", "subject": "проверяемый субъект"},
        "decision": {"act": "акт прокурорского надзора", "meeting": "рассмотрение на совещании",
                     "info_letter": "информационное письмо", "erdr_transfer": "материалы в ЕРДР",
                     "kui_registration": "регистрация в КУИ", "lawsuit": "иск в суд"},
    },
    "act": {
        "act_type": {"protest": "протест", "representation": "представление", "prescription": "предписание",
                     "resolution": "постановление", "other": "иной акт"},
        "main_office": {"military": "Главная военная прокуратура", "transport": "Главная транспортная прокуратура"},
        "content": {"legal_essence": "правовая сущность нарушений", "norms": "ссылка на нормы законодательства",
                    "consequences": "негативные последствия", "causes": "причины и условия",
                    "demand_elimination": "требование об устранении", "liability": "ответственность виновных лиц",
                    "restoration": "восстановление нарушенных прав", "compensation": "возмещение ущерба"},
        "decision": {"keep": "оставить в силе", "amend": "изменить", "revoke": "отозвать",
                     "suspend": "приостановить до окончательного решения"},
        "article": {"664": "статья 664 КоАП", "665": "статья 665 КоАП"},
    },
    "evaluation": {
        "context": {"analysis": "анализ состояния законности", "complaint": "обращение",
                    "regional_instruction": "поручение прокурора области",
                    "district_instruction": "поручение прокурора района", "urgent": "безотлагательно",
                    "president_instruction": "поручение Президента Республики Казахстан",
                    "gp_instruction": "поручение Генерального Прокурора",
                    "deputy_gp_instruction": "поручение заместителя Генерального Прокурора",
                    "check": "проверка"},
        "act_kind": {"normative": "нормативный правовой акт", "individual": "индивидуальный акт",
                     "decision": "решение", "court_act": "судебный акт"},
        "violations": {"competence": "превышение компетенции", "conformity": "несоответствие закону",
                       "contradiction": "противоречие актам высшей силы",
                       "registration": "нарушение порядка государственной регистрации",
                       "publication": "нарушение порядка опубликования"},
        "addressee": {"adopting_body": "органу, принявшему акт", "superior_body": "вышестоящему органу"},
    },
    "analysis": {
        "via": {"rapport": "по рапорту", "plan": "по плану работы"},
        "basis": {"monitoring": "мониторинг", "information": "информация", "complaint": "обращение",
                  "president_instruction": "поручение Президента Республики Казахстан",
                  "gp_instruction": "поручение Генерального Прокурора",
                  "superior_instruction": "поручение вышестоящего прокурора"},
        "addressee": {"state_body": "государственный орган", "quasi_state": "субъект квазигосударственного сектора",
                      "private_business": "субъект частного предпринимательства"},
        "protected_interest": _PROTECTED,
        "decision": {"act": "акт прокурорского надзора", "inform_bodies": "информирование органов",
                     "erdr_transfer": "материалы в ЕРДР",
                     "special_prosecutors_transfer": "материалы специальным прокурорам",
                     "requirement": "требование о проведении проверки", "own_check": "собственная проверка",
                     "gp_petition": "ходатайство Генеральному Прокурору", "kui_registration": "регистрация в КУИ",
                     "other": "иное решение"},
        "target": {"state_body": "государственному органу", "business": "субъекту предпринимательства"},
    },
}

#: I.17: the suspension grounds `check.suspension_ground` allows (the kernel takes the ground as text).
SUSPENSION_GROUNDS: dict[str, str] = {
    "expertise": "назначение экспертизы", "foreign_request": "запрос в компетентный орган иностранного государства",
    "illness": "временная нетрудоспособность", "force_majeure": "обстоятельства непреодолимой силы",
    "wanted_persons": "розыск лиц", "procedural_actions": "производство процессуальных действий",
    "requests_sent": "направление запросов",
}
CODE_LABELS["check"]["ground"] = SUSPENSION_GROUNDS
#: Fields the kernel takes as text whose values the law closes to a list: entered with a select.
SELECT_FIELDS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("check", "suspended", "ground"): tuple(SUSPENSION_UNTIL),
}

DEADLINE_LABELS: dict[str, str] = {
    "gp_petition_review": "рассмотрение ходатайства Генеральным Прокурором",
    "check_end": "окончание проверки",
    "order_notice": "уведомление о постановлении",
    "certificate_delivery": "вручение справки",
    "extension_petition": "ходатайство о продлении",
    "certificate_objection": "возражения к справке",
    "gpo_approval": "согласование в Генеральной прокуратуре",
    "superior_review": "проверка акта вышестоящим прокурором",
    "databank_entry": "внесение в Банк данных",
    "response": "ответ на акт",
    "response_review": "изучение ответа вышестоящим прокурором",
    "act_provision": "представление акта",
    "publication": "опубликование постановления о приостановлении",
    "analysis_end": "окончание анализа",
    "info_reply": "ответ на запрос информации",
}

#: What `check.admissibility` says a check still requires (its `requires` codes), in Russian.
ADMISSIBILITY_REQUIRES: dict[str, str] = {
    "gp_petition": "требуется ходатайство Генеральному Прокурору (п. 10 Инструкции)",
    "gp_instruction": "требуется поручение Генерального Прокурора (п. 7 Инструкции)",
    "protected_interest": "укажите защищаемые интересы (п. 8 Инструкции)",
    "control_body_failure_or_exception": "требуется бездействие контролирующего органа либо исключение "
                                         "(п. 9 Инструкции)",
}


@dataclass(frozen=True)
class Widget:
    """One input of a step form: the field's name, its Russian label, how it is entered (`date`,
    `select`, `multicheck`, `checkbox`, `number`, `amount`, `text`, `signer`, `step`), the options
    of a select as (code, label), and whether it must be filled."""

    name: str
    label: str
    kind: str
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False


def kind_of_collection(collection: str) -> Kind:
    return KINDS[COLLECTION_TITLES[collection][0]]


def field_label(kind: str, name: str) -> str:
    return FIELD_LABELS.get(kind, {}).get(name, name)


def code_label(kind: str, field: str, value: Any) -> str:
    return CODE_LABELS.get(kind, {}).get(field, {}).get(str(value), str(value))


def step_label(kind: Kind, step_type: str) -> str:
    spec = kind.steps.get(step_type)
    label = spec.label if spec is not None else step_type
    return label[:1].upper() + label[1:]


def _closure(check: Any) -> dict[str, Any]:
    names = check.__code__.co_freevars
    return {n: c.cell_contents for n, c in zip(names, check.__closure__ or (), strict=True)}


def _widget_kind(check: Any) -> tuple[str, dict[str, Any]]:
    """The widget of a kernel field checker: by the factory that made it (`code`, `codes`, `a_date`,
    `flag`, `integer`, `amount`, `text`, `step_ref`, `signer`, or a kind's own boolean)."""
    qualname: str = getattr(check, "__qualname__", "")
    factory = qualname.split(".<locals>", 1)[0]
    cells = _closure(check) if "<locals>" in qualname else {}
    mapping = {"code": "select", "codes": "multicheck", "a_date": "date", "flag": "checkbox",
               "_present_flag": "checkbox", "integer": "number", "amount": "amount", "text": "text",
               "step_ref": "step", "signer": "signer"}
    return mapping.get(factory, "unknown"), cells


def widgets(kind: Kind, step: StepType) -> list[Widget]:
    """The inputs of a form for `step` (its date is a separate input)."""
    out = []
    for name, fld in step.fields.items():
        widget, cells = _widget_kind(fld.check)
        options: tuple[tuple[str, str], ...] = ()
        if widget in ("select", "multicheck"):
            codes = str(cells.get("listed", "")).split(", ")
            options = tuple((c, code_label(kind.name, name, c)) for c in codes if c)
        if (kind.name, step.name, name) in SELECT_FIELDS:
            widget = "select"
            options = tuple((c, code_label(kind.name, name, c)) for c in SELECT_FIELDS[(kind.name, step.name, name)])
        if widget == "unknown":
            widget = "text"
        required = not fld.optional and widget not in ("checkbox", "multicheck")
        if widget == "multicheck" and not fld.optional:
            required = True
        out.append(Widget(name, field_label(kind.name, name), widget, options, required))
    return out


def unknown_widgets() -> list[str]:
    """`kind.step.field` of every kernel field the pages cannot map to a widget (should be none)."""
    return [f"{k.name}.{s.name}.{n}" for k in KINDS.values() for s in k.steps.values()
            for n, fld in s.fields.items() if _widget_kind(fld.check)[0] == "unknown"]


def signer_title(signer: Any) -> str:
    """`{position, acting_for?}` as a position title: «заместитель прокурора района, и.о. прокурора района»."""
    if not isinstance(signer, dict) or "position" not in signer:
        return ""
    code = str(signer["position"])
    if signer.get("acting_for"):
        code = f"{code}→{signer['acting_for']}"
    return position_label(code)
