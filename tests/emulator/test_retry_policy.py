import datetime as dt

from emulator.automation import retry_policy

T0 = dt.datetime(2026, 11, 10, 11, 23, tzinfo=dt.UTC)


def test_schedule_follows_s2_intervals_then_gives_up() -> None:
    waits = []
    for attempts in range(1, retry_policy.MAX_ATTEMPTS):
        decision = retry_policy.after_transient_failure(attempts, T0)
        assert decision.next_attempt_at is not None
        waits.append(int((decision.next_attempt_at - T0).total_seconds()))
    assert waits == [10, 30, 60, 120, 180, 240, 600, 3600, 7200, 18000]
    final = retry_policy.after_transient_failure(retry_policy.MAX_ATTEMPTS, T0)
    assert final.next_attempt_at is None
    assert final.give_up_reason == "попыток: 11"


def test_retry_after_stretches_but_never_shortens_the_wait() -> None:
    longer = retry_policy.after_transient_failure(1, T0, retry_after=45)
    shorter = retry_policy.after_transient_failure(1, T0, retry_after=2)
    assert longer.next_attempt_at == T0 + dt.timedelta(seconds=45)
    assert shorter.next_attempt_at == T0 + dt.timedelta(seconds=10)


def test_no_retry_past_the_providers_deduplication_window() -> None:
    window_end = T0 + dt.timedelta(seconds=60)
    inside = retry_policy.after_transient_failure(2, T0, not_after=window_end)  # +30 s
    outside = retry_policy.after_transient_failure(3, T0, not_after=window_end)  # +60 s: window is over
    assert inside.next_attempt_at == T0 + dt.timedelta(seconds=30)
    assert outside.next_attempt_at is None
    assert outside.give_up_reason == "статус неизвестен"
