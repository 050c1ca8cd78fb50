"""The audit trail made readable (issue 7 §6): each row's change as a before/after table whose fields
are named in words (Russian, Kazakh through the catalog), codes shown by their titles, offices and
people by their names, days as dd.mm.yyyy and moments in Almaty time; the object's kind in words
with a link to the record. Used by `/audit` and by every record's «История» tab."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nadzor.casework.labels import field_label, step_label
from nadzor.casework.service import COLLECTIONS
from nadzor.domain.org import KIND_LABELS, LEVEL_LABELS, POSITION_LABELS, SUBJECT_AREAS, Office
from nadzor.proceedings.kernel import KINDS
from nadzor.web.templating import ALMATY, position_label


def N_(message: str) -> str:
    """Marks a message for the translation catalog; templates translate it."""
    return message


Translate = Callable[[str], str]

OBJECT_TYPES: dict[str, str] = {
    "office": N_("Прокуратура"), "person": N_("Сотрудник"), "acting": N_("Исполнение обязанностей"),
    "zone": N_("Закрепление зоны"), "user": N_("Учётная запись"), "token": N_("Токен API"),
    "calendar_day": N_("День рабочего календаря"), "demo": N_("Демонстрационные данные"),
    "audit": N_("Журнал аудита"), "check": N_("Проверка"), "act": N_("Акт надзора"),
    "evaluation": N_("Оценка акта"), "analysis": N_("Анализ"), "act_type": N_("Вид акта надзора"),
    "attachment": N_("Приложенный файл"), "analysis_plan": N_("План анализов"),
    "organization": N_("Организация"), "kui_material": N_("Материалы КУИ"),
    "kui_reconciliation": N_("Сверка КУИ"), "periodic_report": N_("Периодический отчёт"),
}
#: Where each kind of record is shown (its id appended).
RECORD_PATHS = {"office": "/offices/", "person": "/people/", "acting": "/acting/", "zone": "/zones/",
                "user": "/users/", **{kind: f"/{collection}/" for collection, kind in COLLECTIONS.items()}}

FIELD_LABELS: dict[str, str] = {
    "code": N_("Код"), "parent_code": N_("Вышестоящая прокуратура"), "parent_id": N_("Вышестоящая прокуратура"),
    "level": N_("Уровень"), "kind": N_("Вид"), "name_ru": N_("Наименование (рус.)"),
    "name_kk": N_("Наименование (каз.)"), "city": N_("Место дислокации"), "valid_from": N_("Действует с"),
    "valid_to": N_("Действует по"), "former_names": N_("Прежние наименования"), "full_name": N_("ФИО"),
    "position": N_("Должность"), "office_id": N_("Прокуратура"), "email": N_("Электронная почта"),
    "active": N_("Действует"), "person_id": N_("Сотрудник"), "acting_for": N_("Исполняет обязанности по должности"),
    "date_from": N_("С"), "date_to": N_("По"), "basis": N_("Основание"), "zone_office_id": N_("Зона"),
    "areas": N_("Предметные направления"), "login": N_("Логин"), "is_admin": N_("Администратор"),
    "language": N_("Язык интерфейса"), "locked_until": N_("Вход замедлен до"),
    "failed_logins": N_("Неудачных попыток входа"), "password_changed": N_("Пароль изменён"),
    "day": N_("Дата"), "working": N_("Рабочий день"), "name": N_("Название"),
    "resolution_number": N_("Номер постановления"), "resolution_date": N_("Дата постановления"),
    "number": N_("Номер"), "status": N_("Статус"), "step": N_("Шаг"), "index": N_("Порядковый номер шага"),
    "reason": N_("Причина"), "created": N_("Создано"), "updated": N_("Изменено"), "unchanged": N_("Без изменений"),
    "expires_at": N_("Действует до"), "source": N_("Откуда"), "offices": N_("Прокуратуры"),
    "people": N_("Сотрудники"), "users": N_("Учётные записи"), "moved": N_("Пересчитано производств"),
    "imported": N_("Загружено из файла"), "steps": N_("Шаги"),
}
#: Keys that repeat another key in words (shown from the code) or are bookkeeping.
_HIDDEN = frozenset({"id", "version", "position_label", "acting_for_label", "area_labels"})
_OTHER = N_("Прочие сведения")
_LANGUAGES = {"ru": "Русский", "kk": "Қазақша"}


@dataclass(frozen=True)
class Names:
    """What a change refers to by id or code, in words."""

    offices: Mapping[int, Office]
    people: Mapping[int, str]
    lang: str = "ru"

    def office(self, office_id: Any) -> str:
        office = self.offices.get(office_id) if isinstance(office_id, int) else None
        if office is None:
            return str(office_id)
        return (office.name_kk if self.lang == "kk" and office.name_kk else office.name_ru)

    def office_by_code(self, code: str) -> str:
        found = next((o for o in self.offices.values() if o.code == code), None)
        return self.office(found.id) if found is not None else code


def person_ids(rows: list[dict[str, Any]]) -> set[int]:
    """The people the rows' changes name (to read their names in one query)."""
    found: set[int] = set()
    for row in rows:
        for side in ("before", "after"):
            data = _loads(row.get(side))
            if isinstance(data, dict) and isinstance(data.get("person_id"), int):
                found.add(data["person_id"])
        if row.get("object_type") == "person" and str(row.get("object_id", "")).isdigit():
            found.add(int(row["object_id"]))
    return found


def _loads(raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def local_minute(value: str | datetime | None) -> str:
    """A moment in Almaty as dd.mm.yyyy HH:MM."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M")


def _date_text(value: str) -> str | None:
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.replace("-", "").isdigit():
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    if len(value) > 10 and value[10] == "T" and value[:4].isdigit():
        try:
            return local_minute(value)
        except ValueError:
            return None
    return None


def value_text(key: str, value: Any, object_type: str, names: Names, t: Translate) -> str:
    """One value of a change in words."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return t("да") if value else t("нет")
    if key in ("office_id", "zone_office_id", "parent_id"):
        return names.office(value)
    if key == "parent_code":
        return names.office_by_code(str(value))
    if key == "person_id":
        return names.people.get(value, str(value)) if isinstance(value, int) else str(value)
    if key in ("position", "acting_for") and isinstance(value, str):
        return position_label(value, {code: t(label) for code, label in POSITION_LABELS.items()}, t("и.о."),
                              t("администратор"))
    if key == "level" and value in LEVEL_LABELS:
        return t(LEVEL_LABELS[value])
    if key == "kind" and value in KIND_LABELS:
        return t(KIND_LABELS[value])
    if key == "areas" and isinstance(value, list):
        return ", ".join(t(SUBJECT_AREAS[a]) if a in SUBJECT_AREAS else str(a) for a in value)
    if key == "language" and value in _LANGUAGES:
        return _LANGUAGES[value]
    if key == "status" and object_type in KINDS and isinstance(value, str):
        return t(KINDS[object_type].statuses.get(value, value))
    if key == "step" and isinstance(value, dict) and object_type in KINDS:
        return _step_text(object_type, value, t)
    if key == "steps" and isinstance(value, list) and object_type in KINDS:
        return "; ".join(_step_text(object_type, v, t) for v in value if isinstance(v, dict))
    if key == "former_names" and isinstance(value, list):
        return "; ".join(f"{f.get('name', '')} ({_date_text(str(f.get('valid_from') or '')) or '…'} — "
                         f"{_date_text(str(f.get('valid_to') or '')) or '…'})" for f in value if isinstance(f, dict))
    return _plain(value)


def _step_text(object_type: str, value: dict[str, Any], t: Translate) -> str:
    """A step of a proceeding: its name, its date and its fields in words."""
    kind = KINDS[object_type]
    label = t(step_label(kind, str(value.get("type", ""))))
    day = _date_text(str(value.get("date", ""))) or ""
    details = [f"{t(field_label(kind.name, k))}: {_plain(v)}" for k, v in value.items() if k not in ("type", "date")]
    return " ".join(p for p in (label, day) if p) + (f" ({'; '.join(details)})" if details else "")


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, str):
        return _date_text(value) or value
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def changes(row: Mapping[str, Any], names: Names, t: Translate) -> list[Change]:
    """The fields a row changed (for a creation or a removal: every field it states), in words."""
    before, after = _loads(row.get("before")), _loads(row.get("after"))
    object_type = str(row.get("object_type", ""))
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    keys = [*new, *(k for k in old if k not in new)]
    out = []
    for key in keys:
        if key in _HIDDEN or (old and new and key in old and key in new and old[key] == new[key]):
            continue
        if not (old and new) and (old or new).get(key) in (None, "", []):
            continue  # a record created or removed: only what it held
        own = field_label(object_type, key) if object_type in KINDS else key
        label = t(FIELD_LABELS.get(key) or (own if own != key else _OTHER))
        out.append(Change(label, value_text(key, old[key], object_type, names, t) if key in old else "",
                          value_text(key, new[key], object_type, names, t) if key in new else ""))
    return out


def readable(rows: list[dict[str, Any]], names: Names, t: Translate) -> list[dict[str, Any]]:
    """The rows with what the page shows: the object in words and its link, the office's name, the
    local time and the changes."""
    out = []
    for row in rows:
        object_type = str(row.get("object_type", ""))
        object_id = str(row.get("object_id", ""))
        path = RECORD_PATHS.get(object_type)
        out.append(row | {
            "object_label": t(OBJECT_TYPES.get(object_type, _OTHER)),
            "object_href": f"{path}{object_id}" if path and object_id.isdigit() else "",
            "office_name": names.office_by_code(str(row.get("actor_office", ""))) if row.get("actor_office") else "",
            "local_at": local_minute(row.get("at")),
            "changes": changes(row, names, t),
        })
    return out


def export_table(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The audit list as a spreadsheet: one line per change of a field (a row without fields, once)."""
    table: list[tuple[str, ...]] = [("№", "Время (Алматы)", "Пользователь", "Прокуратура", "Действие", "Объект",
                                     "№ объекта", "Поле", "Было", "Стало")]
    from nadzor.domain.audit import ACTION_LABELS

    for r in rows:
        head = (str(r["seq"]), r["local_at"], r["actor"], r["office_name"], ACTION_LABELS.get(r["action"], r["action"]),
                r["object_label"], r["object_id"])
        for change in r["changes"] or [Change("", "", "")]:
            table.append((*head, change.label, change.before, change.after))
    return table
