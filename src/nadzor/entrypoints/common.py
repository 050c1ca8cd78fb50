"""What every command-line sub-app shares: errors naming their field (exit 2), JSON output, the
platform and the rules with the full calendar, and batches of JSON lines."""

from __future__ import annotations

import codecs
import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import orjson
import typer

if TYPE_CHECKING:
    from nadzor.domain.calendar import WorkingCalendar


def fail(field: str, message: str) -> NoReturn:
    typer.echo(f"ошибка: {field}: {message}", err=True)
    raise typer.Exit(2)


def dump(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def load_rules() -> tuple[Any, WorkingCalendar]:
    """The rules and the full calendar they receive — the database layer too when the database
    exists —, built once for the command (a batch evaluates every line with it)."""
    from nadzor import rules
    from nadzor.calendar.default import default_calendar

    settings = read_settings()
    if not settings.database_may_exist():  # no database layer: the storage modules are never loaded
        return rules, default_calendar(settings.calendar_file)
    from nadzor import bootstrap

    platform = bootstrap.platform_if_present(settings)
    try:
        calendar = platform.calendar() if platform is not None else default_calendar(settings.calendar_file)
    finally:
        if platform is not None:
            platform.dispose()
    return rules, calendar


def read_settings() -> Any:
    """The settings, or exit 2 naming the environment variable that is refused."""
    from nadzor.settings import InsecureConfiguration, Settings

    try:
        return Settings.from_env()
    except InsecureConfiguration as exc:
        fail(exc.setting, str(exc))


def open_platform(migrate: bool | None = None, settings: Any = None) -> Any:
    """The platform; the schema is migrated to head except in production (`nadzor db upgrade`)."""
    from nadzor.bootstrap import SchemaOutdated, create_platform

    settings = settings or read_settings()
    try:
        return create_platform(settings, migrate=migrate)
    except SchemaOutdated as exc:
        fail("database", str(exc))
    except Exception as exc:
        fail("database", f"база данных недоступна: {exc}")


def service_errors() -> tuple[type[Exception], ...]:
    from nadzor.infra.errors import Conflict, InvalidInput, NotFound

    return InvalidInput, Conflict, NotFound


def report(exc: Exception) -> NoReturn:
    from nadzor.infra.errors import InvalidInput

    if isinstance(exc, InvalidInput):
        first = exc.errors[0]
        fail(first.field, first.message)
    fail("input", str(exc))


TOO_DEEP = "некорректный JSON: слишком глубокая вложенность"


def read_input(text: str) -> Any:
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = sys.stdin.read() if text == "@-" else path.read_text(encoding="utf-8")
        except OSError as exc:
            fail("input", f"не удалось прочитать файл {path}: {exc.strerror}")
    try:
        return json.loads(text)
    except ValueError as exc:  # JSONDecodeError, and numbers too long to convert
        fail("input", f"некорректный JSON: {exc}")
    except RecursionError:
        fail("input", TOO_DEEP)


def run_file(path: str, runner: Callable[[TextIO, TextIO], int]) -> int:
    """Run a batch over a file of JSON lines (`-`: standard input); the number of failed lines."""
    if path == "-":
        return runner(sys.stdin, sys.stdout)
    try:
        with open(path, encoding="utf-8") as stream:
            return runner(stream, sys.stdout)
    except OSError as exc:
        fail("batch", f"не удалось прочитать файл {path}: {exc.strerror}")


def run_lines(stream: TextIO, out: TextIO, keys: tuple[str, ...], handle: Callable[[dict[str, Any]], Any],
              typed: Callable[[bytes], Any] | None = None) -> int:
    """One output line per input line, in order: `handle(item)` for an object with exactly `keys`, or
    `{"error": {field, message}}` for a bad line — and the batch goes on. Returns the failed lines.

    Lines are read and answers written by orjson, several times faster than the standard library; a
    line orjson does not read, or one with a run of 19 digits (an integer orjson would read as a float),
    and an answer orjson does not write (an integer beyond 64 bits) go to the standard `json`, which
    alone decides what is accepted and says what is wrong, exactly as before.
    The answer is a pure function of the line (and the command's calendar): a line seen before is
    answered as it was, without replaying it (a batch repeating a proceeding, a migration repeating
    lines).

    `typed`, where given, is a short way for the lines it takes whole, tried first: it answers a line's
    UTF-8 bytes with the same answer `handle` gives for the line as the standard `json` reads it (its
    numbers included), or None for a line it leaves to the way above (any line with an error among
    them)."""
    from nadzor.rules.base import InvalidInput

    std_dumps = json.JSONEncoder(ensure_ascii=False).encode  # = json.dumps(…, ensure_ascii=False), made once
    std_loads = json.loads
    fast_loads, fast_dumps, fast_failed = orjson.loads, orjson.dumps, orjson.JSONEncodeError
    shape = "ожидается объект {" + ", ".join(f'"{k}": ...' for k in keys) + "}"

    def dumps(obj: Any) -> bytes | str:
        """The answer as orjson writes it (UTF-8), or as the standard `json` does (a string); a lone
        surrogate (an unknown key of a line, echoed by its error) written as its JSON escape `\\udXXX`,
        the same string, so that the answer can be written to a UTF-8 stream and the batch goes on."""
        try:
            return fast_dumps(obj)
        except fast_failed:
            text: str = std_dumps(obj)
            if not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
            return text

    def answer(line: str) -> tuple[bytes | str, bool]:
        """The line's answer, and whether it is an error line."""
        try:
            raw = line.encode("utf-8", "surrogatepass")
            if typed is not None:
                done = typed(raw)
                if done is not None:
                    return dumps(done), False
            try:
                if _LONG_NUMBER in raw.translate(_DIGITS_AS_ZERO):  # orjson reads a 20-digit integer as a float
                    raise ValueError("a number for the standard reader")
                item = fast_loads(raw)
            except ValueError:  # not JSON by RFC 8259, or beyond orjson (NaN, big numbers, lone surrogates)
                try:
                    item = std_loads(line)
                except ValueError as exc:  # JSONDecodeError, and numbers too long to convert
                    raise InvalidInput.one("line", f"некорректный JSON: {getattr(exc, 'msg', exc)}") from None
                except RecursionError:
                    raise InvalidInput.one("line", TOO_DEEP) from None
            if type(item) is not dict:
                raise InvalidInput.one("line", shape)
            if len(item) != len(keys) or any(k not in item for k in keys):
                extra = [k for k in item if k not in keys]
                if extra:
                    raise InvalidInput.one(str(extra[0])[:80], "неизвестное поле строки пакета")
                for key in keys:
                    if key not in item:
                        raise InvalidInput.one(key, "обязательное поле не заполнено")
            try:
                return dumps(handle(item)), False
            except RecursionError:
                raise InvalidInput.one("input", TOO_DEEP) from None
        except InvalidInput as exc:
            return dumps({"error": exc.errors[0].as_dict()}), True

    # Answers go to the bytes of the standard output as orjson wrote them (not decoded, then encoded
    # again) where that stream is UTF-8 and writes "\n" as it is (POSIX); a chunk holding a string answer
    # of the standard `json`, or any other stream, is written as text.
    binary = (getattr(out, "buffer", None) if out is sys.stdout and os.name == "posix"
              and _is_utf8(getattr(out, "encoding", None)) else None)

    def write(chunk: list[bytes | str]) -> None:
        if binary is not None and all(type(a) is bytes for a in chunk):
            out.flush()  # what was written as text before goes first
            binary.write(b"\n".join(chunk) + b"\n")  # type: ignore[arg-type]
        else:
            out.write("\n".join(a if type(a) is str else a.decode() for a in chunk) + "\n")  # type: ignore[union-attr]

    failed = 0
    lines: list[bytes | str] = []
    answered: dict[str, tuple[bytes | str, bool]] = {}
    # A line's objects are freed when it is answered: the cyclic collector, run every 700 allocations by
    # default, would only walk them again and again.
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    gc.freeze()  # what the command loaded lives as long as it: the collector need not walk it again
    try:
        for line in stream:
            done = answered.get(line)
            if done is None:
                done = answer(line)
                if len(answered) < ANSWERED_MAX and len(line) <= ANSWERED_LINE_MAX:
                    answered[line] = done
            lines.append(done[0])
            failed += done[1]
            if len(lines) >= 4096:
                write(lines)
                lines.clear()
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    if lines:
        write(lines)
    out.flush()
    return failed


def _is_utf8(encoding: str | None) -> bool:
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


#: A run of 19 digits anywhere in a line (digits read as 0): the line may hold an integer beyond 64 bits,
#: which orjson would read as a float; the standard reader takes such a line (it reads every integer).
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19

#: The answers a batch remembers (lines of at most ANSWERED_LINE_MAX characters): bounded memory.
ANSWERED_MAX = 4096
ANSWERED_LINE_MAX = 16_384
#: The cyclic collector's first threshold while a batch runs.
GC_THRESHOLD = 50_000
