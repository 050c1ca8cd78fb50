"""The prosecution service as data: offices, staff, acting assignments (`лица, их замещающие`)
and zonal-subject assignments (I.68). Pure: plain classes that storage maps from the outside."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class OfficeLevel(StrEnum):
    GPO = "gpo"
    REGIONAL = "regional"
    DISTRICT = "district"


LEVEL_LABELS = {
    "gpo": "Генеральная прокуратура",
    "regional": "областной уровень",
    "district": "районный уровень",
}
KIND_LABELS = {
    "territorial": "территориальная",
    "military": "военная",
    "transport": "транспортная",
    "environmental": "природоохранная",
    "specialized": "специализированная межрайонная",
}
#: The positions of RULES.md with their Russian titles (used by the rules' explanations and the UI).
POSITION_LABELS: dict[str, str] = {
    "prosecutor_general": "Генеральный Прокурор",
    "deputy_prosecutor_general": "заместитель Генерального Прокурора",
    "gpo_unit_head": "руководитель самостоятельного структурного подразделения Генеральной прокуратуры",
    "gpo_unit_deputy_head": "заместитель руководителя самостоятельного структурного подразделения "
    "Генеральной прокуратуры",
    "regional_prosecutor": "прокурор области и приравненный к нему прокурор",
    "deputy_regional_prosecutor": "заместитель прокурора области",
    "regional_unit_head": "начальник структурного подразделения областной и приравненной прокуратуры",
    "district_prosecutor": "прокурор района и приравненный к нему прокурор",
    "deputy_district_prosecutor": "заместитель прокурора района",
    "prosecutor": "прокурор",
}
#: Positions that exist at each level of office.
LEVEL_POSITIONS: dict[str, tuple[str, ...]] = {
    "gpo": ("prosecutor_general", "deputy_prosecutor_general", "gpo_unit_head", "gpo_unit_deputy_head", "prosecutor"),
    "regional": ("regional_prosecutor", "deputy_regional_prosecutor", "regional_unit_head", "prosecutor"),
    "district": ("district_prosecutor", "deputy_district_prosecutor", "prosecutor"),
}
#: Levels of office from the highest.
LEVEL_ORDER = ("gpo", "regional", "district")


#: What `unusual_acting_notes` finds, as message templates with named parts (the interface
#: translates the template and each part: a level's or a position's title).
UNUSUAL_OTHER_OFFICE = "исполнение обязанностей в другой прокуратуре, не в той, где сотрудник работает"
UNUSUAL_HIGHER_LEVEL = ("исполнение обязанностей в прокуратуре более высокого уровня, чем своя: %(acting)s вместо "
                        "«%(own)s»")
UNUSUAL_SKIPPED_STEP = ("должность «%(acting)s» выше собственной должности сотрудника «%(own)s» более чем на одну "
                        "ступень")


def unusual_acting_notes(*, own_position: str, own_level: str, own_office_id: int, acting_for: str,
                         acting_level: str, acting_office_id: int) -> list[tuple[str, dict[str, str]]]:
    """What is unusual about an acting assignment (issue 7 §6: the form warns, the user confirms):
    acting in another office, acting at a higher level of office than one's own, or acting for a
    position more than one step above one's own in the same office's order of positions
    (`LEVEL_POSITIONS`, highest first). Each as (message template, its parts in Russian); an empty
    list: nothing unusual."""
    out: list[tuple[str, dict[str, str]]] = []
    if acting_office_id != own_office_id:
        out.append((UNUSUAL_OTHER_OFFICE, {}))
    if LEVEL_ORDER.index(acting_level) < LEVEL_ORDER.index(own_level):
        out.append((UNUSUAL_HIGHER_LEVEL, {"acting": LEVEL_LABELS[acting_level], "own": LEVEL_LABELS[own_level]}))
    elif acting_level == own_level and own_position in LEVEL_POSITIONS[own_level] \
            and acting_for in LEVEL_POSITIONS[acting_level] \
            and LEVEL_POSITIONS[own_level].index(own_position) - LEVEL_POSITIONS[acting_level].index(acting_for) > 1:
        out.append((UNUSUAL_SKIPPED_STEP, {"acting": POSITION_LABELS[acting_for],
                                           "own": POSITION_LABELS[own_position]}))
    return out


def unusual_acting(*, own_position: str, own_level: str, own_office_id: int, acting_for: str, acting_level: str,
                   acting_office_id: int) -> list[str]:
    """`unusual_acting_notes` in Russian words."""
    return [template % parts for template, parts in unusual_acting_notes(
        own_position=own_position, own_level=own_level, own_office_id=own_office_id, acting_for=acting_for,
        acting_level=acting_level, acting_office_id=acting_office_id)]


#: Subject areas of I.68 (предметные направления) a prosecutor may be assigned to.
SUBJECT_AREAS: dict[str, str] = {
    "all": "все направления",
    "checks": "проверки соблюдения законности",
    "analysis": "анализ состояния законности и оценка актов",
    "civil": "гражданские дела",
    "administrative": "административные дела",
    "admin_offences": "дела об административных правонарушениях",
    "enforcement": "исполнительное производство",
    "entrepreneurship": "защита прав предпринимателей",
    "social": "социальная сфера",
    "budget": "бюджет и государственные закупки",
    "land": "земельные отношения",
    "environment": "охрана окружающей среды",
}


@dataclass(frozen=True, slots=True)
class FormerName:
    name: str
    valid_from: date | None
    valid_to: date | None

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def as_dict(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FormerName:
        def day(v: Any) -> date | None:
            return date.fromisoformat(v) if v else None

        return cls(str(data["name"]), day(data.get("valid_from")), day(data.get("valid_to")))


def _active(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


@dataclass(eq=False)
class Office:
    code: str
    level: str
    kind: str
    name_ru: str
    city: str
    parent_id: int | None = None
    name_kk: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    former_names: list[dict[str, Any]] = field(default_factory=list)
    id: int | None = None
    version: int = 1

    def name_on(self, day: date) -> str:
        """The office's name as it was on `day` (Nur-Sultan became Astana again in 2022)."""
        for raw in self.former_names:
            former = FormerName.from_dict(raw)
            if former.covers(day):
                return former.name
        return self.name_ru

    def active_on(self, day: date) -> bool:
        return _active(self.valid_from, self.valid_to, day)


@dataclass(eq=False)
class Person:
    full_name: str
    position: str
    office_id: int
    email: str = ""
    active: bool = True
    id: int | None = None
    version: int = 1


@dataclass(eq=False)
class ActingAssignment:
    """A person acting for a position (`лица, их замещающие`) in an office for a period."""

    person_id: int
    acting_for: str
    office_id: int
    date_from: date
    date_to: date
    basis: str
    id: int | None = None
    version: int = 1

    def active_on(self, day: date) -> bool:
        return self.date_from <= day <= self.date_to


@dataclass(eq=False)
class ZoneAssignment:
    """I.68: a prosecutor of a GPO or regional office assigned to a region (zone) and to areas of
    law (subjects); reviews that zone's acts and controls its deadlines."""

    person_id: int
    zone_office_id: int
    areas: list[str]
    date_from: date
    date_to: date | None = None
    id: int | None = None
    version: int = 1

    def active_on(self, day: date) -> bool:
        return _active(self.date_from, self.date_to, day)

    def covers_area(self, area: str) -> bool:
        return "all" in self.areas or area in self.areas


# ------------------------------------------------------------------------------ authority


@dataclass(frozen=True, slots=True)
class Acting:
    position: str
    office_id: int
    basis: str
    date_from: date
    date_to: date


@dataclass(frozen=True, slots=True)
class Authority:
    """What a person may do on a date: their own position in their office, and every position
    they act for then. A person acting for a position has exactly that position's authority."""

    person_id: int
    on: date
    office_id: int
    position: str
    acting: tuple[Acting, ...]

    def signers(self) -> list[dict[str, str]]:
        """The signer objects of RULES.md this person may sign as: their own, then each acting."""
        own = [{"position": self.position}]
        return own + [{"position": self.position, "acting_for": a.position} for a in self.acting]


def authority_on(person: Person, assignments: Iterable[ActingAssignment], day: date) -> Authority:
    assert person.id is not None
    acting = tuple(
        Acting(a.acting_for, a.office_id, a.basis, a.date_from, a.date_to)
        for a in sorted(assignments, key=lambda a: (a.date_from, a.id or 0))
        if a.person_id == person.id and a.active_on(day)
    )
    return Authority(person.id, day, person.office_id, person.position, acting)


# ------------------------------------------------------------------------------- the tree


class OfficeTree:
    """Parent/child relations of offices, for scope and routing."""

    def __init__(self, offices: Sequence[Office]) -> None:
        self.by_id = {o.id: o for o in offices if o.id is not None}
        self.children: dict[int | None, list[int]] = {}
        for o in offices:
            assert o.id is not None
            self.children.setdefault(o.parent_id, []).append(o.id)

    def chain(self, office_id: int) -> list[int]:
        """The office and its ancestors, nearest first."""
        out: list[int] = []
        current: int | None = office_id
        while current is not None and current not in out:
            out.append(current)
            current = self.by_id[current].parent_id if current in self.by_id else None
        return out

    def subtree(self, office_id: int) -> set[int]:
        seen: set[int] = set()
        stack = [office_id]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(self.children.get(current, ()))
        return seen

    def visible_from(self, office_id: int) -> set[int]:
        """Scope: an office sees itself and the offices below it; the GPO sees all."""
        office = self.by_id.get(office_id)
        if office is not None and office.level == OfficeLevel.GPO:
            return set(self.by_id)
        return self.subtree(office_id)


def route_to_zone(
    tree: OfficeTree, zones: Iterable[ZoneAssignment], office_id: int, area: str, day: date
) -> ZoneAssignment | None:
    """I.68: the prosecutor assigned to the zone of `office_id` (the office itself or the nearest
    office above it) for `area` on `day`; an assignment for the area beats one for `all`."""
    candidates = [z for z in zones if z.active_on(day) and z.covers_area(area)]
    for zone_office in tree.chain(office_id):
        here = [z for z in candidates if z.zone_office_id == zone_office]
        if here:
            here.sort(key=lambda z: ("all" in z.areas, z.date_from, z.id or 0))
            return here[0]
    return None
