"""What the analyses' tests post besides the steps: the certificate of R.18 with its four parts, a
requirement's and a petition's details (R.21–23)."""

from __future__ import annotations

from typing import Any

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
