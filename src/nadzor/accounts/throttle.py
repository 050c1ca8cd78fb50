"""Sign-in throttling (issue 6, findings 4 and 6): sliding windows of *failed* attempts, in memory.

Why in memory: an installation runs one server process (README), so one process sees every
attempt, and a throttled request must cost no database write (no audit row, no counter update),
or the throttle itself would let anybody grow the append-only audit log. A restart forgets the
windows; the account's back-off (`users.failed_logins`, `users.locked_until`) is in the
database and survives it, and an administrator's unlock there (also from the CLI, another
process) is seen at the next attempt on that account.

Two limits, both over the last `window` seconds:

* per source address — `per_source` failures from one address, whatever logins they named,
  throttle that address (checked before any database work);
* per source address *and* login — `per_login` failures on one login from one address throttle
  that pair; while the account is backing off (`back_off_after` failures in a row from anywhere)
  a single failure from an address throttles that pair.

Nothing here ever blocks an address that has not failed, so an anonymous attacker cannot lock a
known login: they only throttle the addresses they use, and a correct password from any other
address still signs in. Logins are kept as keyed digests, unknown and known logins alike (the
same answers for both: no enumeration), so a password typed into the login field is not kept.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice


@dataclass(frozen=True)
class Throttled:
    """Refused before the password counts: come back in `retry_after` seconds."""

    retry_after: int


class SignInThrottle:
    #: How many addresses, logins and addresses per login are remembered at most (oldest dropped
    #: first): memory stays bounded however many addresses and logins an attacker invents.
    MAX_KEYS = 50_000

    def __init__(self, *, window: float = 15 * 60, per_source: int = 20, per_login: int = 5,
                 back_off_after: int = 5, clock: Callable[[], float] = time.monotonic) -> None:
        self.window, self.per_source, self.per_login = window, per_source, per_login
        self.back_off_after = back_off_after
        self._clock = clock
        self._lock = threading.Lock()
        self._sources: dict[str, deque[float]] = {}
        self._logins: dict[str, deque[float]] = {}
        self._pairs: dict[str, dict[str, deque[float]]] = {}

    def _recent(self, table: dict[str, deque[float]], key: str, now: float) -> deque[float]:
        found = table.get(key)
        if found is None:
            return deque()
        while found and found[0] <= now - self.window:
            found.popleft()
        if not found:
            del table[key]
        return found

    def _retry(self, moments: deque[float], limit: int, now: float) -> Throttled:
        # The window frees up when the failure `limit` places from the newest leaves it.
        return Throttled(max(1, math.ceil(moments[-limit] + self.window - now)))

    def check_source(self, source: str) -> Throttled | None:
        """The address alone (asked before any database work)."""
        with self._lock:
            now = self._clock()
            failures = self._recent(self._sources, source, now)
            return self._retry(failures, self.per_source, now) if len(failures) >= self.per_source else None

    def backing_off(self, login_key: str) -> bool:
        """`back_off_after` failures on this login from any addresses within the window: the
        in-memory twin of an account's `locked_until`, for logins that have no account."""
        with self._lock:
            return len(self._recent(self._logins, login_key, self._clock())) >= self.back_off_after

    def check(self, source: str, login_key: str, *, backing_off: bool = False) -> Throttled | None:
        """None when this address may try this login now; else how long to wait."""
        refused = self.check_source(source)
        if refused is not None:
            return refused
        with self._lock:
            now = self._clock()
            pairs = self._pairs.get(login_key, {})
            failures = self._recent(pairs, source, now)
            limit = 1 if backing_off else self.per_login
            return self._retry(failures, limit, now) if len(failures) >= limit else None

    def failed(self, source: str, login_key: str) -> None:
        with self._lock:
            now = self._clock()
            pairs = self._pairs.setdefault(login_key, {})
            for table, key in ((self._sources, source), (self._logins, login_key), (pairs, source)):
                self._recent(table, key, now)
                table.setdefault(key, deque()).append(now)
            for size, drop_oldest in ((len(self._sources), self._sources), (len(self._logins), self._logins),
                                      (len(pairs), pairs)):
                for key in list(islice(drop_oldest, max(0, size - self.MAX_KEYS))):
                    del drop_oldest[key]
            if len(self._pairs) > self.MAX_KEYS:
                del self._pairs[next(iter(self._pairs))]

    def forget_login(self, login_key: str) -> None:
        """The account signed in, or an administrator unlocked it: every address may try it again."""
        with self._lock:
            self._logins.pop(login_key, None)
            self._pairs.pop(login_key, None)
