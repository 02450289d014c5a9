"""Kept counts of dossiers per (handling unit, status, year) (#16).

Nội vụ's queue pages its dossiers with a total; an exact COUNT over every dossier in the user's
scope grows with the province (226–365 ms at 200,000 dossiers). The total is instead a sum over
these rows, one per level, step and year (726 level-and-step pairs for 200,000 dossiers).

PostgreSQL keeps them (triggers of migration 0021, one per INSERT, UPDATE, DELETE and TRUNCATE
on `awards_nomination`, statement-level over the transition tables), so they change in the
same transaction as the dossier, whatever the path: a step of the workflow, a bulk action, a
`bulk_create`, a queryset `update`, a delete. A save that moves no key column touches no count
row (and so takes no lock on one).

The fields are named as `Nomination`'s so one scope filter (`awards.listing`) serves both. Kept
per proposing unit they would not shrink: 20,000 proposing units hold the 200,000 dossiers
(120,000 rows, summed no faster than the COUNT). The sender's list is counted per branch
instead (`NominationBranchTally`). Derived data (the migrations counted the dossiers once),
hence no history.
"""

from __future__ import annotations

from django.db import models

from portal.models import Unit

from .catalogue import AwardForm, EmulationTitle


class NominationTallyQuerySet(models.QuerySet):
    def total(self) -> int:
        return self.aggregate(total=models.Sum("count"))["total"] or 0


class NominationTally(models.Model):
    handling_unit = models.ForeignKey(
        Unit, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    objects = NominationTallyQuerySet.as_manager()

    class Meta:
        verbose_name = "số hồ sơ (đếm sẵn)"
        verbose_name_plural = "số hồ sơ (đếm sẵn)"
        constraints = [
            models.UniqueConstraint(
                fields=["handling_unit", "status", "year"],
                nulls_distinct=False,
                name="awards_nomination_tally_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handling_unit_id}/{self.status}/{self.year}"


class NominationBranchTally(models.Model):
    """Dossiers proposed within the branch whose root has this unit path (`count`), and by the
    root unit itself (`own`): the sender's list's total is one or two of these rows, whatever
    the size of the province (#16).

    Every dossier counts in each of its proposing unit's ancestors, its own unit included (a
    ward's dossier in the ward, the district, the province), so a branch's total needs no sum
    over its units. Keyed by path, which never changes (a unit is closed and a new one made,
    never moved), so no unit change can leave a count behind. PostgreSQL keeps the rows
    (migration 0023) as it keeps `NominationTally`: in the dossier's own transaction, whatever
    the path of the write. The price: a dossier added or deleted locks its branch's rows up to
    the root until its transaction ends, so two proposals created at once in one province wait
    for each other; a step of the workflow moves no proposing unit and takes no such lock.
    """

    path = models.CharField(max_length=255, unique=True)
    count = models.IntegerField(default=0)
    own = models.IntegerField(default=0)

    class Meta:
        verbose_name = "số hồ sơ theo nhánh đơn vị đề nghị (đếm sẵn)"
        verbose_name_plural = "số hồ sơ theo nhánh đơn vị đề nghị (đếm sẵn)"

    def __str__(self) -> str:
        return f"{self.path}: {self.count} ({self.own})"


class AwardTallyFields(models.Model):
    """What the statistics page counts of the standing awards (`revoked_on` empty) whose
    subject (the person's unit of work, or the collective or household's unit) lies in the
    branch whose root has this unit path: all of them, and the individuals among them who are
    direct workers, managers, women, or of an ethnic minority (the person's fields now)."""

    path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)
    direct = models.IntegerField(default=0)
    managers = models.IntegerField(default=0)
    women = models.IntegerField(default=0)
    minorities = models.IntegerField(default=0)

    class Meta:
        abstract = True


class AwardTally(AwardTallyFields):
    """Standing awards per branch, year, item and recipient kind (#16): the statistics page's
    breakdowns by item, recipient, share, level and year, and the caps used, read the rows of
    a few branches (those the user sees, or the chosen unit) instead of every award record.

    Like `NominationBranchTally`, an award counts in every prefix of its subject's unit path, so
    a branch needs no sum over its units; unit paths never change. PostgreSQL keeps the rows
    (migration 0024, statement-level triggers over the transition tables) in the same
    transaction as every write to `awards_awardrecord` (a decision, a history import, a
    revocation, a bulk load) and as every change of a person's unit of work, gender, ethnicity
    or position flags (their awards follow them). Derived data, hence no history; SQLite keeps
    none (the page counts the records there)."""

    title = models.ForeignKey(
        EmulationTitle,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    award_form = models.ForeignKey(
        AwardForm,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    recipient_kind = models.CharField(max_length=20)

    class Meta:
        verbose_name = "số khen thưởng theo nhánh (đếm sẵn)"
        verbose_name_plural = "số khen thưởng theo nhánh (đếm sẵn)"
        constraints = [
            models.UniqueConstraint(
                fields=["path", "year", "title", "award_form", "recipient_kind"],
                nulls_distinct=False,
                name="awards_award_tally_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path}/{self.year}/{self.title_id or self.award_form_id}: {self.count}"


class AwardUnitTally(AwardTallyFields):
    """Standing awards per branch and year, by recipient kind and titles vs forms (#16): the
    statistics page's breakdown per child unit reads one row per child and year, not one per
    item. Kept by the same triggers as `AwardTally`, in the same statements."""

    individuals = models.IntegerField(default=0)
    collectives = models.IntegerField(default=0)
    households = models.IntegerField(default=0)
    titles = models.IntegerField(default=0)
    forms = models.IntegerField(default=0)

    class Meta:
        verbose_name = "số khen thưởng theo nhánh và năm (đếm sẵn)"
        verbose_name_plural = "số khen thưởng theo nhánh và năm (đếm sẵn)"
        constraints = [
            models.UniqueConstraint(fields=["path", "year"], name="awards_award_unit_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.path}/{self.year}: {self.count}"
