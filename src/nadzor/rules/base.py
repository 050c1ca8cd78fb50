"""The machinery every rule shares: input types, the registry, errors keyed by field.

A rule is a pure decision: a typed input (a pydantic model that forbids unknown keys), the
working calendar passed in, and a JSON-ready result with a Russian explanation. Nothing here
reads files, a database or the web.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError, ValidationInfo

from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import POSITION_LABELS

T = TypeVar("T")

# ------------------------------------------------------------------------------------ errors


class Message(str):
    """A message put together from a template and its parts: it reads as the Russian text (what the
    API, the CLI and the logs say), and keeps the template (`%(name)s` parts, listed for the catalog
    in `web/ui_labels.SERVICE_TEMPLATES`) and the parts, so a page shows it in the interface's
    language (`translate`). A part that is itself a `Message` is translated too (a word such as
    «сотрудник», a citation); any other part is data (a number, a date, a name) shown as it is."""

    template: str
    parts: dict[str, Any]

    def __new__(cls, template: str, **parts: Any) -> Message:
        self = super().__new__(cls, template % parts if parts else template)
        self.template, self.parts = template, parts
        return self

    def translated(self, t: Callable[[str], str]) -> str:
        """The message through the catalog `t` (a template it does not know stays Russian)."""
        parts = {k: v.translated(t) if isinstance(v, Message) else v for k, v in self.parts.items()}
        try:
            return t(self.template) % parts if parts else t(self.template)
        except (KeyError, TypeError, ValueError):  # a translation that lost a part: the Russian text
            return str(self)


class Listing(Message):
    """Words of the catalog joined by `sep` («прокурор области, прокурор района»), each translated."""

    items: tuple[str, ...]
    sep: str

    def __new__(cls, items: Iterable[str], sep: str = ", ") -> Listing:
        words = tuple(items)
        self = str.__new__(cls, sep.join(words))
        self.template, self.parts, self.items, self.sep = sep.join(words), {}, words, sep
        return self

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (self.items, self.sep)

    def translated(self, t: Callable[[str], str]) -> str:
        return self.sep.join(translate(item, t) for item in self.items)


def translate(message: str, t: Callable[[str], str]) -> str:
    """Any message through the catalog: a `Message` by its template and parts, a fixed text as it is."""
    return message.translated(t) if isinstance(message, Message) else t(message)


def message_of(exc: BaseException) -> str:
    """An error's message, a `Message` where it was given one (`str(exc)` loses the template)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Message) else str(exc)


class FieldError(dict[str, str]):
    """One refusal: `{"field": dotted path, "message": Russian text}` — a plain dict (as RULES.md
    words it) that also reads as `.field` and `.message`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field=field, message=message)

    @property
    def field(self) -> str:
        return self["field"]

    @property
    def message(self) -> str:
        return self["message"]

    def as_dict(self) -> dict[str, str]:
        return dict(self)


#: An error list stops here (each error once): enough to correct an input, bounded for any input.
MAX_ERRORS = 50


class InvalidInput(Exception):  # not a ValueError: pydantic validators raise it through unchanged
    """The one validation error type of RULES.md: input refused, `errors` lists {field, message}
    (the field is the dotted path from the input root), each error once and at most MAX_ERRORS of
    them (`omitted` counts the rest). Also importable as `ValidationError`."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        first: dict[tuple[str, str], FieldError] = {}
        for error in errors:
            first.setdefault((error.field, error.message), error)
        unique = list(first.values())
        #: How many further errors were found but not listed (the list stops at MAX_ERRORS).
        self.omitted = max(len(unique) - MAX_ERRORS, 0)
        self.errors = unique[:MAX_ERRORS]
        more = f"; … и ещё {self.omitted}" if self.omitted else ""
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors) + more)

    @classmethod
    def one(cls, field_path: str, message: str) -> InvalidInput:
        return cls([FieldError(field_path, message)])

    def as_dicts(self) -> list[dict[str, str]]:
        return [e.as_dict() for e in self.errors]


class UnknownRule(InvalidInput):
    """The rule id names no rule (HTTP 404)."""

    def __init__(self, rule_id: str) -> None:
        super().__init__([FieldError("rule", Message("неизвестное правило: %(rule)s", rule=repr(rule_id)))])
        self.rule_id = rule_id


_TYPE_MESSAGES = {
    "missing": "обязательное поле не заполнено",
    "extra_forbidden": "неизвестное поле: правило его не принимает",
    "bool_type": "ожидается логическое значение true или false",
    "bool_parsing": "ожидается логическое значение true или false",
    "int_type": "ожидается целое число",
    "int_parsing": "ожидается целое число",
    "int_from_float": "ожидается целое число",
    "string_type": "ожидается строка",
    "list_type": "ожидается список",
    "model_type": "ожидается объект",
    "model_attributes_type": "ожидается объект",
    "dict_type": "ожидается объект",
    "date_type": "ожидается дата в формате ГГГГ-ММ-ДД",
}


#: Patterns of text fields → the shape they accept, in words (`describe_pattern`).
PATTERN_TEXTS: dict[str, str] = {}


def describe_pattern(pattern: str, text: str) -> str:
    """Register the words a refusal of `pattern` uses instead of the pattern; returns the pattern."""
    PATTERN_TEXTS[pattern] = text
    return pattern


def _message(err: Any) -> str:
    kind = err["type"]
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    ctx = err.get("ctx") or {}
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "значение не может быть пустым" if n == 1 else Message("не короче %(n)s символов", n=n)
    if kind == "string_too_long":
        return Message("не длиннее %(n)s символов", n=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        # Never a regular expression on screen (issue 7 §6): the shape in words where it is known.
        described = PATTERN_TEXTS.get(str(ctx.get("pattern", "")))
        return Message("недопустимый формат: %(shape)s", shape=Message(described)) if described \
            else "недопустимый формат"
    if kind == "too_short":
        return Message("нужно не меньше %(n)s элемент(ов)", n=ctx.get("min_length"))
    if kind == "too_long":
        return Message("допускается не больше %(n)s элемент(ов)", n=ctx.get("max_length"))
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return Message("недопустимое значение; допустимые: %(values)s", values=expected)
    if kind == "greater_than_equal":
        return Message("значение должно быть не меньше %(n)s", n=ctx.get("ge"))
    if kind == "less_than_equal":
        return Message("значение должно быть не больше %(n)s", n=ctx.get("le"))
    if kind in {"value_error", "assertion_error"}:
        error = ctx.get("error", err["msg"])
        return message_of(error) if isinstance(error, BaseException) else str(error)  # a `Message` kept
    return str(err["msg"])


def error_message(err: Any) -> str:
    """The Russian message of one pydantic error (also FastAPI's parameter errors)."""
    return _message(err)


def field_errors(exc: ValidationError) -> list[FieldError]:
    """pydantic's errors as {field, message}; the field is the dotted path from the input root."""
    out = []
    for err in exc.errors(include_url=False):
        path = ".".join(str(p) for p in err["loc"]) or "input"
        out.append(FieldError(path, _message(err)))
    return out


# ------------------------------------------------------------------------------ input types

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def out_of_calendar(day: str, start: date, end: date) -> Message:
    """«дата … вне периода рабочего календаря …» (the rules, the proceedings' fields, the calendar rules)."""
    return Message("дата %(day)s вне периода рабочего календаря %(start)s — %(end)s", day=day,
                   start=start.isoformat(), end=end.isoformat())


def _to_date(value: Any, info: ValidationInfo) -> date:
    """A date the rules count from: ISO, real, and within the calendar's covered years."""
    day = _parse_date(value)
    cal = (info.context or {}).get("calendar")
    if cal is not None and not cal.covers(day):
        raise ValueError(out_of_calendar(day.isoformat(), cal.coverage_start, cal.coverage_end))
    return day


def _parse_date(value: Any) -> date:
    """An ISO `YYYY-MM-DD` date that exists (a descriptive date: any year)."""
    if isinstance(value, datetime) or not isinstance(value, date | str):
        raise ValueError("ожидается дата в формате ГГГГ-ММ-ДД")
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(Message("ожидается дата в формате ГГГГ-ММ-ДД, получено %(value)s", value=repr(value)))
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(Message("такой даты не существует: %(value)s", value=value)) from None
    else:
        day = value
    return day


_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)")


def _to_moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(Message("такого момента времени не существует: %(value)s", value=value)) from None
    else:
        raise ValueError("ожидается дата и время со смещением, например 2021-08-02T10:00:00+06:00")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("у момента времени нет смещения от UTC (например +06:00)")
    return moment


def _null_means(default: Callable[[], Any]) -> BeforeValidator:
    return BeforeValidator(lambda v: default() if v is None else v)


LegalDate = Annotated[date, BeforeValidator(_to_date)]
PlainDate = Annotated[date, BeforeValidator(_parse_date)]
Moment = Annotated[datetime, BeforeValidator(_to_moment)]
Flag = Annotated[bool, Strict()]
Count = Annotated[int, Strict()]
Text = Annotated[str, Strict()]
#: Fields RULES.md marks `?`: they may be omitted, and null means the same as omitted.
OptFlag = Annotated[bool, Strict(), _null_means(lambda: False)]
#: The longest list a rule input takes (suspensions, signatures, subject matter …): more than any
#: real case holds, few enough that a check of every pair stays cheap and an error list short.
MAX_ITEMS = 200
Items = Annotated[list[T], Field(max_length=MAX_ITEMS)]
OptList = Annotated[list[T], Field(max_length=MAX_ITEMS), _null_means(list)]
OptDays = Annotated[int, Field(ge=0, le=30, strict=True), _null_means(lambda: 0)]

Position = Literal[
    "prosecutor_general",
    "deputy_prosecutor_general",
    "gpo_unit_head",
    "gpo_unit_deputy_head",
    "regional_prosecutor",
    "deputy_regional_prosecutor",
    "regional_unit_head",
    "district_prosecutor",
    "deputy_district_prosecutor",
    "prosecutor",
]


class Input(BaseModel):
    """Base of every rule input: unknown keys are errors (RULES.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Signer(Input):
    """Who signs, approves or issues; a person acting for a position has exactly its authority."""

    position: Position
    acting_for: Position | None = None
    participated: OptFlag = False

    @property
    def effective(self) -> str:
        return self.acting_for or self.position

    def describe(self) -> str:
        title = POSITION_LABELS[self.position]
        if self.acting_for:
            return f"{title}, замещающий должность «{POSITION_LABELS[self.acting_for]}»"
        return title


class SignerInput(Input):
    signer: Signer


# -------------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Decision:
    result: dict[str, Any]
    explanation: str


RuleFunc = Callable[[Any, WorkingCalendar], Decision]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    citations: tuple[str, ...]
    convention: str | None
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    func: RuleFunc
    module: str = ""
    doc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def input_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema()

    def output_schema(self) -> dict[str, Any]:
        return self.output_model.model_json_schema()


REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str,
    title: str,
    citations: tuple[str, ...],
    *,
    output: type[BaseModel],
    convention: str | None = None,
) -> Callable[[Callable[[Any, WorkingCalendar], Decision]], Callable[[Any, WorkingCalendar], Decision]]:
    """Register a rule function `(input_model, calendar) -> Decision`; the input model is read
    from the function's first parameter annotation."""

    def register(func: Callable[[Any, WorkingCalendar], Decision]) -> Callable[[Any, WorkingCalendar], Decision]:
        if rule_id in REGISTRY:
            raise RuntimeError(f"rule {rule_id} registered twice")
        hints = func.__annotations__
        first = next(iter(hints))
        model = hints[first]
        if isinstance(model, str):
            model = func.__globals__[model]
        REGISTRY[rule_id] = Rule(
            id=rule_id,
            title=title,
            citations=citations,
            convention=convention,
            input_model=model,
            output_model=output,
            func=func,
            module=func.__module__,
            doc=(func.__doc__ or "").strip(),
        )
        return func

    return register


def cite(*citations: str) -> str:
    """«п. 16 Инструкции», «п. 13 Правил» for citations `I.16`, `R.13` (the Russian text of `cited`)."""
    return str(cited(*citations))


def cited(*citations: str) -> Message:
    """The citations as a `Message` («п. 16 Инструкции; пп. 13, 15 Правил»): each book's points by a
    template of the catalog, so a page shows them in its language."""
    books: dict[str, list[str]] = {}
    for c in citations:
        book, _, number = c.partition(".")
        books.setdefault(book, []).append(number)
    parts = []
    for book, numbers in books.items():
        many = len(numbers) > 1
        if book == "I":
            template = "пп. %(numbers)s Инструкции" if many else "п. %(numbers)s Инструкции"
        else:
            template = "пп. %(numbers)s Правил" if many else "п. %(numbers)s Правил"
        parts.append(Message(template, numbers=", ".join(numbers)))
    return parts[0] if len(parts) == 1 else Listing(parts, "; ")  # none: an empty text


def ru_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


# --------------------------------------------------------------------- common outputs


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class DueOut(Output):
    due: date


class DueImmediateOut(Output):
    due: date
    immediate: bool


class AllowedOut(Output):
    allowed: bool


class CompletenessOut(Output):
    complete: bool
    missing: list[str]


class GroundsOut(Output):
    enter: bool
    grounds: list[str]


def signer_rule(
    rule_id: str, title: str, citations: tuple[str, ...], positions: tuple[str, ...], action: str
) -> None:
    """A rule given only as a list of positions: `{signer}` → `{allowed}`, true iff the signer's
    effective position (its `acting_for`, else its `position`) is in the list."""
    allowed_set = frozenset(positions)
    where = cite(*citations)

    def decide(inp: SignerInput, cal: WorkingCalendar) -> Decision:
        ok = inp.signer.effective in allowed_set
        who = inp.signer.describe()
        verdict = "вправе" if ok else "не вправе"
        who = who[0].upper() + who[1:]
        return Decision({"allowed": ok}, f"{who} {verdict} {action} ({where}).")

    decide.__doc__ = f"{title} ({', '.join(citations)}): {', '.join(positions)}."
    decide.__module__ = _caller_module()
    rule(rule_id, title, citations, output=AllowedOut)(decide)
    REGISTRY[rule_id].extra["positions"] = positions


def _caller_module() -> str:
    import sys

    return str(sys._getframe(2).f_globals.get("__name__", ""))
