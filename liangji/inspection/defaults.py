"""The default work plan: the five phases of the town's 实施方案 and their tasks (domain.md §1,
the town plan example). Dates are (month, day) in the year of the plan; a new plan shifts them
to its own year.
"""

from __future__ import annotations

# (phase, (start), (end), [(task, (start), (deadline), owner)]) — owner "town" is the town
# itself, "office" the 领导小组办公室 (the town as unit, its 办公室主任 as the named person).
MonthDay = tuple[int, int]
TemplateTask = tuple[str, MonthDay, MonthDay, str]

# fmt: off
PLAN_TEMPLATE: list[tuple[str, MonthDay, MonthDay, list[TemplateTask]]] = [
    ("宣传发动", (3, 1), (4, 30), [
        ("成立两基迎国检领导小组及办公室，明确职责分工", (3, 1), (3, 15), "leader"),
        ("召开两基迎国检动员大会，安排部署工作", (4, 1), (4, 15), "leader"),
        ("与各村（社区）、学区及学校签订目标责任书", (4, 1), (4, 20), "office"),
        ("悬挂宣传标语、利用橱窗和标牌开展宣传", (3, 15), (4, 30), "office"),
    ]),
    ("自查与督查整改", (4, 1), (5, 31), [
        ("各村（社区）、学校对照七个方面逐项自查，形成自查报告", (4, 15), (5, 10), "office"),
        ("举办两基业务培训班（指标、档案、实施方案）", (4, 15), (4, 30), "office"),
        ("镇领导小组全面督查，召开督查情况通报会", (5, 1), (5, 20), "leader"),
        ("限期完成整改，完成整改的单位申请镇级检查", (5, 1), (5, 31), "office"),
        ("汇总各单位情况，向县两基办申请县级复查", (5, 25), (5, 31), "office"),
    ]),
    ("巩固提高", (6, 1), (8, 31), [
        ("镇级检查验收各村（社区）、学校", (6, 1), (6, 30), "leader"),
        ("通报检查情况，对问题突出、整改不力的单位问责", (6, 15), (7, 15), "leader"),
        ("申请并迎接市级抽查", (7, 1), (7, 31), "office"),
        ("查漏补缺，利用假期整治校园环境、消除安全隐患", (7, 1), (8, 31), "office"),
    ]),
    ("迎接检查验收", (9, 1), (10, 31), [
        ("更新新学年各类数据", (9, 1), (9, 20), "office"),
        ("完成工作汇报材料和专题片，准备迎检接待", (9, 1), (9, 30), "office"),
        ("建好资料室，健全各学年义务教育档案", (9, 1), (10, 10), "office"),
        ("接受国家检查验收", (10, 1), (10, 31), "leader"),
    ]),
    ("总结", (10, 15), (12, 31), [
        ("总结两基迎国检工作做法和经验", (11, 1), (11, 30), "office"),
        ("年终考核目标责任书，兑现奖惩", (12, 1), (12, 31), "leader"),
    ]),
]
# fmt: on
