"""扫盲: classes (扫盲班) and their learners, sessions and attendance, tests, certificates
(脱盲证书), re-tests and practical technical training.

Who is an 扫盲对象 is not stored: the ledger is read from the register of the school year
(`literacy.selectors`), and a person's 文化程度 stays the register's. What this app stores is
the work done with those people. Every row is written by `literacy.services` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class VenueKind(models.TextChoices):
    SCHOOL = "文化技术学校", "村（居）民文化技术学校"
    POINT = "教学点", "扫盲教学点"


class ClassStatus(models.TextChoices):
    OPEN = "open", "开班中"
    CLOSED = "closed", "已结业"


class LiteracyClass(models.Model):
    """An 扫盲班 of one village in one school year."""

    school_year = models.ForeignKey(
        "registers.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    # Scope: kept on the row so that every list is one query filtered by the user's units.
    town = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("班名", max_length=100)
    venue_kind = models.CharField(
        "办学形式", max_length=8, choices=VenueKind.choices, default=VenueKind.SCHOOL
    )
    venue = models.CharField("办学地点", max_length=100, blank=True, default="")
    textbook = models.CharField("教材", max_length=100, blank=True, default="")
    schedule = models.CharField("教学安排", max_length=200, blank=True, default="")
    planned_hours = models.PositiveIntegerField("计划课时")
    opened_on = models.DateField("开班日期")
    status = models.CharField(
        "状态", max_length=8, choices=ClassStatus.choices, default=ClassStatus.OPEN
    )
    closed_on = models.DateField("结业日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "扫盲班"
        verbose_name_plural = "扫盲班"
        ordering = ["-opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "village", "name"], name="literacy_class_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(status=ClassStatus.OPEN) | Q(closed_on__isnull=False),
                name="literacy_class_closed_needs_date",
            ),
            models.CheckConstraint(
                condition=Q(planned_hours__gte=1), name="literacy_class_planned_hours_positive"
            ),
        ]
        indexes = [models.Index(fields=["school_year", "town"], name="literacy_class_year_town")]

    def __str__(self) -> str:
        return self.name


class ClassTeacher(models.Model):
    klass = models.ForeignKey(LiteracyClass, on_delete=models.CASCADE, related_name="teachers")
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("单位", max_length=100, blank=True, default="")
    phone = models.CharField("电话", max_length=30, blank=True, default="")

    class Meta:
        verbose_name = "扫盲教师"
        verbose_name_plural = "扫盲教师"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ClassMember(models.Model):
    """A learner of a class, taken from the ledger.

    `in_open_class` repeats the class's status on the row so that the database itself refuses a
    person in two open classes at once (a partial unique index cannot reach the class table).
    """

    klass = models.ForeignKey(LiteracyClass, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("registers.Person", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField("入班日期")
    in_open_class = models.BooleanField(default=True)

    class Meta:
        verbose_name = "扫盲学员"
        verbose_name_plural = "扫盲学员"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["klass", "person"], name="class_member_once"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(in_open_class=True),
                name="class_member_one_open_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.klass}"


class ClassSession(models.Model):
    """One lesson of a class: its date, hours and content; attendance is its roll call (点名册)."""

    klass = models.ForeignKey(LiteracyClass, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField("日期")
    hours = models.DecimalField("课时", max_digits=4, decimal_places=1)
    content = models.CharField("教学内容", max_length=200)

    class Meta:
        verbose_name = "扫盲课"
        verbose_name_plural = "扫盲课"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=12), name="class_session_hours_0_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.klass} {self.date}"


class Attendance(models.Model):
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(ClassMember, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        verbose_name = "出勤"
        verbose_name_plural = "出勤"
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.session_id}"


class LiteracyTest(models.Model):
    """A test session (识字测验) of a class."""

    klass = models.ForeignKey(LiteracyClass, on_delete=models.CASCADE, related_name="tests")
    date = models.DateField("测验日期")
    examiner = models.CharField("主考", max_length=100, blank=True, default="")

    class Meta:
        verbose_name = "识字测验"
        verbose_name_plural = "识字测验"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.klass} {self.date}"


def _passing() -> Q:
    return Q(characters_known__gte=F("standard"), reading=True, accounts=True, writing=True)


class TestResult(models.Model):
    """One learner's result: characters known out of the standard, and the three skills.

    `standard` is the number of characters in force for the learner's village kind on the day
    (1,500 rural, 2,000 urban by default); kept on the row so a later change of the setting does
    not rewrite a past result. Whether it passed is a checked consequence, not a free choice.
    """

    __test__ = False  # not a pytest class, despite its name

    test = models.ForeignKey(LiteracyTest, on_delete=models.CASCADE, related_name="results")
    member = models.ForeignKey(ClassMember, on_delete=models.PROTECT, related_name="results")
    characters_known = models.PositiveIntegerField("识字数")
    standard = models.PositiveIntegerField("识字标准")
    reading = models.BooleanField("阅读")
    accounts = models.BooleanField("记账")
    writing = models.BooleanField("写便条")
    passed = models.BooleanField("通过")

    class Meta:
        verbose_name = "测验成绩"
        verbose_name_plural = "测验成绩"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["test", "member"], name="test_result_once"),
            models.CheckConstraint(
                condition=(Q(passed=True) & _passing()) | (Q(passed=False) & ~_passing()),
                name="test_result_passed_follows_the_standard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.person} {self.characters_known}/{self.standard}"


class Certificate(models.Model):
    """A 脱盲证书, numbered per town and calendar year of issue (第 `serial` 号)."""

    town = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(
        "registers.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("registers.Person", on_delete=models.PROTECT, related_name="+")
    result = models.OneToOneField(TestResult, on_delete=models.PROTECT, related_name="certificate")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("证书编号", max_length=60)
    passed_on = models.DateField("脱盲日期")  # the test date: the register's level dates from it
    issued_on = models.DateField("发证日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "脱盲证书"
        verbose_name_plural = "脱盲证书"
        ordering = ["year", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "year", "serial"], name="certificate_serial_unique_per_town_year"
            ),
            models.UniqueConstraint(fields=["town", "number"], name="certificate_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateCounter(models.Model):
    """The last serial issued per town and year. Issuing locks this row, so two clerks issuing
    at the same moment queue instead of both reading the same maximum."""

    town = models.ForeignKey("registers.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["town", "year"], name="certificate_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.town_id} {self.year}: {self.last}"


class Retest(models.Model):
    """The re-test of a graduate (复查); a failed re-test is a relapse (复盲)."""

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="retest")
    # The school year of the re-test (the relapse rate is counted in it) and the scope.
    school_year = models.ForeignKey(
        "registers.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    town = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("复查日期")
    characters_known = models.PositiveIntegerField("识字数")
    standard = models.PositiveIntegerField("识字标准")
    reading = models.BooleanField("阅读")
    accounts = models.BooleanField("记账")
    writing = models.BooleanField("写便条")
    passed = models.BooleanField("巩固")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "复查"
        verbose_name_plural = "复查"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(passed=True) & _passing()) | (Q(passed=False) & ~_passing()),
                name="retest_passed_follows_the_standard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} {self.date}"


class TechTraining(models.Model):
    """实用技术培训 held alongside the literacy classes."""

    school_year = models.ForeignKey(
        "registers.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    town = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("培训内容", max_length=200)
    date = models.DateField("日期")
    hours = models.DecimalField("课时", max_digits=4, decimal_places=1)
    participants = models.PositiveIntegerField("参训人数")
    note = models.CharField("备注", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "实用技术培训"
        verbose_name_plural = "实用技术培训"
        ordering = ["-date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="tech_training_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.topic


class LostAbilityJudgement(models.Model):
    """The evidence that a person lost the ability to learn （丧失学习能力）： who judged it, when,
    on what grounds. The register's flag takes the person out of the ledger and the literacy
    denominators; this record is what an inspector asks to see behind the flag."""

    person = models.ForeignKey("registers.Person", on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    judged_on = models.DateField("鉴定日期")
    judged_by = models.CharField("鉴定机构", max_length=100)
    grounds = models.CharField("鉴定结论与依据", max_length=300)
    document = models.CharField("证明文件编号", max_length=60, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "丧失学习能力鉴定"
        verbose_name_plural = "丧失学习能力鉴定"
        ordering = ["-judged_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "judged_on"], name="lost_ability_one_judgement_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.judged_on}"
