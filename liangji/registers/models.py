"""The registers: units, school years, households, people and school rolls.

History is kept by school year. A `Person` is the lasting identity (name, sex, birth date, ID
number); everything that changes from one September to the next (household, 户籍 status,
disability, level, exemption, studying elsewhere, groups) is a `PersonRecord` of one school
year, and each school year has its own rolls (`Enrollment`, with dated `EnrollmentEvent`s).
Importing or editing school year 2024 therefore never touches a figure of 2023.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangji.registers.choices import (
    SCHOOL_KINDS,
    TOWN_KINDS,
    VILLAGE_KINDS,
    Disability,
    EducationLevel,
    Exemption,
    HukouStatus,
    PopulationType,
    PriorityGroup,
    RollEventKind,
    RollStatus,
    Sex,
    StudyLevel,
    UnitKind,
)


class Unit(models.Model):
    """A county, a town, a village/community or a school: the scope of users and figures."""

    kind = models.CharField("类型", max_length=8, choices=UnitKind.choices)
    name = models.CharField("名称", max_length=100)
    code = models.CharField("代码", max_length=40, blank=True, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name="所属",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="unit_root_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_town(self) -> bool:
        return self.kind in TOWN_KINDS

    @property
    def is_village(self) -> bool:
        return self.kind in VILLAGE_KINDS

    @property
    def is_school(self) -> bool:
        return self.kind in SCHOOL_KINDS

    @property
    def town(self) -> Unit | None:
        """The town this unit is or belongs to (None for a county)."""
        if self.is_town:
            return self
        return self.parent if self.parent is not None and self.parent.is_town else None


class SchoolYear(models.Model):
    """学年 Y: 1 Sept Y to 31 Aug Y+1. An approved year can be locked against edits."""

    year = models.PositiveSmallIntegerField("学年", unique=True)
    locked = models.BooleanField("已锁定", default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "学年"
        verbose_name_plural = "学年"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}—{self.year + 1}学年"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 9, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year + 1, 8, 31)


class TownSetting(models.Model):
    """One setting of a town (keys, types and defaults: `registers.town_settings`)."""

    town = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="settings")
    key = models.CharField(max_length=60)
    value = models.CharField(max_length=200)

    class Meta:
        verbose_name = "镇设置"
        verbose_name_plural = "镇设置"
        constraints = [
            models.UniqueConstraint(fields=["town", "key"], name="town_setting_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.town}: {self.key}={self.value}"


class Household(models.Model):
    """A household (户) of the 文化户口册, numbered within its village."""

    village = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="households")
    number = models.CharField("户号", max_length=40)

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        constraints = [
            models.UniqueConstraint(
                fields=["village", "number"], name="household_number_unique_in_village"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.number}户"


class Person(models.Model):
    """The lasting identity of a person, shared by every school year's record."""

    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    # NULL, not "", for "no ID number": the unique constraint must not treat all unknowns as one.
    id_number = models.CharField("身份证号", max_length=18, null=True, blank=True)  # noqa: DJ001
    ethnicity = models.CharField("民族", max_length=20, blank=True, default="")
    # Pinyin initials of the name ("zs" for 张三), for search by what people type.
    name_initials = models.CharField(max_length=50, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(id_number__isnull=False),
                name="person_id_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["name", "sex", "birth_date"], name="person_name_sex_birth")]

    def __str__(self) -> str:
        return self.name


class PersonRecord(models.Model):
    """A person as the register stands for one school year (one row of the 人口 sheet)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="records")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="records")
    # The 户籍 village for registered people, the village lived in for migrants (product.md).
    # Kept beside the household so that set-wise queries and scoping need no join.
    village = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="person_records")
    population_type = models.CharField(
        "人口类型", max_length=4, choices=PopulationType.choices, default=PopulationType.REGISTERED
    )
    hukou_status = models.CharField(
        "户籍状态", max_length=4, choices=HukouStatus.choices, default=HukouStatus.ON_REGISTER
    )
    moved_out_on = models.DateField("迁出日期", null=True, blank=True)
    died_on = models.DateField("死亡日期", null=True, blank=True)
    address = models.CharField("现住址", max_length=200, blank=True, default="")
    disability = models.CharField(
        "残疾类别", max_length=4, choices=Disability.choices, blank=True, default=""
    )
    education_level = models.CharField(
        "文化程度", max_length=8, choices=EducationLevel.choices, blank=True, default=""
    )
    lost_learning_ability = models.BooleanField("丧失学习能力", default=False)
    exemption = models.CharField(
        "免缓学", max_length=4, choices=Exemption.choices, blank=True, default=""
    )
    exemption_approved_on = models.DateField("免缓学批准日期", null=True, blank=True)
    exemption_until = models.DateField("免缓学截止日期", null=True, blank=True)
    elsewhere_school = models.CharField("在外就读学校", max_length=100, blank=True, default="")
    elsewhere_region = models.CharField("在外就读地区", max_length=100, blank=True, default="")
    elsewhere_level = models.CharField(
        "在外就读学段", max_length=4, choices=StudyLevel.choices, blank=True, default=""
    )
    elsewhere_grade = models.PositiveSmallIntegerField("在外就读年级", null=True, blank=True)
    elsewhere_proof = models.BooleanField("在外就读证明", null=True, blank=True)
    home_schooling = models.BooleanField("送教上门", default=False)
    note = models.CharField("备注", max_length=500, blank=True, default="")
    version = models.PositiveIntegerField(default=1)  # optimistic locking of concurrent edits
    # Set by every edit in the application, cleared when an import writes the record: a
    # re-import keeps what a user saved since (a conflict) unless told to overwrite it.
    edited_at = models.DateTimeField("导入后在系统中修改", null=True, blank=True)

    class Meta:
        verbose_name = "人口记录"
        verbose_name_plural = "人口记录"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school_year"], name="person_record_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(exemption="") | Q(exemption_approved_on__isnull=False),
                name="person_record_exemption_needs_approval_date",
            ),
            models.CheckConstraint(
                condition=~Q(hukou_status=HukouStatus.MOVED_OUT) | Q(moved_out_on__isnull=False),
                name="person_record_move_out_needs_date",
            ),
        ]
        indexes = [
            models.Index(fields=["school_year", "village"], name="person_record_year_village"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.school_year})"

    @property
    def studies_elsewhere(self) -> bool:
        return bool(self.elsewhere_level)


class GroupMembership(models.Model):
    """A person's priority group (留守儿童, 建档立卡 …) in one school year."""

    record = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField("特殊群体", max_length=8, choices=PriorityGroup.choices)

    class Meta:
        verbose_name = "特殊群体"
        verbose_name_plural = "特殊群体"
        constraints = [
            models.UniqueConstraint(fields=["record", "group"], name="group_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.record.person}: {self.group}"


class Enrollment(models.Model):
    """A pupil on a school's roll (学籍) in one school year.

    `status` and `status_date` are the latest event's result, kept on the row so that the
    indicators can judge a reference date without replaying events; they are only ever
    written by `services.enrollment_record_event` and the importer's batch writer.
    """

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enrollments")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    student_number = models.CharField("学籍号", max_length=40, blank=True, default="")
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("身份证号", max_length=18, blank=True, default="")
    hukou_village = models.CharField("户籍村", max_length=100, blank=True, default="")
    grade = models.PositiveSmallIntegerField("年级")
    class_name = models.CharField("班级", max_length=40, blank=True, default="")
    entry_date = models.DateField("入学日期", null=True, blank=True)
    status = models.CharField(
        "学籍状态", max_length=4, choices=RollStatus.choices, default=RollStatus.STUDYING
    )
    status_date = models.DateField("变动日期", null=True, blank=True)
    transfer_school = models.CharField("转入学校", max_length=100, blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    # As on PersonRecord: a roll event recorded in the application (a dropout case's result)
    # since the last import that wrote this row.
    edited_at = models.DateTimeField("导入后在系统中修改", null=True, blank=True)

    class Meta:
        verbose_name = "学籍"
        verbose_name_plural = "学籍"
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "school", "student_number"],
                condition=~Q(student_number=""),
                name="enrollment_student_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1) & Q(grade__lte=9), name="enrollment_grade_1_to_9"
            ),
            models.CheckConstraint(
                condition=Q(status=RollStatus.STUDYING) | Q(status_date__isnull=False),
                name="enrollment_change_needs_date",
            ),
        ]
        indexes = [
            models.Index(fields=["school_year", "school"], name="enrollment_year_school"),
            models.Index(fields=["school_year", "person"], name="enrollment_year_person"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.school} {self.grade}年级"


class EnrollmentEvent(models.Model):
    """A dated change on a roll: entry, suspension, return, dropout, transfer, graduation, death."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("变动", max_length=4, choices=RollEventKind.choices)
    date = models.DateField("日期")
    other_school = models.CharField("对方学校", max_length=100, blank=True, default="")
    note = models.CharField("说明", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "学籍变动"
        verbose_name_plural = "学籍变动"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["enrollment", "date"], name="enrollment_event_date")]

    def __str__(self) -> str:
        return f"{self.enrollment.name} {self.kind} {self.date}"


class TownDataVersion(models.Model):
    """How many times the data behind a town's figures has changed (`registers.versions`).

    Computed figures are kept under (town, school year, version); a write that can move a
    figure bumps the counter in its own transaction, so a kept figure is never served after a
    change, whichever process kept it.
    """

    town = models.OneToOneField(
        Unit, primary_key=True, on_delete=models.CASCADE, related_name="data_version"
    )
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"{self.town} v{self.version}"


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", "已提交，待审核"
    APPROVED = "approved", "已审核通过"
    RETURNED = "returned", "已退回修改"


# Allowed moves of a submission: a unit submits (again after a return); the office approves or
# returns what was submitted.
SUBMISSION_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({SubmissionState.SUBMITTED}),
    SubmissionState.RETURNED: frozenset({SubmissionState.SUBMITTED}),
    SubmissionState.SUBMITTED: frozenset({SubmissionState.APPROVED, SubmissionState.RETURNED}),
    SubmissionState.APPROVED: frozenset(),
}


class YearSubmission(models.Model):
    """A village or school declaring its data of a school year complete, and the office's answer."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=SubmissionState.choices)
    note = models.CharField("说明", max_length=500, blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "web_yearsubmission"  # born in the web app; moved without touching the table
        verbose_name = "学年数据提交"
        verbose_name_plural = "学年数据提交"
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "unit"], name="year_submission_one_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "approved", "returned"]),
                name="year_submission_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year} {self.get_state_display()}"


class YearTownSettings(models.Model):
    """A town's settings kept for one school year: taken from the town's settings when the year
    is first locked, kept through unlock and re-lock, so that a setting changed later for
    the years to come never moves an approved year's figures. A year without a row follows the
    town's current settings (`registers.services.town_settings_get`)."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+")
    town = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    values = models.JSONField(default=dict)

    class Meta:
        verbose_name = "学年设置"
        verbose_name_plural = "学年设置"
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "town"], name="year_town_settings_one_per_town"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town} {self.school_year}"
