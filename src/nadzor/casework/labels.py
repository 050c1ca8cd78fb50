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

#: R.12: the sources an analysis uses, as the card shows them (the same words as
#: `analyses.details.SOURCES`, marked here for the catalog).
SOURCE_LABELS: dict[str, str] = {
    "statistics": N_("статистические данные"),
    "budget": N_("информация о выделенных средствах из государственного бюджета"),
    "public_meetings": N_("итоги встреч с населением"),
    "state_body_failures": N_("факты неэффективной работы государственных органов"),
    "complaint_results": N_("результаты рассмотрения обращений уполномоченными государственными органами"),
    "media": N_("публикации в средствах массовой информации (в том числе в интернет-ресурсах)"),
    "state_body_information": N_("информация государственных органов, их баз данных"),
    "information_systems": N_("информационные системы и ресурсы, в том числе интегрированные с системой "
                              "информационного обмена"),
    "court_acts": N_("судебные акты по уголовным, гражданским, административным делам и делам об "
                     "административных правонарушениях"),
    "previous_checks": N_("результаты предыдущих проверок прокуратуры и государственных органов"),
    "operational_results": N_("результаты оперативно-розыскных, специальных мероприятий и негласных следственных "
                              "действий"),
    "other": N_("другие источники информации"),
}
#: The register of requirements (R.21–22): whom a requirement is to check.
TARGET_LABELS = {"state_body": N_("государственный орган"), "business": N_("субъект предпринимательства")}

_PROTECTED = {"vulnerable_persons": N_("защита прав социально уязвимых категорий лиц"),
              "indefinite_circle": N_("защита прав неопределённого круга лиц"),
              "irreversible_consequences": N_("предотвращение необратимых последствий")}
_SIGNER = N_("Подписал")

FIELD_LABELS: dict[str, dict[str, str]] = {
    "check": {
        "subject_kind": N_("Вид проверяемого субъекта"), "basis": N_("Основание проверки"),
        "protected_interest": N_("Защищаемые интересы (п. 8 Инструкции)"),
        "control_body_failed": N_("Контролирующий орган не принял мер"),
        "exceptions": N_("Исключения (п. 9 Инструкции)"), "regime": N_("Порядок проведения"),
        "signer": _SIGNER, "granted": N_("Поручение дано (ходатайство удовлетворено)"),
        "start_date": N_("Начало проверки по постановлению"), "end_date": N_("Окончание проверки по постановлению"),
        "number": N_("Регистрационный номер"), "acknowledged": N_("Субъект ознакомлен под роспись"),
        "ground": N_("Основание приостановления"), "addressee": N_("Кому направлено ходатайство"),
        "days": N_("На сколько дней продлена"), "step": N_("К какому шагу относится"),
        "recipients": N_("Кому направлено уведомление"), "decision": N_("Принятое решение"),
    },
    "act": {
        "act_type": N_("Вид акта"), "addressee_central_body": N_("Адресат — центральный государственный орган"),
        "main_office": N_("Вносит главная прокуратура"), "rights_violated": N_("Нарушены права граждан"),
        "damage_caused": N_("Причинён ущерб"), "content": N_("Содержание акта (п. 58 Инструкции)"),
        "signer": _SIGNER, "response_due": N_("Срок ответа"), "step": N_("К какому шагу относится"),
        "decision": N_("Решение вышестоящего прокурора"),
        "transfer": N_("Материалы направлены компетентному прокурору"), "final": N_("Ответ окончательный"),
        "agree": N_("С ответом согласны"), "damage_recovered": N_("Возмещено ущерба, тенге"),
        "persons_liable": N_("Привлечено к ответственности, лиц"), "article": N_("Статья КоАП"),
    },
    "evaluation": {
        "context": N_("Повод оценки"), "act_kind": N_("Вид акта"),
        "by_other_organization": N_("Акт организации, не являющейся государственным органом"),
        "public_or_indefinite": N_("Акт публичный или касается неопределённого круга лиц"),
        "excluded_by_law": N_("Акт из названных в п. 2 ст. 24 Закона"), "violations": N_("Выявленные нарушения"),
        "addressee": N_("Протест внесён"), "competent": N_("Прокурор вправе опротестовать акт"), "signer": _SIGNER,
        "irreversible_consequences": N_("Исполнение повлечёт необратимые последствия"),
        "granted": N_("Протест удовлетворён"),
    },
    "analysis": {
        "via": N_("Анализ проводится"), "signer": N_("Согласовал (утвердил)"), "basis": N_("Основание анализа"),
        "group_leader": N_("Руководитель группы"), "addressee": N_("Адресат запроса"),
        "protected_interest": N_("Защищаемые интересы"), "legal_basis": N_("Запрос основан на законе"),
        "state_interest": N_("В государственных интересах"), "urgent": N_("Срочный запрос"),
        "step": N_("К какому шагу относится"), "public_place": N_("Объект в общедоступном месте"),
        "days": N_("На сколько дней продлён"), "decision": N_("Принятое решение"),
        "target": N_("Требование адресовано"),
        "concrete_harm_fact": N_("Установлен конкретный факт причинения вреда"),
    },
}

CODE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "check": {
        "subject_kind": {"state_body": N_("государственный орган"), "business": N_("субъект предпринимательства"),
                         "other_organization": N_("иная организация")},
        "basis": {"president_instruction": N_("поручение Президента Республики Казахстан"),
                  "gp_instruction": N_("поручение Генерального Прокурора"),
                  "protect_rights": N_("защита прав, свобод и законных интересов"),
                  "admin_offence_proceedings": N_("производство по делу об административном правонарушении"),
                  "admin_arrest": N_("административное задержание")},
        "protected_interest": _PROTECTED,
        "exceptions": {"law_enforcement_supervision": N_("надзор за правоохранительными и специальными органами"),
                       "conflict_of_interest": N_("конфликт интересов в контролирующем органе"),
                       "complaint_against_control_body": N_("обращение на действия контролирующего органа")},
        "regime": {"general": N_("общий порядок"), "enforcement": N_("исполнительное производство"),
                   "admin_offence": N_("административное производство")},
        "addressee": {"regional_prosecutor": N_("прокурору области"),
                      "prosecutor_general": N_("Генеральному Прокурору")},
        "recipients": {"legal_statistics_body": N_("орган правовой статистики"), "subject": N_("проверяемый субъект")},
        "decision": {"act": N_("акт прокурорского надзора"), "meeting": N_("рассмотрение на совещании"),
                     "info_letter": N_("информационное письмо"), "erdr_transfer": N_("материалы в ЕРДР"),
                     "kui_registration": N_("регистрация в КУИ"), "lawsuit": N_("иск в суд")},
    },
    "act": {
        "act_type": {"protest": N_("протест"), "representation": N_("представление"), "prescription": N_("предписание"),
                     "resolution": N_("постановление"), "other": N_("иной акт надзора")},
        "main_office": {"military": N_("Главная военная прокуратура"),
                        "transport": N_("Главная транспортная прокуратура")},
        "content": {"legal_essence": N_("правовая сущность нарушений"), "norms": N_("ссылка на нормы законодательства"),
                    "consequences": N_("негативные последствия"), "causes": N_("причины и условия"),
                    "demand_elimination": N_("требование об устранении"),
                    "liability": N_("ответственность виновных лиц"),
                    "restoration": N_("восстановление нарушенных прав"), "compensation": N_("возмещение ущерба")},
        "decision": {"keep": N_("оставить в силе"), "amend": N_("изменить"), "revoke": N_("отозвать"),
                     "suspend": N_("приостановить до окончательного решения")},
        "article": {"664": N_("статья 664 КоАП"), "665": N_("статья 665 КоАП")},
    },
    "evaluation": {
        "context": {"analysis": N_("анализ состояния законности"), "complaint": N_("обращение"),
                    "regional_instruction": N_("поручение прокурора области"),
                    "district_instruction": N_("поручение прокурора района"), "urgent": N_("безотлагательно"),
                    "president_instruction": N_("поручение Президента Республики Казахстан"),
                    "gp_instruction": N_("поручение Генерального Прокурора"),
                    "deputy_gp_instruction": N_("поручение заместителя Генерального Прокурора"),
                    "check": N_("проверка")},
        "act_kind": {"normative": N_("нормативный правовой акт"), "individual": N_("индивидуальный акт"),
                     "decision": N_("решение"), "court_act": N_("судебный акт")},
        "violations": {"competence": N_("превышение компетенции"), "conformity": N_("несоответствие закону"),
                       "contradiction": N_("противоречие актам высшей силы"),
                       "registration": N_("нарушение порядка государственной регистрации"),
                       "publication": N_("нарушение порядка опубликования")},
        "addressee": {"adopting_body": N_("органу, принявшему акт"), "superior_body": N_("вышестоящему органу")},
    },
    "analysis": {
        "via": {"rapport": N_("по рапорту"), "plan": N_("по плану работы")},
        "basis": {"monitoring": N_("мониторинг"), "information": N_("информация"), "complaint": N_("обращение"),
                  "president_instruction": N_("поручение Президента Республики Казахстан"),
                  "gp_instruction": N_("поручение Генерального Прокурора"),
                  "superior_instruction": N_("поручение вышестоящего прокурора")},
        "addressee": {"state_body": N_("государственный орган"),
                      "quasi_state": N_("субъект квазигосударственного сектора"),
                      "private_business": N_("субъект частного предпринимательства")},
        "protected_interest": _PROTECTED,
        "decision": {"act": N_("акт прокурорского надзора"), "inform_bodies": N_("информирование органов"),
                     "erdr_transfer": N_("материалы в ЕРДР"),
                     "special_prosecutors_transfer": N_("материалы специальным прокурорам"),
                     "requirement": N_("требование о проведении проверки"), "own_check": N_("собственная проверка"),
                     "gp_petition": N_("ходатайство Генеральному Прокурору"),
                     "kui_registration": N_("регистрация в КУИ"),
                     "other": N_("иное решение")},
        "target": {"state_body": N_("государственному органу"), "business": N_("субъекту предпринимательства")},
    },
}

#: I.17: the suspension grounds `check.suspension_ground` allows (the kernel takes the ground as text).
SUSPENSION_GROUNDS: dict[str, str] = {
    "expertise": N_("назначение экспертизы"),
    "foreign_request": N_("запрос в компетентный орган иностранного государства"),
    "illness": N_("временная нетрудоспособность"), "force_majeure": N_("обстоятельства непреодолимой силы"),
    "wanted_persons": N_("розыск лиц"), "procedural_actions": N_("производство процессуальных действий"),
    "requests_sent": N_("направление запросов"),
}
CODE_LABELS["check"]["ground"] = SUSPENSION_GROUNDS
#: Fields the kernel takes as text whose values the law closes to a list: entered with a select.
SELECT_FIELDS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("check", "suspended", "ground"): tuple(SUSPENSION_UNTIL),
}

DEADLINE_LABELS: dict[str, str] = {
    "gp_petition_review": N_("рассмотрение ходатайства Генеральным Прокурором"),
    "check_end": N_("окончание проверки"),
    "order_notice": N_("уведомление о постановлении"),
    "certificate_delivery": N_("вручение справки"),
    "extension_petition": N_("ходатайство о продлении"),
    "certificate_objection": N_("возражения к справке"),
    "gpo_approval": N_("согласование в Генеральной прокуратуре"),
    "superior_review": N_("проверка акта вышестоящим прокурором"),
    "databank_entry": N_("внесение в Банк данных"),
    "response": N_("ответ на акт"),
    "response_review": N_("изучение ответа вышестоящим прокурором"),
    "act_provision": N_("представление акта"),
    "publication": N_("опубликование постановления о приостановлении"),
    "analysis_end": N_("окончание анализа"),
    "info_reply": N_("ответ на запрос информации"),
}

#: What `check.admissibility` says a check still requires (its `requires` codes), in Russian.
ADMISSIBILITY_REQUIRES: dict[str, str] = {
    "gp_petition": N_("требуется ходатайство Генеральному Прокурору (п. 10 Инструкции)"),
    "gp_instruction": N_("требуется поручение Генерального Прокурора (п. 7 Инструкции)"),
    "protected_interest": N_("укажите защищаемые интересы (п. 8 Инструкции)"),
    "control_body_failure_or_exception": N_(
        "требуется бездействие контролирующего органа либо исключение (п. 9 Инструкции)"),
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
