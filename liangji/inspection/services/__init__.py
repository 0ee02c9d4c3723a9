"""Writes of inspection readiness. The web pages, the commands and the demo all come here.

One module per area: `plan` (work plan and organisation), `standard`, `registers` (buildings,
hazards, funding, teachers), `checks` (self-checks, supervision, rectification, applications,
inspection results), `agreements` (目标责任书, assessment, 问责).
"""
