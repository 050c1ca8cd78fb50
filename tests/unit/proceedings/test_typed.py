"""The typed short way of `replay --batch` (issue 8, `proceedings.typed`) takes only lines `replay`
accepts, and answers them exactly as `replay` does; every other line is left to `replay`."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nadzor.entrypoints import common
from nadzor.proceedings import replay, typed_replay
from nadzor.rules import InvalidInput, current_calendar
from tests.support.lives import day, posted_lives

#: (kind, input) for every demo life of every kind.
LIVES = [(kind, {"office_level": "district", "steps": steps}) for kind, steps in posted_lives()]


def _long_way(kind: Any, given_input: Any) -> Any:
    try:
        return replay(kind, given_input, calendar=current_calendar())
    except InvalidInput as exc:
        return exc


def _assert_same(line: str) -> Any:
    """The short way's answer to `line`: None, or what `replay` answers (never for an input error)."""
    got = typed_replay(current_calendar())(line.encode("utf-8", "surrogatepass"))
    if got is not None:
        item = json.loads(line)
        expected = _long_way(item["kind"], item["input"])
        assert not isinstance(expected, InvalidInput), (line, expected.errors)
        assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)  # 1 ≠ true ≠ 1.0
    return got


@pytest.mark.parametrize(("kind", "given_input"), LIVES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(LIVES)])
def test_issue_8_the_short_way_takes_every_valid_life_and_answers_as_replay(kind: str, given_input: Any) -> None:
    """Every demo life of every kind (refused ones included: a refusal is no input error)."""
    line = json.dumps({"kind": kind, "input": given_input}, ensure_ascii=False)
    assert _assert_same(line) is not None


#: Values a field may be given: right and wrong types, bounds, codes of other lists, dates outside the
#: calendar or not dates at all, signers with every irregularity.
_POOL: list[Any] = [
    None, True, False, 0, 1, -1, 5, 30, 31, 2**63, 2**64, 10**20, 1.0, 1.5, -0.0, "", " ", "x", "a\u0000b",
    "2022-03-02", "2017-12-31", "2031-01-01", "2022-02-30", "22-03-02", "2022-03-02T00:00:00", "２０２２-03-02",
    [], ["subject"], ["subject", "subject"], ["legal_statistics_body", "subject"], [None], {}, {"a": 1},
    {"position": "prosecutor"}, {"position": "prosecutor", "participated": None},
    {"position": "prosecutor", "participated": 1}, {"position": "prosecutor", "acting_for": None},
    {"position": "prosecutor", "acting_for": ""}, {"position": "prosecutor", "x": 1}, {"position": ["x"]},
    {"position": "district_prosecutor", "acting_for": "regional_prosecutor", "participated": False},
    "district_prosecutor", "state_body", "protect_rights", "expertise", "regional_prosecutor",
    "legal_statistics_body", "act", "protest", "representation", "normative", "complaint", "monitoring",
]


def _mutate(data: st.DataObject, given_input: dict[str, Any]) -> Any:
    mutated = json.loads(json.dumps(given_input))
    steps = mutated["steps"]
    for _ in range(data.draw(st.integers(1, 3))):
        what = data.draw(st.sampled_from(["field", "field", "field", "drop", "date", "dates", "type", "swap", "top"]))
        step = steps[data.draw(st.integers(0, len(steps) - 1))] if steps else {}
        if what == "field" and steps:
            key = data.draw(st.sampled_from([*step, "extra"]))
            step[key] = data.draw(st.sampled_from(_POOL))
        elif what == "drop" and step:
            del step[data.draw(st.sampled_from(sorted(step)))]
        elif what == "date" and steps:
            step["date"] = data.draw(st.sampled_from(["2017-12-31", "2022-01-01", "2022-02-28", "2099-01-01",
                                                      day(data.draw(st.integers(-5, 400)))]))
        elif what == "dates" and steps:  # a date field, or the first step's date, outside the calendar
            dated = [(s, k) for s in steps for k, v in s.items() if k != "date" and isinstance(v, str)
                     and v[:2] == "20"] or [(steps[0], "date")]
            where, key = data.draw(st.sampled_from(dated))
            where[key] = data.draw(st.sampled_from(["2017-12-31", "2028-01-01", "2031-01-01", "2099-12-31"]))
        elif what == "type" and steps:
            step["type"] = data.draw(st.sampled_from(["opened", "closed", "ended", "nothing", 1, None]))
        elif what == "swap" and len(steps) > 1:
            i = data.draw(st.integers(0, len(steps) - 2))
            steps[i], steps[i + 1] = steps[i + 1], steps[i]
        elif what == "top":
            key = data.draw(st.sampled_from(["office_level", "steps", "extra"]))
            mutated[key] = data.draw(st.sampled_from([None, "gpo", "regional", "district", "city", [], {}, 1]))
    return mutated


@settings(max_examples=600, deadline=None)
@given(data=st.data())
def test_issue_8_the_short_way_never_takes_a_line_replay_refuses(data: st.DataObject) -> None:
    """Mutated lives (a field given any value, dropped, a date moved, a type changed, steps swapped, the
    top changed): the short way answers as `replay`, or leaves the line to it; never a state where
    `replay` names an input error."""
    kind, given_input = data.draw(st.sampled_from(LIVES))
    line_kind = data.draw(st.sampled_from([kind, kind, kind, "court", "check"]))
    _assert_same(json.dumps({"kind": line_kind, "input": _mutate(data, given_input)}, ensure_ascii=False))


@pytest.mark.parametrize("kind", ["check", "act", "evaluation", "analysis"])
def test_issue_8_the_short_way_leaves_a_misplaced_first_step_to_replay(kind: str) -> None:
    """The kind's first step type only first, and first always that type (PROCEEDINGS.md): a life with
    its first step repeated, its first two steps swapped (same date) or its first step left out is an
    input error, which the short way leaves to `replay`."""
    for life_kind, given_input in LIVES:
        if life_kind != kind or len(given_input["steps"]) < 2:
            continue
        first, second, *rest = given_input["steps"]
        swapped = {**second, "date": first["date"]}
        for steps in ([first, first, second, *rest], [swapped, first, *rest], [first, {**first}, *rest],
                      [second, *rest]):
            line = json.dumps({"kind": kind, "input": {**given_input, "steps": steps}}, ensure_ascii=False)
            assert isinstance(_long_way(kind, json.loads(line)["input"]), InvalidInput)
            assert _assert_same(line) is None


#: The values each field of each step is given in turn below.
_EACH: list[Any] = [None, True, 0, -1, 31, 2**63, 1.0, "", "a\u0000b", "2017-12-31", "2028-01-01", "2022-02-30",
                    [], ["subject", "subject"], [None], {}, {"position": "prosecutor", "participated": None},
                    {"position": "prosecutor", "x": 1}, "district_prosecutor", "act", "normative"]


@pytest.mark.parametrize("kind", ["check", "act", "evaluation", "analysis"])
def test_issue_8_the_short_way_with_each_field_of_each_step_given_each_value(kind: str) -> None:
    """Every life of the kind, every key of every step (and one unknown key) given each value in turn,
    and dropped: the short way answers as `replay` or leaves the line to it."""
    taken = 0
    for life_kind, given_input in LIVES:
        if life_kind != kind:
            continue
        for i, step in enumerate(given_input["steps"]):
            for key in [*step, "extra"]:
                for value in [*_EACH, _EACH]:  # `_EACH` itself: the key dropped
                    changed = dict(step)
                    if value is _EACH:
                        changed.pop(key, None)
                    else:
                        changed[key] = value
                    steps = [*given_input["steps"][:i], changed, *given_input["steps"][i + 1:]]
                    line = json.dumps({"kind": kind, "input": {**given_input, "steps": steps}}, ensure_ascii=False)
                    taken += _assert_same(line) is not None
    assert taken > 0  # some changes keep a valid input (a flag given false, a field dropped that may be)


@pytest.mark.parametrize("text", [
    # a key given twice: the last one counts, for the standard reader as for the short way
    '{"kind": "check", "kind": "act", "input": %s}',
    '{"kind": "check", "input": %s, "input": {"office_level": "district"}}',
    '{"kind": "check", "input": %s, "extra": 1}',
    '{"input": %s}',
    '{"kind": "check", "input": %s}',
])
def test_issue_8_the_short_way_with_keys_given_twice_or_missing(text: str) -> None:
    given_input = next(i for k, i in LIVES if k == "check")
    line = text % json.dumps(given_input)
    _assert_same(line)
    duplicated = line.replace('"type": "registered"', '"type": "started", "type": "registered"')
    _assert_same(duplicated)


def _batch(lines: list[str], short_way: bool) -> str:
    cal = current_calendar()
    out = io.StringIO()

    def one(item: dict[str, Any]) -> Any:
        return replay(item["kind"], item["input"], calendar=cal)

    common.run_lines(io.StringIO("".join(line + "\n" for line in lines)), out, ("kind", "input"), one,
                     typed_replay(cal) if short_way else None)
    return out.getvalue()


def test_issue_8_a_batch_answers_the_same_with_and_without_the_short_way() -> None:
    """Valid, refused and bad lines mixed: every answer line the same, character for character."""
    lines = [json.dumps({"kind": kind, "input": given_input}, ensure_ascii=False) for kind, given_input in LIVES]
    check = next(i for k, i in LIVES if k == "check")
    bad_date = json.loads(json.dumps(check))
    bad_date["steps"][1]["date"] = "2017-01-01"
    nul = json.loads(json.dumps(check))
    for step in nul["steps"]:
        if step["type"] == "registered":
            step["number"] = "12\u00003"
    lines += [json.dumps({"kind": "check", "input": bad_date}), json.dumps({"kind": "check", "input": nul}),
              json.dumps({"kind": "court", "input": check}), "not json", "[]",
              json.dumps({"kind": "check", "input": {**check, "office_level": None}}),
              json.dumps({"kind": "check", "input": check}).replace('"steps"', '"steps": [], "steps"', 1)]
    act = next(i for k, i in LIVES if k == "act" and any(s["type"] == "execution_recorded" for s in i["steps"]))
    text = json.dumps({"kind": "act", "input": act})
    for amount in ("0.1234567890123456789012", "12345678901234567890.5", "1.0e2", "9223372036854775807",
                   "9223372036854775808", "123456789012345678901234", "12345"):  # an amount (tenge) of any length
        lines.append(re.sub(r'"damage_recovered": [^,}]+', f'"damage_recovered": {amount}', text))
        assert amount in lines[-1]
    assert _batch(lines, short_way=True) == _batch(lines, short_way=False)


def test_issue_8_a_batch_writes_the_same_answers_as_bytes_to_a_utf8_stdout_as_text_elsewhere(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers go to a UTF-8 standard output's bytes as orjson wrote them; an answer only the standard
    `json` writes (an integer beyond 64 bits), and what was written before, keep their place; another
    stream gets text, its newline translation included."""

    def handle(item: dict[str, Any]) -> Any:
        return {"echo": item["a"], "текст": "проверка"}

    first_chunk = "".join(f'{{"a": {n}}}\n' for n in range(4096))  # bytes alone
    lines = first_chunk + "".join(f'{{"a": {n}}}\n' for n in (1, 2**70, 3, -(2**65), 5)) + "not json\n"
    text = io.StringIO()
    common.run_lines(io.StringIO(lines), text, ("a",), handle)
    assert str(2**70) in text.getvalue() and text.getvalue().count("\n") == 4096 + 6
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    monkeypatch.setattr("sys.stdout", stdout)
    stdout.write("before\n")
    common.run_lines(io.StringIO(lines), stdout, ("a",), handle)
    assert raw.getvalue().decode("utf-8") == "before\n" + text.getvalue()
    for encoding, newline in (("utf-16", "\n"), ("utf-8", "\r\n")):
        other_raw = io.BytesIO()
        other = io.TextIOWrapper(other_raw, encoding=encoding, newline=newline)
        common.run_lines(io.StringIO(lines), other, ("a",), handle)
        assert other_raw.getvalue().decode(encoding) == text.getvalue().replace("\n", newline)


def test_issue_8_an_error_naming_a_lone_surrogate_is_written_and_the_batch_goes_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown key `\\ud800` is echoed by its error line as that JSON escape (the same string): a
    strict UTF-8 output takes it, and the next line is answered."""
    check = next(i for k, i in LIVES if k == "check")
    good = json.dumps({"kind": "check", "input": check})
    lines = '{"kind": "check", "input": {"office_level": "district"}, "\\ud800": 1}\n' + good + "\n"
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="\n")
    monkeypatch.setattr("sys.stdout", stdout)
    cal = current_calendar()
    failed = common.run_lines(io.StringIO(lines), stdout, ("kind", "input"),
                              lambda item: replay(item["kind"], item["input"], calendar=cal), typed_replay(cal))
    first, second = raw.getvalue().decode("utf-8").splitlines()
    assert failed == 1
    assert json.loads(first)["error"]["field"] == "\ud800"
    assert json.loads(second) == replay("check", check, calendar=cal)
