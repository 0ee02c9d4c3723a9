"""The figures of an approved school year, as they were when the office locked it."""

from __future__ import annotations

from django.db import models


class ApprovedFigures(models.Model):
    """A town's indicator report of a locked school year (every unit and priority group).

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
