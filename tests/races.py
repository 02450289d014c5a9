"""Race tests: two callers of a locking service at the same instant, on PostgreSQL.

`race` marks a test that needs real concurrent transactions: a transactional database whose
content (the seeded catalogue, holidays and rule sets, and the content types) is restored
after each test, so race tests pass in any order and together. Every transactional test of the
suite uses it (tests/conftest.py refuses a bare `django_db(transaction=True)`): a flush without
the restore lets the next test's restore collide with content types re-created in between.

`at_once` starts each call in its own thread behind one barrier and returns what each did, a
value or the exception it raised. SQLite serialises whole transactions, so there is nothing to
race: `needs_row_locks()` skips with the reason the run's summary counts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

race = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SKIP_REASON = "row locks are a PostgreSQL matter; SQLite serialises whole transactions"


def needs_row_locks() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(SKIP_REASON)


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls together; each outcome is its return value or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()  # this thread's own connections

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def kinds(outcomes: list[object]) -> list[str]:
    """ "won" or the exception's class name, sorted: the shape a race test asserts."""
    return sorted("won" if not isinstance(o, Exception) else type(o).__name__ for o in outcomes)
