"""The lists of issue 7 §1 and §6 on SQLite and PostgreSQL: people, users, acting assignments,
offices, zones and the audit trail — search, filters (wrong values answered on their field), sorted
columns, numbered pages, CSV and XLSX export of exactly what is filtered, the empty result; the
searchable office tree; the readable audit diff; every record's «История» tab; the rule search."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from nadzor.bootstrap import Platform
from tests.support.web import bearer, client_for, office_id, person_id, web_login


@pytest.fixture
def admin(demo: Platform) -> TestClient:
    client = client_for(demo)
    web_login(client, "admin")
    return client


def csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def linked_names(html: str, prefix: str) -> list[str]:
    return re.findall(rf'<a href="{prefix}/\d+">([^<]+)</a>', html)


# ------------------------------------------------------------------------------ people


def test_people_are_searched_filtered_sorted_paged_and_exported_as_filtered(admin: TestClient) -> None:
    found = admin.get("/people", params={"q": "АЙГУЛЬ"})  # Cyrillic case folded on both databases
    assert found.status_code == 200
    assert linked_names(found.text, "/people") == ["Жумабаева Айгуль Сериковна"]
    temirtau = office_id(admin, bearer(admin, "admin"), "karaganda_region.temirtau_city")
    region = office_id(admin, bearer(admin, "admin"), "karaganda_region")
    subtree = linked_names(admin.get("/people", params={"office_id": region, "sort": "full_name", "dir": "asc"}).text,
                           "/people")
    exact = linked_names(admin.get("/people", params={"office_id": region, "exact": "1"}).text, "/people")
    assert set(exact) < set(subtree) and "Калиев Нурлан Бакытович" in subtree and len(exact) == 4
    assert subtree == sorted(subtree)
    heads = linked_names(admin.get("/people", params={"position": "district_prosecutor", "sort": "full_name",
                                                      "dir": "desc"}).text, "/people")
    assert heads == sorted(heads, reverse=True) and len(heads) == 5
    assert 'aria-sort="descending"' in admin.get("/people", params={"sort": "full_name", "dir": "desc"}).text
    first = admin.get("/people", params={"size": "20", "sort": "full_name", "dir": "asc"})
    second = admin.get("/people", params={"size": "20", "sort": "full_name", "dir": "asc", "page": "2"})
    assert 'aria-current="page">1<' in first.text and "page=2" in first.text
    names_1, names_2 = linked_names(first.text, "/people"), linked_names(second.text, "/people")
    assert len(names_1) == 20 and names_1 + names_2 == sorted(names_1 + names_2) and not set(names_1) & set(names_2)
    beyond = admin.get("/people", params={"size": "20", "page": "9"})
    assert beyond.status_code == 303 and "page=2" in beyond.headers["location"]
    rows = csv_rows(admin.get("/people/export", params={"format": "csv", "office_id": temirtau, "sort": "full_name",
                                                        "dir": "asc"}))
    assert rows[0] == ["ФИО", "Должность", "Прокуратура", "Электронная почта", "Статус"]
    assert [r[0] for r in rows[1:]] == ["Ермеков Даурен Асылбекович", "Калиев Нурлан Бакытович",
                                        "Садыкова Ботагоз Айдаровна"]
    assert rows[2][1] == "прокурор района и приравненный к нему прокурор" and rows[2][4] == "работает"
    book = admin.get("/people/export", params={"format": "xlsx", "q": "айгуль"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()][1][0] == "Жумабаева Айгуль Сериковна"
    empty = admin.get("/people", params={"q": "нет такого сотрудника"})
    assert empty.status_code == 200 and 'id="empty"' in empty.text and "Ничего не найдено" in empty.text


def test_a_prosecutor_lists_only_the_people_of_their_scope(demo: Platform) -> None:
    client = client_for(demo)
    web_login(client, "temirtau")
    names = linked_names(client.get("/people", params={"size": "100"}).text, "/people")
    assert sorted(names) == ["Ермеков Даурен Асылбекович", "Калиев Нурлан Бакытович", "Садыкова Ботагоз Айдаровна"]
    rows = csv_rows(client.get("/people/export"))
    assert len(rows) == 4 and "Асанов Берик Нурланович" not in str(rows)
    api = client.get("/api/v1/people", params={"q": "асанов"}, headers=bearer(client, "temirtau"))
    assert api.status_code == 200 and api.json() == [] and api.headers["x-total-count"] == "0"


def test_wrong_filter_values_are_answered_against_their_inputs_and_by_the_api(admin: TestClient) -> None:
    bad = admin.get("/people", params={"office_id": "abc", "position": "emperor", "size": "7"})
    assert bad.status_code == 422
    for field in ("office_id", "position", "size"):
        assert f'href="#f-{field}"' in bad.text, field
    assert 'id="f-position" name="position" aria-invalid="true" aria-describedby="f-position-error"' in bad.text
    assert "emperor" not in re.sub(r"<[^>]+>", "", bad.text.split('id="error-summary"')[1].split("</div>")[0])
    export = admin.get("/people/export", params={"position": "emperor"})
    assert export.status_code == 422
    headers = bearer(admin, "admin")
    api = admin.get("/api/v1/people", params={"position": "emperor"}, headers=headers)
    assert api.status_code == 422 and [e["field"] for e in api.json()["errors"]] == ["position"]
    api_sort = admin.get("/api/v1/acting", params={"sort": "nonsense"}, headers=headers)
    assert api_sort.status_code == 422 and [e["field"] for e in api_sort.json()["errors"]] == ["sort"]


# ------------------------------------------------------------------------------- users


def test_users_are_filtered_by_role_and_exported(admin: TestClient) -> None:
    admins = admin.get("/users", params={"role": "admin"})
    assert admins.status_code == 200 and linked_names(admins.text, "/users") == ["admin"]
    others = linked_names(admin.get("/users", params={"role": "user", "sort": "login", "dir": "desc"}).text, "/users")
    assert others == ["temirtau", "medeu", "karaganda", "genprokuror", "almaty"]
    rows = csv_rows(admin.get("/users/export", params={"q": "бекмуханов"}))
    assert rows[1][:3] == ["karaganda", "Бекмуханов Ерлан Сагинтаевич", "пользователь"]
    api = admin.get("/api/v1/users", params={"role": "user", "limit": 2, "offset": 1}, headers=bearer(admin, "admin"))
    assert [u["login"] for u in api.json()] == ["genprokuror", "karaganda"] and api.headers["x-total-count"] == "5"


# ---------------------------------------------------------------- acting, zones, offices


def test_acting_and_zones_are_filtered_sorted_and_exported(admin: TestClient) -> None:
    current = admin.get("/acting", params={"on": "2026-11-29"})
    assert linked_names(current.text, "/people") == ["Садыкова Ботагоз Айдаровна"]
    by_start = admin.get("/acting", params={"sort": "date_from", "dir": "asc"})
    assert re.findall(r"<td>(\d\d\.\d\d\.\d{4})</td><td>", by_start.text)[0] == "02.08.2021"
    rows = csv_rows(admin.get("/acting/export", params={"q": "отпуск прокурора района"}))
    assert len(rows) == 2 and rows[1][0] == "Есимова Алия Нурлановна" and rows[1][3:5] == ["02.08.2021", "20.08.2021"]
    land = linked_names(admin.get("/zones", params={"zone_area": "land"}).text, "/people")  # «all» covers it
    assert len(land) == 5 and not {"Абдрахманова Салтанат Маратовна", "Смагулов Данияр Асхатович"} & set(land)
    civil = linked_names(admin.get("/zones", params={"zone_area": "civil"}).text, "/people")
    assert len(civil) == 7 and "Смагулов Данияр Асхатович" in civil
    rows = csv_rows(admin.get("/zones/export", params={"q": "ли елена", "sort": "zone", "dir": "asc"}))
    assert [r[1] for r in rows[1:]] == sorted(r[1] for r in rows[1:]) and len(rows) == 3
    bad = admin.get("/zones", params={"active_on": "2026-02-30"})
    assert bad.status_code == 422 and 'href="#f-active_on"' in bad.text


def test_the_office_tree_is_collapsible_and_searchable_and_the_table_exports(admin: TestClient) -> None:
    tree = admin.get("/offices")
    assert tree.status_code == 200 and "<details" in tree.text and "<summary>" in tree.text
    found = admin.get("/offices", params={"q": "темиртау"})
    shown = re.findall(r'<a href="/offices/\d+\?on=[\d-]+">([^<]+)</a>', found.text)
    assert any("Темиртау" in name for name in shown)
    assert any("Карагандинской" in name for name in shown)  # the office above it stays, to show where it is
    assert not any("Алматы" in name for name in shown) and "<details open>" in found.text
    table = admin.get("/offices", params={"view": "table", "level": "district", "sort": "name", "dir": "asc",
                                          "size": "20"})
    assert table.status_code == 200 and "page=2" in table.text and 'aria-sort="ascending"' in table.text
    rows = csv_rows(admin.get("/offices/export", params={"q": "темиртау"}))
    assert len(rows) == 2 and rows[1][1] == "karaganda_region.temirtau_city" and rows[1][3] == "районный уровень"
    nothing = admin.get("/offices", params={"q": "нет такой прокуратуры"})
    assert 'id="empty"' in nothing.text


# ------------------------------------------------------------------------------- audit


def test_an_impossible_audit_date_is_answered_on_the_page_and_by_the_api(admin: TestClient) -> None:
    page = admin.get("/audit", params={"date_from": "2026-02-30"})
    assert page.status_code == 422
    assert 'href="#f-date_from">С даты:' in page.text and 'id="f-date_from"' in page.text
    backwards = admin.get("/audit", params={"date_from": "2026-11-29", "date_to": "2026-11-01"})
    assert backwards.status_code == 422 and 'href="#f-date_to"' in backwards.text
    api = admin.get("/api/v1/audit", params={"date_from": "2026-02-30"}, headers=bearer(admin, "admin"))
    assert api.status_code == 422 and [e["field"] for e in api.json()["errors"]] == ["date_from"]


def test_the_audit_shows_a_readable_diff_with_russian_labels_names_and_local_times(admin: TestClient) -> None:
    headers = bearer(admin, "admin")
    pid = person_id(admin, headers, "Ли Елена Викторовна")
    person = admin.get(f"/api/v1/people/{pid}", headers=headers).json()
    changed = admin.put(f"/api/v1/people/{pid}", headers=headers,
                        json={**{k: person[k] for k in ("full_name", "office_id", "email", "active", "version")},
                              "position": "regional_unit_head"})
    assert changed.status_code == 200, changed.text
    page = admin.get("/audit", params={"object_type": "person", "object_id": str(pid)})
    assert page.status_code == 200
    first = page.text.split("<tbody>", 1)[1].split("<tr><td>")[1]  # the newest row
    assert "Изменены сведения о сотруднике" in first and "Сотрудник" in first
    assert re.search(r"<td>\d\d\.\d\d\.\d{4} \d\d:\d\d</td>", first)  # Almaty, dd.mm.yyyy HH:MM
    diff = first.split('<table class="diff">')[1].split("</table>")[0]
    assert '<th scope="row">Должность</th><td class="old">прокурор</td>' in diff
    assert "начальник структурного подразделения областной и приравненной прокуратуры" in diff
    assert "position" not in diff and "regional_unit_head" not in diff and "version" not in diff
    created = admin.get("/audit", params={"action": "acting.created", "dir": "asc"}).text
    assert "Карагандинской области" in created.split('<table class="diff">')[1]  # the office by name
    rows = csv_rows(admin.get("/audit/export", params={"object_type": "person", "object_id": str(pid)}))
    assert rows[0][-3:] == ["Поле", "Было", "Стало"]
    assert ["Должность", "прокурор", "начальник структурного подразделения областной и приравненной прокуратуры"] \
        in [r[-3:] for r in rows]


# ----------------------------------------------------------------------------- history


def test_every_record_has_a_history_tab_of_its_own_changes_for_who_may_read_the_audit(demo: Platform) -> None:
    client = client_for(demo)
    web_login(client, "admin")
    headers = bearer(client, "admin")
    office = office_id(client, headers, "karaganda_region.temirtau_city")
    pid = person_id(client, headers, "Калиев Нурлан Бакытович")
    acting = client.get("/api/v1/acting", params={"person_id": pid + 1}, headers=headers).json()[0]["id"]
    zone = client.get("/api/v1/zones", params={"zone_office_id": office}, headers=headers).json()[0]["id"]
    user = next(u["id"] for u in client.get("/api/v1/users", headers=headers).json() if u["login"] == "temirtau")
    for path, action in ((f"/offices/{office}", "Создана прокуратура"), (f"/people/{pid}", "Добавлен сотрудник"),
                         (f"/acting/{acting}", "Назначено исполнение обязанностей"),
                         (f"/zones/{zone}", "Закреплена зона"), (f"/users/{user}", "Создана учётная запись")):
        record = client.get(path)
        assert record.status_code == 200 and f'href="{path}?tab=history">История</a>' in record.text, path
        history = client.get(path, params={"tab": "history"})
        assert history.status_code == 200 and action in history.text, path
        assert 'aria-current="page">История<' in history.text and '<table class="diff">' in history.text, path
        others = history.text.count("<li><p><strong>")
        assert others == len(re.findall(r"<li><p><strong>\d\d\.\d\d\.\d{4} \d\d:\d\d</strong>", history.text)), path
    own = client.get(f"/people/{pid}", params={"tab": "history"}).text
    assert "Асанов" not in own.split('id="history"')[1]  # only this record's rows
    prosecutor = client_for(demo)
    web_login(prosecutor, "temirtau")
    page = prosecutor.get(f"/people/{pid}")
    assert page.status_code == 200 and "?tab=history" not in page.text
    assert prosecutor.get(f"/people/{pid}", params={"tab": "history"}).status_code == 403


def test_a_proceeding_card_has_a_history_tab(demo_full: Platform) -> None:
    client = client_for(demo_full)
    web_login(client, "admin")
    item = client.get("/api/v1/checks", params={"limit": 1}, headers=bearer(client, "admin")).json()
    first = (item["items"] if isinstance(item, dict) else item)[0]["id"]
    history = client.get(f"/checks/{first}", params={"tab": "history"})
    assert history.status_code == 200 and "Открыто производство" in history.text
    assert "Шаг" in history.text and '<table class="diff">' in history.text


# ------------------------------------------------------------------------------- rules


def test_rule_search_matches_word_forms_and_paragraph_numbers(admin: TestClient) -> None:
    def ids(params: dict[str, str]) -> set[str]:
        return set(re.findall(r"<code>([a-z_.]+)</code>", admin.get("/rules", params=params).text))

    extension = {"check.extension_petition_due", "check.extension_petition_signer"}
    assert ids({"q": "продление"}) == extension == ids({"q": "продлить"}) == ids({"q": "о продлении"})
    citing_16 = {"check.last_day", *extension}
    assert ids({"q": "п. 16"}) >= citing_16 and ids({"q": "16"}) == ids({"q": "п. 16"})
    assert ids({"q": "I.16"}) == citing_16 and ids({"q": "R.16"}) == {"analysis.last_day"}
    assert ids({"q": "срок продления"}) == {"check.extension_petition_due"}
    api = admin.get("/api/v1/rules", params={"q": "п. 16 продление"})
    assert api.status_code == 200 and {r["id"] for r in api.json()} == extension
