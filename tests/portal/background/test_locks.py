import threading

from django.db import connection

from portal.background.locks import exclusive
from tests.races import race


def _try_in_another_thread(name: str) -> bool:
    outcome = []

    def attempt():
        try:
            with exclusive(name, timeout=30) as held:
                outcome.append(held)
        finally:
            connection.close()

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return outcome[0]


@race
def test_without_redis_a_second_process_cannot_take_the_planner_lock(settings):
    settings.REDIS_URL = ""
    with exclusive("test-plan", timeout=30) as held:
        assert held is True
        other = _try_in_another_thread("test-plan")
    # PostgreSQL: an advisory lock; the embedded SQLite setup runs everything in one process.
    assert other is (connection.vendor != "postgresql")
    assert _try_in_another_thread("test-plan") is True
