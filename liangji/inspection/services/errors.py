"""The one error the inspection services raise for a rule the user broke: its message is
Chinese, names what is wrong and how to fix it, and is shown as it is."""

from __future__ import annotations


class InspectionRuleError(Exception):
    pass
