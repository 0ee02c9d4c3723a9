"""The work lists: who follows each line of a shortfall or of the reconciliation.

A work list is computed (the people behind a shortfall, from the indicators engine); a
`WorkItem` keeps only what people add to a line: the unit it is assigned to and its resolution.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangji.registers.choices import Resolution


class WorkItem(models.Model):
    school_year = models.ForeignKey(
        "registers.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    town = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    list_code = models.CharField("清单", max_length=60)
    # "p<person id>" or "e<enrollment id>": the line's identity across recomputations.
    key = models.CharField(max_length=40)
    person = models.ForeignKey(
        "registers.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    enrollment = models.ForeignKey(
        "registers.Enrollment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assigned_unit = models.ForeignKey(
        "registers.Unit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(
        "处理结果", max_length=10, choices=Resolution.choices, blank=True, default=""
    )
    resolution_note = models.CharField("处理说明", max_length=500, blank=True, default="")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "web_workitem"  # born in the web app; moved without touching the table
        verbose_name = "工作清单事项"
        verbose_name_plural = "工作清单事项"
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "town", "list_code", "key"], name="work_item_one_per_line"
            ),
            models.CheckConstraint(
                condition=Q(resolution="") | Q(resolved_at__isnull=False),
                name="work_item_resolution_dated",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(enrollment__isnull=False),
                name="work_item_has_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_unit", "school_year"], name="work_item_assigned"),
        ]

    def __str__(self) -> str:
        return f"{self.list_code} {self.key}"


class ApprovedFigures(models.Model):
    """A town's indicator report of a locked school year (every unit and priority group), as
    it was when the office locked it (indicators.figures).

    `locked_at` is the lock it belongs to: after unlock, correction and re-lock, only the
    figures of the new lock are shown.
    """

    school_year = models.ForeignKey(
        "registers.SchoolYear", on_delete=models.CASCADE, related_name="+"
    )
    town = models.ForeignKey("registers.Unit", on_delete=models.CASCADE, related_name="+")
    locked_at = models.DateTimeField()
    report = models.JSONField()

    class Meta:
        verbose_name = "审定指标"
        verbose_name_plural = "审定指标"
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "town"], name="approved_figures_one_per_town"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town} {self.school_year}"
