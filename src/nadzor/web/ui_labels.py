"""Words of the interface that come from data rather than templates, marked for the catalog so
that Kazakh mode shows them in Kazakh (issue 7 §6): position titles, subject areas, levels and
kinds of office, the fixed messages of validation and the labels of the older forms. Each table
repeats the domain's Russian text exactly (a test compares them); the catalog translates it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from nadzor.domain.org import POSITION_LABELS, SUBJECT_AREAS


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


class _Named(Protocol):
    name_ru: str
    name_kk: str


Translate = Callable[[str], str]

#: domain.org.POSITION_LABELS, marked.
POSITION_TITLES: dict[str, str] = {
    "prosecutor_general": N_("Генеральный Прокурор"),
    "deputy_prosecutor_general": N_("заместитель Генерального Прокурора"),
    "gpo_unit_head": N_("руководитель самостоятельного структурного подразделения Генеральной прокуратуры"),
    "gpo_unit_deputy_head": N_("заместитель руководителя самостоятельного структурного подразделения "
                               "Генеральной прокуратуры"),
    "regional_prosecutor": N_("прокурор области и приравненный к нему прокурор"),
    "deputy_regional_prosecutor": N_("заместитель прокурора области"),
    "regional_unit_head": N_("начальник структурного подразделения областной и приравненной прокуратуры"),
    "district_prosecutor": N_("прокурор района и приравненный к нему прокурор"),
    "deputy_district_prosecutor": N_("заместитель прокурора района"),
    "prosecutor": N_("прокурор"),
}

#: domain.org.SUBJECT_AREAS, marked.
AREA_TITLES: dict[str, str] = {
    "all": N_("все направления"),
    "checks": N_("проверки соблюдения законности"),
    "analysis": N_("анализ состояния законности и оценка актов"),
    "civil": N_("гражданские дела"),
    "administrative": N_("административные дела"),
    "admin_offences": N_("дела об административных правонарушениях"),
    "enforcement": N_("исполнительное производство"),
    "entrepreneurship": N_("защита прав предпринимателей"),
    "social": N_("социальная сфера"),
    "budget": N_("бюджет и государственные закупки"),
    "land": N_("земельные отношения"),
    "environment": N_("охрана окружающей среды"),
}

#: The fixed messages of validation (rules.base and the services) shown in Kazakh mode.
VALIDATION_MESSAGES = (
    N_("обязательное поле не заполнено"),
    N_("неизвестное поле: правило его не принимает"),
    N_("ожидается логическое значение true или false"),
    N_("ожидается целое число"),
    N_("ожидается строка"),
    N_("ожидается список"),
    N_("ожидается объект"),
    N_("ожидается дата в формате ГГГГ-ММ-ДД"),
    N_("значение не может быть пустым"),
    N_("недопустимый формат"),
    N_("сотрудник уже занимает эту должность в этой прокуратуре"),
    N_("в этот период сотрудник уже исполняет обязанности по другой должности"),
    N_("зона должна быть прокуратурой, нижестоящей по отношению к прокуратуре сотрудника"),
    N_("зонально-предметный принцип применяется в Генеральной прокуратуре и прокуратурах областей "
       "(п. 68 Инструкции)"),
    N_("исполнение обязанностей в другой прокуратуре, не в той, где сотрудник работает"),
    N_("неверный текущий пароль"),
    N_("новый пароль и его повтор не совпадают"),
    N_("новый пароль должен отличаться от текущего"),
)

#: Labels and hints of the older forms (pages.py), marked.
FORM_LABELS = (
    N_("Дата"), N_("Рабочий день"), N_("Отметьте для рабочей субботы; снимите для выходного"),
    N_("Название (праздник, перенос)"), N_("Номер постановления Правительства РК"), N_("Дата постановления"),
    N_("Код"), N_("латиница, цифры, точка, дефис: almaty_region.talgar"), N_("Вышестоящая прокуратура"),
    N_("Уровень"), N_("Вид"), N_("Наименование (рус.)"), N_("Наименование (каз.)"), N_("Место дислокации"),
    N_("Действует с"), N_("Действует по"), N_("Прежние наименования (JSON)"),
    N_("Фамилия, имя, отчество"), N_("Должность"), N_("Прокуратура"), N_("Электронная почта"), N_("Работает"),
    N_("Сотрудник"), N_("Исполняет обязанности по должности"), N_("В прокуратуре"), N_("С"), N_("По"),
    N_("Основание (приказ)"), N_("Сотрудник (ГП или прокуратура области)"), N_("Зона (нижестоящая прокуратура)"),
    N_("Предметные направления"), N_("Администратор"), N_("Язык интерфейса"), N_("Логин"),
    N_("Пароль (не менее 10 символов)"), N_("Учётная запись действует"),
    N_("Новый пароль (оставьте пустым, чтобы не менять)"), N_("Версия записи"), N_("Форма"), N_("Подтверждение"),
    N_("Запрос"),
)


#: Names of the calendar's days (adapters.calendar_sources, domain.calendar), marked.
HOLIDAY_NAMES = (
    N_("Новый год"), N_("Православное Рождество"), N_("Международный женский день"), N_("Наурыз мейрамы"),
    N_("Праздник единства народа Казахстана"), N_("День защитника Отечества"), N_("День Победы"),
    N_("День Столицы"), N_("Курбан айт"), N_("День Конституции Республики Казахстан"),
    N_("День Первого Президента Республики Казахстан"), N_("День Независимости"), N_("День Республики"),
    N_("Выходной день (суббота)"), N_("Выходной день (воскресенье)"),
    N_("Рабочий день, перенесённый постановлением Правительства РК"),
)
_MOVED = re.compile(r"Выходной день, перенесённый с (\d{2}\.\d{2}\.\d{4}) постановлением Правительства РК")
_SUFFIXES = (N_(" (перенос выходного дня)"), N_(" (ориентировочно)"))

#: Messages the older pages put together in Python.
PAGE_MESSAGES = (
    N_("Календарь на этот год не ведётся"), N_("Рабочий календарь ведётся на %(first)s–%(last)s годы."),
    N_("Выходной день, перенесённый с %(day)s постановлением Правительства РК"),
    # web.app's titles of error pages and web.problems' messages of the HTTP layer
    N_("Некорректный запрос"), N_("Требуется вход"), N_("Доступ запрещён"), N_("Не найдено"),
    N_("Метод не поддерживается"), N_("Конфликт изменений"), N_("Слишком большой запрос"),
    N_("Некорректные входные данные"), N_("Слишком много попыток"), N_("Внутренняя ошибка сервера"),
    N_("Сервис временно недоступен"), N_("Ошибка"), N_("страница или ресурс не найдены"),
    N_("метод не поддерживается для этого адреса"),
)


#: The titles of the rules (rules.REGISTRY), marked: a test keeps them equal to the rules' own.
RULE_TITLES: dict[str, str] = {
    "calendar.working_day": N_("Рабочий ли день"),
    "calendar.add_working_days": N_("Отсчёт рабочих дней"),
    "check.admissibility": N_("Допустимость назначения проверки"),
    "check.resolution_signer": N_("Вынесение постановления о производстве проверки"),
    "check.resolution_completeness": N_("Полнота постановления о производстве проверки"),
    "check.last_day": N_("Последний день проверки"),
    "check.extension_petition_due": N_("Срок внесения ходатайства о продлении проверки"),
    "check.extension_petition_signer": N_("Подписание ходатайства о продлении проверки"),
    "check.suspension_ground": N_("Основание приостановления проверки"),
    "check.order_notice_due": N_("Уведомление о постановлении по проверке"),
    "check.certificate_delivery_due": N_("Срок вручения справки о результатах проверки"),
    "check.certificate_objection_due": N_("Срок представления возражений к справке"),
    "check.certificate_completeness": N_("Полнота справки о результатах проверки"),
    "check.business_petition_review_due": N_("Срок рассмотрения ходатайства о проверке субъекта предпринимательства"),
    "check.business_petition_signer": N_("Подписание ходатайства о проверке субъекта предпринимательства"),
    "check.expertise_resolution_signer": N_("Вынесение постановления о назначении экспертизы"),
    "check.orm_resolution_signer": N_("Вынесение постановления о проведении оперативно-розыскных мероприятий"),
    "check.lawsuit_allowed": N_("Предъявление иска по результатам проверки"),
    "analysis.rapport_approver": N_("Утверждение рапорта о проведении анализа"),
    "analysis.last_day": N_("Последний день анализа"),
    "analysis.info_request_due": N_("Срок исполнения запроса прокурора о предоставлении информации"),
    "analysis.info_request_allowed": N_("Допустимость запроса информации при анализе"),
    "analysis.certificate_objection_due": N_("Срок возражений к справке по результатам анализа"),
    "analysis.requirement_signer": N_("Требование о проведении проверки"),
    "analysis.periodic_obligations": N_("Периодическая отчётность по результатам анализа"),
    "evaluation.act_provision_due": N_("Срок представления актов и решений для оценки"),
    "evaluation.suspension_signer": N_("Приостановление действия акта"),
    "act.via_gpo": N_("Внесение акта надзора через Генеральную прокуратуру"),
    "act.gpo_approval_due": N_("Срок согласования акта Генеральной прокуратурой"),
    "act.superior_review_due": N_("Срок проверки акта вышестоящим прокурором"),
    "act.response_review_due": N_("Срок изучения ответа на акт надзора"),
    "act.databank_entry_due": N_("Срок пополнения Банка данных Генеральной прокуратуры"),
    "court.civil_entry_grounds": N_("Вступление прокурора в гражданский процесс"),
    "court.admin_entry_grounds": N_("Вступление прокурора в административный процесс"),
    "court.admin_offence_participation": N_("Обязательное участие прокурора по делу об административном "
                                            "правонарушении"),
    "court.competent_office": N_("Прокуратура, обеспечивающая участие в суде"),
    "court.appeal_signer": N_("Подписание апелляционного ходатайства (протеста)"),
    "court.conclusion_to_gpo_due": N_("Срок направления заключения в Генеральную прокуратуру"),
    "court.cassation_representation_due": N_("Срок внесения представления о принесении кассационного протеста"),
    "court.case_request_due": N_("Срок истребования дела"),
    "court.admin_cassation_petition_due": N_("Срок подачи кассационного ходатайства по административному делу"),
    "court.admin_arrest_review_due": N_("Срок проверки законности постановления об административном аресте"),
    "court.appellate_act_report_due": N_("Срок направления апелляционного акта в Генеральную прокуратуру"),
    "court.violation_register_check_due": N_("Срок проверки судебного акта для реестра нарушений"),
    "court.complaint_handling": N_("Рассмотрение обращения о принесении протеста"),
    "gpo.case_request_due": N_("Срок направления дела в Генеральную прокуратуру"),
    "gpo.cassation_review_due": N_("Срок рассмотрения ходатайства о принесении кассационного протеста"),
    "gpo.cassation_petition_defects": N_("Основания возврата ходатайства о принесении кассационного протеста"),
    "gpo.admin_offence_petition_defects": N_("Основания возврата ходатайства по делу об административном "
                                             "правонарушении"),
    "enforcement.removal_allowed": N_("Изъятие исполнительного документа из производства судебного исполнителя"),
    "enforcement.refusal_cancel_signer": N_("Отмена постановления прокурора об отказе в даче санкции на "
                                            "исполнительные действия"),
}

#: Parameters of page addresses and hidden form fields, named in words on an error page.
PARAMETER_LABELS: dict[str, str] = {
    "office_id": N_("Прокуратура"), "person_id": N_("Сотрудник"), "user_id": N_("Учётная запись"),
    "item_id": N_("Запись"), "token_id": N_("Токен API"), "year": N_("Год"), "on": N_("Дата"), "day": N_("Дата"),
    "page_no": N_("Страница"), "version": N_("Версия записи"), "full_name": N_("Фамилия, имя, отчество"),
    "proceeding_id": N_("Производство"), "date_from": N_("Дата с"), "date_to": N_("Дата по"),
    "csrf_token": N_("Форма"), "name": N_("Название"), "days": N_("Дней"),
}


def holiday_name(name: str, t: Translate) -> str:
    """A day's name in the interface's language: each part of a joined name («; ») translated,
    with its suffix; a name the catalog does not know stays as the source gave it."""
    parts = []
    for one in name.split("; "):
        moved = _MOVED.fullmatch(one)
        if moved:
            parts.append(t("Выходной день, перенесённый с %(day)s постановлением Правительства РК")
                         % {"day": moved[1]})
            continue
        suffix = ""
        for ending in _SUFFIXES:
            if one.endswith(ending):
                one, suffix = one[: -len(ending)], t(ending) + suffix
        parts.append(t(one) + suffix)
    return "; ".join(parts)


def position_options(t: Translate) -> tuple[tuple[str, str], ...]:
    return tuple((code, t(POSITION_TITLES.get(code, label))) for code, label in POSITION_LABELS.items())


def area_options(t: Translate) -> tuple[tuple[str, str], ...]:
    return tuple((code, t(AREA_TITLES.get(code, label))) for code, label in SUBJECT_AREAS.items())


def office_name(office: _Named, lang: str) -> str:
    """The office's name in the interface's language: `name_kk` where it is stored."""
    return office.name_kk if lang == "kk" and office.name_kk else office.name_ru
