"""Kept per-branch counts of a campaign's cascade (`/phong-trao/<id>/tien-do/`, #16).

The cascade's page counted the registrations of the whole subtree on every request. It now
reads, for the unit being looked at and each of its children, one row of time-free counts
(`CascadeTally`) and the few rows of counts keyed by date (`CascadeDayTally`) that it sums
below today or over the reporting period: "overdue" and "reported this period" change with
the date, not only with writes, so they cannot be kept as plain numbers.

Like `awards.NominationBranchTally`, a row counts the whole branch whose root has this unit
path (a ward's registration counts in the ward, its district and its province), so a branch
needs no sum over its units; the root's own row is its branch less its children's. Unit paths
never change (a unit is closed and a new one made, never moved), so no unit change can leave
a count behind. PostgreSQL keeps the rows (triggers of migration 0006, statement-level over
the transition tables) in the same transaction as every write to registrations, campaign
targets and campaigns, whatever its path (a service, a bulk load, a queryset `update`). The
price: a write that changes a counted field of a registration (its status, its earliest open
due date, its last report) locks its branch's rows up to the root until its transaction ends,
so two reports on two wards of one district at once wait for each other at the district.
Derived data, hence no history; SQLite keeps none (the page counts the registrations there).
"""

from __future__ import annotations

from django.db import models

from campaigns.models import Campaign


class CascadeTally(models.Model):
    """A campaign's figures over the branch rooted at `path` that do not change with the date:
    its targets, its registrations (registered, accepted, late) and the follow-up campaigns
    (not cancelled) its units issued under this one."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    path = models.CharField(max_length=255)
    parent = models.CharField(max_length=255)  # the path of the branch above: its children
    targets = models.IntegerField(default=0)
    registered = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    follow_ups = models.IntegerField(default=0)

    class Meta:
        verbose_name = "tiến độ theo nhánh (đếm sẵn)"
        verbose_name_plural = "tiến độ theo nhánh (đếm sẵn)"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "path"], name="pledges_cascade_tally_key"),
        ]
        indexes = [
            models.Index(fields=["campaign", "parent"], name="pledges_cascade_tally_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.path}: {self.registered}/{self.targets}"


class CascadeDayTally(models.Model):
    """The registrations of the branch rooted at `path` whose earliest unmet task is due on
    `day` (`due`, and `accepted_due` of those accepted), and whose last report was made on
    `day` (`reported`). Overdue today: the sum of `due` below today; reported this period: the
    sum of `reported` from the period's start. A row whose three counts fall to zero is
    deleted, so the rows stay as few as the distinct dates in use."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    path = models.CharField(max_length=255)
    parent = models.CharField(max_length=255)
    day = models.DateField()
    due = models.IntegerField(default=0)
    accepted_due = models.IntegerField(default=0)
    reported = models.IntegerField(default=0)

    class Meta:
        verbose_name = "tiến độ theo nhánh và ngày (đếm sẵn)"
        verbose_name_plural = "tiến độ theo nhánh và ngày (đếm sẵn)"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "path", "day"], name="pledges_cascade_day_tally_key"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "parent", "day"], name="pledges_cascade_day_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.path}/{self.day}: {self.due}/{self.reported}"
