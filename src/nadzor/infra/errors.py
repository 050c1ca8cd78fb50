"""Errors of the service layer. Bad input is `InvalidInput` (errors keyed by field), the same
type the rules raise, so forms, the API and the CLI say the same thing."""

from __future__ import annotations

from nadzor.rules.base import FieldError, InvalidInput, Listing, Message, message_of

__all__ = ["AuthenticationFailed", "Conflict", "FieldError", "Forbidden", "InvalidInput", "Listing", "Message",
           "NotFound", "TooManyAttempts", "message_of"]


def _word(what: str) -> Message:
    """A part that is a word of the catalog («План анализов») or already a `Message`."""
    return what if isinstance(what, Message) else Message(what)


class NotFound(Exception):
    """`what` (a `Message` such as «сотрудник 5», translated on a page) was not found."""

    def __init__(self, what: str) -> None:
        super().__init__(Message("%(what)s: не найдено", what=_word(what)))


class Forbidden(Exception):
    """The actor may not do this; the message says why (and which permission is needed)."""


class Conflict(Exception):
    """Someone else saved the record first (optimistic concurrency): nothing was overwritten."""

    @classmethod
    def versions(cls, what: str, expected: int, current: int) -> Conflict:
        return cls(Message("%(what)s: запись уже изменена другим пользователем (ваша версия %(expected)s, "
                           "текущая %(current)s); обновите страницу и внесите изменения заново",
                           what=_word(what), expected=expected, current=current))

    @classmethod
    def concurrent(cls) -> Conflict:
        return cls(Message("запись изменена другим пользователем одновременно с вами; ничего не сохранено — "
                           "обновите страницу и внесите изменения заново"))


class AuthenticationFailed(Exception):
    """Wrong login or password, a locked or inactive account: one message for all, by design."""


class TooManyAttempts(Exception):
    """Sign-in refused before the password counts: too many failures from this address (429)."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(Message("слишком много неудачных попыток входа с вашего адреса; повторите через "
                                 "%(minutes)s мин.", minutes=minutes))
        self.retry_after = retry_after
