"""The signature block's position titles (issue 8 §4: «the signer's position as acting where so»):
every position of RULES.md has a Russian title with the office's name as on the document's date, and
an acting signer signs «Исполняющий обязанности» + the genitive of the position acted for."""

from __future__ import annotations

from datetime import date

import pytest

from nadzor.casework.documents import position_titles, ru, signer_title
from nadzor.domain.org import LEVEL_POSITIONS, Office

GPO = Office("gpo", "gpo", "territorial", "Генеральная прокуратура Республики Казахстан", "Астана")
KARAGANDA = Office("karaganda_region", "regional", "territorial", "Прокуратура Карагандинской области", "Караганда")
MEDEU = Office("almaty_city.medeu_district", "district", "territorial",
               "Прокуратура Медеуского района города Алматы", "Алматы")
ASTANA = Office("astana_city", "regional", "territorial", "Прокуратура города Астаны", "Астана",
                former_names=[{"name": "Прокуратура города Нур-Султан", "valid_from": "2019-03-23",
                               "valid_to": "2022-09-16"}])
OFFICES = {"gpo": GPO, "regional": KARAGANDA, "district": MEDEU}


@pytest.mark.parametrize(("level", "position"), [(lv, p) for lv, ps in LEVEL_POSITIONS.items() for p in ps])
def test_every_position_has_a_title_in_both_cases(level: str, position: str) -> None:
    nominative, genitive = position_titles(position, OFFICES[level], date(2021, 8, 2))
    assert nominative[0].isupper()
    assert genitive[0].islower() or genitive.startswith("Генерального Прокурора")  # a title kept capitalized
    assert nominative.split()[-1] == genitive.split()[-1]  # the same office named in both


def test_acting_signers_sign_as_acting_for_the_position() -> None:
    day = date(2021, 8, 2)
    assert signer_title({"position": "deputy_district_prosecutor", "acting_for": "district_prosecutor"}, MEDEU,
                        day) == "Исполняющий обязанности прокурора Медеуского района города Алматы"
    assert signer_title({"position": "deputy_regional_prosecutor", "acting_for": "regional_prosecutor"}, KARAGANDA,
                        day) == "Исполняющий обязанности прокурора Карагандинской области"
    assert signer_title({"position": "deputy_prosecutor_general", "acting_for": "prosecutor_general"}, GPO,
                        day) == "Исполняющий обязанности Генерального Прокурора Республики Казахстан"
    assert signer_title({"position": "district_prosecutor"}, MEDEU, day) == "Прокурор Медеуского района города Алматы"


def test_the_office_is_named_as_on_the_documents_date() -> None:
    assert signer_title({"position": "regional_prosecutor"}, ASTANA, date(2021, 8, 2)) == \
        "Прокурор города Нур-Султан"
    assert signer_title({"position": "regional_prosecutor"}, ASTANA, date(2023, 1, 9)) == "Прокурор города Астаны"


def test_dates_are_written_dd_mm_yyyy() -> None:
    assert ru("2021-08-02") == "02.08.2021"
    assert ru(date(2021, 12, 31)) == "31.12.2021"
    assert ru(None) == ""
