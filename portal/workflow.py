"""The one transition engine under every workflow.

Each app's `workflow.py` holds its table as data: `Transition` rows, each an action, the
statuses it starts from, the status it ends in, the capability it needs on the record's unit,
its button label and whether it needs a written reason. A `Table` answers what they allow: the
move an action makes from a status (`ensure`, which refuses in Vietnamese with a code), and the
buttons a user is offered (`buttons`). No two rows share a source and an action, so a status
and an action name at most one move.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from portal import access
from portal.access import Cap
from portal.errors import RuleViolation


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    cap: Cap
    label: str = ""  # the Vietnamese button label
    needs_reason: bool = False
    # Whose unit the capability is held on, where a record has several (a registration's own
    # unit, or the level that issued its campaign); the app names its sides, "" is the record's.
    on: str = ""


def move(
    action: str,
    sources: Iterable[str],
    target: str,
    cap: Cap,
    label: str = "",
    *,
    needs_reason: bool = False,
    on: str = "",
) -> Transition:
    """One row of a table, its sources given as any iterable."""
    return Transition(action, frozenset(sources), target, cap, label, needs_reason, on)


class Table:
    """A workflow's moves. `refusal(source, target)` words a move the table does not allow."""

    def __init__(
        self, name: str, transitions: Iterable[Transition], *, refusal: Callable[[str, str], str]
    ) -> None:
        self.name = name
        self.transitions = tuple(transitions)
        self._refusal = refusal
        self._moves: dict[tuple[str, str], Transition] = {}
        self._targets: dict[str, str] = {}
        for row in self.transitions:
            if self._targets.setdefault(row.action, row.target) != row.target:
                raise ImproperlyConfigured(f"{name}: action {row.action!r} has two targets.")
            for source in row.sources:
                if (source, row.action) in self._moves:
                    raise ImproperlyConfigured(f"{name}: {row.action!r} from {source!r} twice.")
                self._moves[source, row.action] = row

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions)

    def actions(self) -> list[str]:
        return list(self._targets)

    def target_of(self, action: str) -> str:
        """The status an action ends in, from whichever status it starts."""
        return self._targets.get(action, "")

    def pairs(self) -> set[tuple[str, str]]:
        """Every (source, target) the table allows."""
        return {(source, row.target) for row in self.transitions for source in row.sources}

    def allowed(self, status: str, action: str) -> Transition | None:
        return self._moves.get((status, action))

    def ensure(self, record, action: str) -> Transition:
        """The move `action` makes from the record's status, or a refusal with a code."""
        row = self.allowed(record.status, action)
        if row is None:
            raise RuleViolation(
                self._refusal(record.status, self.target_of(action)), code=f"{self.name}.refused"
            )
        return row

    def from_status(self, status: str) -> list[Transition]:
        return [row for row in self.transitions if status in row.sources]

    def buttons(self, user, record, unit) -> list[Transition]:
        """The moves `user` is offered on `record`, whose capabilities are held on `unit`:
        one unit, or a function giving each row's unit (by its `on`), None where none holds."""
        unit_of = unit if callable(unit) else (lambda row: unit)
        return [
            row
            for row in self.from_status(record.status)
            if (held_on := unit_of(row)) is not None and access.can(user, row.cap, held_on)
        ]


def require_atomic() -> None:
    """Moving a status or taking a number belongs inside the caller's transaction, with the
    row locked: outside one, a failure after the write would leave it half applied."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A workflow move must run inside transaction.atomic().")
