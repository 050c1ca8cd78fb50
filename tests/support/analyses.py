"""What the analyses' tests post besides the steps: the certificate of R.18 with its four parts, a
requirement's and a petition's details (R.21–23)."""

from __future__ import annotations

from typing import Any

#: R.11: what the rapport of an analysis opened `via: rapport` states besides its subject (`topic`).
RAPPORT: dict[str, Any] = {"rapport_date": "2021-07-30", "rapport_author": "Сарсенбаев И. М., прокурор",
                           "grounds": "Обращения граждан о нарушениях при закупках.",
                           "period_from": "2020-01-01", "period_to": "2020-12-31", "term_days": 30}
#: The same as the new-analysis form posts it.
RAPPORT_FORM: dict[str, str] = {f"details.{k}": str(v) for k, v in RAPPORT.items()}
#: R.18: the certificate drawn up when an analysis ends (its date is the `ended` step's).
CERTIFICATE: dict[str, Any] = {
    "topic": "Соблюдение законодательства о государственных закупках",
    "period_from": "2025-01-01", "period_to": "2025-12-31",
    "findings": "Установлены нарушения сроков оплаты по договорам.",
    "statistics": "Проверено 40 договоров, нарушения в 12.",
    "conclusions": "Состояние законности неудовлетворительное.",
    "causes": "Слабый внутренний контроль заказчиков.",
    "proposals": "Внести представление, предложить изменения в правила закупок.",
}
#: R.21–22: a requirement to an authorized body (the justification: a district prosecutor's notifies).
REQUIREMENT: dict[str, Any] = {"authority_name": "Департамент внутреннего государственного аудита",
                               "subject_name": "ГУ «Отдел образования»",
                               "justification": "Нарушения носят системный характер."}
#: R.23: a petition to the Prosecutor General for a check of a business.
PETITION: dict[str, Any] = {"subject_name": "ТОО «Жилстройсервис»", "justification": "Угроза жизни жильцов.",
                            "violations": "Нарушения требований безопасности при эксплуатации домов.",
                            "measures": "Уполномоченный орган мер не принял."}
