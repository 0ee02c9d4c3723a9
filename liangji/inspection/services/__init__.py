"""Writes of inspection readiness. The web pages, the commands and the demo all come here.

One module per area: `plan` (work plan and organisation), `standard`, `conditions` (buildings,
hazards, funding, teachers), `self_checks`, `rectification` (supervision visits, findings and
the rectification workflow), `applications` (applications up the chain, inspection results),
`agreements` (目标责任书, assessment, 问责). Refused rules raise `errors.InspectionRuleError`.
"""
