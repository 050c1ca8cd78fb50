"""The organization as data (import/export, names as they were), authority on a date with acting
assignments applied through the signer rules, zonal routing (I.68) and scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from nadzor.accounts import service as accounts
from nadzor.audit.tables import audit_log
from nadzor.bootstrap import Platform
from nadzor.domain.org import Person
from nadzor.infra.context import cli_actor
from nadzor.infra.errors import InvalidInput, NotFound
from nadzor.org import files as org_files
from nadzor.org import service as org
from nadzor.org.tables import offices

ACTOR = cli_actor()


def _office(platform: Platform, code: str) -> int:
    with platform.read_only() as session:
        found = org.office_by_code(session, code)
        assert found is not None and found.id is not None
        return found.id


def _person(platform: Platform, name: str) -> Person:
    with platform.read_only() as session:
        found = next(p for p in org.access_people(session, ACTOR) if p.full_name == name)
        return found


def _actor_of(platform: Platform, login: str):
    with platform.read_only() as session:
        user = accounts.user_by_login(session, login)
        assert user is not None
        return accounts.actor_for(session, user)


def test_the_real_region_list_is_loaded(demo: Platform) -> None:
    with demo.read_only() as session:
        regional = [o for o in org.all_offices(session) if o.level == "regional"]
    codes = {o.code for o in regional}
    assert len([o for o in regional if o.kind == "territorial"]) == 20  # 17 oblasts, Almaty, Shymkent, Astana
    assert {"main_military", "main_transport", "abai_region", "zhetysu_region", "ulytau_region"} <= codes


@pytest.mark.parametrize(
    ("code", "day", "name"),
    [
        ("astana_city", date(2021, 8, 2), "Прокуратура города Нур-Султан"),
        ("astana_city", date(2023, 1, 10), "Прокуратура города Астаны"),
        ("turkistan_region", date(2018, 3, 1), "Прокуратура Южно-Казахстанской области"),
        ("turkistan_region", date(2021, 3, 1), "Прокуратура Туркестанской области"),
    ],
)
def test_an_office_shows_the_name_it_had_on_the_date(demo: Platform, code: str, day: date, name: str) -> None:
    with demo.read_only() as session:
        office = org.office_by_code(session, code)
        assert office is not None and office.name_on(day) == name


def test_regions_created_in_2022_did_not_exist_in_2021(demo: Platform) -> None:
    with demo.read_only() as session:
        abai = org.office_by_code(session, "abai_region")
        assert abai is not None
        assert not abai.active_on(date(2021, 8, 2)) and abai.active_on(date(2022, 6, 8))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_of_the_tree_changes_nothing(demo: Platform, fmt: str) -> None:
    with demo.read_only() as session:
        items = org.export_offices(session, ACTOR)
    text = org_files.render_csv(items) if fmt == "csv" else org_files.render_json(items)
    parsed = org_files.parse_csv(text) if fmt == "csv" else org_files.parse_json(text)
    with demo.transaction() as session:
        summary = org.do_import_offices(session, parsed, actor=ACTOR)
    assert summary == {"created": 0, "updated": 0, "unchanged": len(items)}


def test_an_import_with_one_bad_line_changes_nothing(demo: Platform) -> None:
    with demo.read_only() as session:
        items = org.export_offices(session, ACTOR)
        before = session.scalar(select(func.count()).select_from(offices))
        audit_before = session.scalar(select(func.count()).select_from(audit_log))
    items[3]["name_ru"] = "Переименованная прокуратура"
    items.append({**items[-1], "code": "new.office", "parent_code": "no_such_parent"})
    with pytest.raises(InvalidInput) as refused, demo.transaction() as session:
        org.do_import_offices(session, items, actor=ACTOR)
    assert refused.value.errors[0].field == f"offices.{len(items) - 1}.parent_code"
    with demo.read_only() as session:
        assert session.scalar(select(func.count()).select_from(offices)) == before
        assert session.scalar(select(func.count()).select_from(audit_log)) == audit_before
        assert org.office_by_code(session, items[3]["code"]).name_ru != "Переименованная прокуратура"  # type: ignore[union-attr]


def test_office_levels_must_nest(demo: Platform) -> None:
    data = {"code": "x.bad", "parent_code": "gpo", "level": "district", "kind": "territorial", "name_ru": "Х",
            "city": "Астана"}
    with pytest.raises(InvalidInput) as refused, demo.transaction() as session:
        org.do_create_office(session, data, actor=ACTOR)
    assert refused.value.errors[0].field == "parent_code"


# ----------------------------------------------------------------------------- authority


def test_a_deputy_acting_for_the_head_signs_as_the_head_only_during_the_acting_period(demo: Platform) -> None:
    deputy = _person(demo, "Есимова Алия Нурлановна")  # deputy prosecutor of Medeu district, acting 2–20 Aug 2021
    assert deputy.id is not None
    cal = demo.calendar()
    with demo.read_only() as session:
        during = org.check_signature(session, ACTOR, deputy.id, "check.resolution_signer", date(2021, 8, 10), {},
                                     calendar=cal)
        after = org.check_signature(session, ACTOR, deputy.id, "check.resolution_signer", date(2021, 8, 21), {},
                                    calendar=cal)
        authority = org.access_authority(session, ACTOR, deputy.id, date(2021, 8, 10), calendar=cal)
    assert during["result"] == {"allowed": True}
    assert during["signer"] == {"position": "deputy_district_prosecutor", "acting_for": "district_prosecutor"}
    assert after["result"] == {"allowed": False}
    assert [a["position"] for a in authority["acting"]] == ["district_prosecutor"]
    assert authority["signer_rules"]["check.resolution_signer"]["allowed"] is True
    assert authority["signer_rules"]["check.business_petition_signer"]["allowed"] is False


def test_signer_rules_with_more_input_go_through_the_authority_too(demo: Platform) -> None:
    head = _person(demo, "Бекмуханов Ерлан Сагинтаевич")  # regional prosecutor of Karaganda
    assert head.id is not None
    cal = demo.calendar()
    with demo.read_only() as session:
        to_gp = org.check_signature(session, ACTOR, head.id, "check.extension_petition_signer", date(2021, 8, 2),
                                    {"addressee": "prosecutor_general"}, calendar=cal)
        to_region = org.check_signature(session, ACTOR, head.id, "check.extension_petition_signer",
                                        date(2021, 8, 2), {"addressee": "regional_prosecutor"}, calendar=cal)
        with pytest.raises(InvalidInput) as refused:
            org.check_signature(session, ACTOR, head.id, "calendar.working_day", date(2021, 8, 2), {}, calendar=cal)
    assert (to_gp["result"]["allowed"], to_region["result"]["allowed"]) == (True, False)
    assert refused.value.errors[0].field == "rule"


def test_acting_periods_of_one_person_must_not_overlap(demo: Platform) -> None:
    deputy = _person(demo, "Есимова Алия Нурлановна")
    data = {"person_id": deputy.id, "acting_for": "district_prosecutor",
            "office_id": _office(demo, "almaty_city.medeu_district"), "date_from": "2021-08-15",
            "date_to": "2021-09-01", "basis": "Приказ"}
    with pytest.raises(InvalidInput) as refused, demo.transaction() as session:
        org.do_create_acting(session, data, actor=ACTOR)
    assert refused.value.errors[0].field == "date_from"


# ------------------------------------------------------------------------------- routing


def test_superior_review_of_a_district_goes_to_the_prosecutor_assigned_to_its_zone(demo: Platform) -> None:
    temirtau = _office(demo, "karaganda_region.temirtau_city")
    with demo.read_only() as session:
        civil = org.access_zone_route(session, ACTOR, temirtau, "civil", date(2026, 3, 1))
        land = org.access_zone_route(session, ACTOR, temirtau, "land", date(2026, 3, 1))
        before = org.access_zone_route(session, ACTOR, temirtau, "land", date(2025, 3, 1))
        region = org.access_zone_route(session, ACTOR, _office(demo, "karaganda_region.balkhash_city"), "land",
                                       date(2026, 3, 1))
    assert civil["person"]["full_name"] == "Смагулов Данияр Асхатович"  # subject assignment beats "all"
    assert land["person"]["full_name"] == "Ли Елена Викторовна"
    assert before["person"] is None
    assert region["person"]["full_name"] == "Тулегенов Арман Болатович"  # GPO zone: the whole region


def test_zones_are_assigned_in_gpo_and_regional_offices_only(demo: Platform) -> None:
    district_prosecutor = _person(demo, "Калиев Нурлан Бакытович")
    data = {"person_id": district_prosecutor.id, "zone_office_id": _office(demo, "karaganda_region.temirtau_city"),
            "areas": ["all"], "date_from": "2026-01-01"}
    with pytest.raises(InvalidInput) as refused, demo.transaction() as session:
        org.do_create_zone(session, data, actor=ACTOR)
    assert refused.value.errors[0].field == "person_id"


# --------------------------------------------------------------------------------- scope


def test_a_district_sees_its_own_people_a_region_its_districts_and_the_gpo_everyone(demo: Platform) -> None:
    medeu, almaty, gp = (_actor_of(demo, login) for login in ("medeu", "almaty", "genprokuror"))
    with demo.read_only() as session:
        seen = {name: {p.office_id for p in org.access_people(session, actor)}
                for name, actor in (("medeu", medeu), ("almaty", almaty), ("gp", gp))}
        everyone = {p.office_id for p in org.access_people(session, ACTOR)}
    assert seen["medeu"] == {_office(demo, "almaty_city.medeu_district")}
    assert seen["almaty"] == {_office(demo, c) for c in ("almaty_city", "almaty_city.medeu_district",
                                                        "almaty_city.bostandyk_district")}
    assert seen["gp"] == everyone


def test_a_person_outside_the_scope_is_not_found(demo: Platform) -> None:
    medeu = _actor_of(demo, "medeu")
    outsider = _person(demo, "Бекмуханов Ерлан Сагинтаевич")
    with demo.read_only() as session, pytest.raises(NotFound):
        org.access_person(session, medeu, outsider.id or 0)
