"""The sign-in throttle's sliding windows with a hand-driven clock (issue 6, findings 4 and 6)."""

from __future__ import annotations

from nadzor.accounts.throttle import SignInThrottle, Throttled


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_finding_4_an_address_is_throttled_until_its_oldest_failure_leaves_the_window() -> None:
    clock = Clock()
    throttle = SignInThrottle(window=900, per_source=3, per_login=10, clock=clock)
    for login in ("a", "b", "c"):
        assert throttle.check("10.0.0.1", login) is None
        throttle.failed("10.0.0.1", login)
        clock.now += 100
    assert throttle.check("10.0.0.1", "d") == Throttled(retry_after=600)
    assert throttle.check("10.0.0.2", "d") is None
    clock.now += 600
    assert throttle.check("10.0.0.1", "d") is None


def test_finding_6_a_backing_off_login_allows_one_failure_per_address() -> None:
    clock = Clock()
    throttle = SignInThrottle(window=900, per_source=100, per_login=5, back_off_after=3, clock=clock)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        throttle.failed(address, "admin")
    assert throttle.backing_off("admin")
    assert throttle.check("10.0.0.1", "admin", backing_off=False) is None
    assert throttle.check("10.0.0.1", "admin", backing_off=True) == Throttled(retry_after=900)
    assert throttle.check("10.0.0.9", "admin", backing_off=True) is None
    throttle.forget_login("admin")
    assert not throttle.backing_off("admin")
    assert throttle.check("10.0.0.1", "admin", backing_off=True) is None


def test_finding_4_memory_stays_bounded_however_many_addresses_fail() -> None:
    throttle = SignInThrottle(clock=Clock())
    throttle.MAX_KEYS = 100
    for i in range(1000):
        throttle.failed(f"10.0.{i // 250}.{i % 250}", f"login{i}")
    assert len(throttle._sources) <= 100 and len(throttle._logins) <= 100 and len(throttle._pairs) <= 100
