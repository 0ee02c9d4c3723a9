"""控辍保学: the cases of children out of school, their steps, attempts, notices and contacts.

A case follows one child in one school year. Where it stands (`kind`, `step`, `status`) is
only ever written by `dropout.services`; which moves are allowed is declared once in
`dropout.workflow`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangji.registers.choices import Resolution


class CaseKind(models.TextChoices):
    SUSPECTED = "疑似辍学", "疑似辍学"
    DROPPED_OUT = "辍学", "辍学"
    # Never enrolled (domain.md §5: 失学), found by the reconciliation or an inspector.
    NEVER_ENROLLED = "失学", "失学"


class CaseStatus(models.TextChoices):
    OPEN = "open", "未销号"
    CLOSED = "closed", "已销号"


class CaseStep(models.TextChoices):
    REPORTED = "reported", "报告"
    HOME_VISIT = "home_visit", "家访"
    PERSUASION = "persuasion", "联合劝返"
    WRITTEN_REPORT = "written_report", "书面报告"
    RETURN_NOTICE = "return_notice", "劝返回校通知书"
    DEADLINE_NOTICE = "deadline_notice", "限期返校通知书"
    ADMIN_MEASURES = "admin_measures", "行政措施"


class CaseReason(models.TextChoices):
    LEARNING = "学习困难", "学习困难"
    POVERTY = "家庭贫困", "家庭贫困"
    DISTANCE = "路途遥远", "路途遥远"
    DISABILITY = "残疾", "残疾"
    WORK = "外出务工", "外出务工"
    FAMILY = "家庭原因", "家庭原因"
    OTHER = "其他", "其他"


class CaseSource(models.TextChoices):
    SHORTFALL = "shortfall", "指标缺口名单"
    RECONCILIATION = "reconciliation", "四查三比对"
    ABSENCE = "absence", "学校缺课报告"
    INSPECTOR = "inspector", "督导检查"
    MANUAL = "manual", "手工登记"


class RegistrationError(models.TextChoices):
    EMPTY_HOUSEHOLD = "空挂户", "空挂户"
    DOUBLE_HUKOU = "双重户籍", "双重户籍"
    WRONG_IDENTITY = "身份信息错误", "身份信息错误"
    NOT_FOUND = "查无此人", "查无此人"


class ElsewhereRegion(models.TextChoices):
    IN_PROVINCE = "省内", "省内"
    OUT_OF_PROVINCE = "省外", "省外"
    ABROAD = "境外", "境外"


class EntryKind(models.TextChoices):
    OPENED = "opened", "立案"
    ATTEMPT = "attempt", "劝返记录"
    ADVANCED = "advanced", "进入下一步"
    ESCALATED = "escalated", "转为辍学"
    CLOSED = "closed", "销号"
    REOPENED = "reopened", "重新打开"


class AttemptMethod(models.TextChoices):
    VISIT = "上门", "上门家访"
    PHONE = "电话", "电话联系"
    MEETING = "面谈", "约谈"
    WRITTEN = "书面", "书面材料"
    OTHER = "其他", "其他"


class ContactRole(models.TextChoices):
    """The "七长" of a unit's responsibility for keeping children in school (domain.md §5)."""

    COUNTY_HEAD = "县长", "县长"
    EDUCATION_HEAD = "教育局长", "教育局长"
    TOWN_HEAD = "乡（镇）长", "乡（镇）长"
    VILLAGE_HEAD = "村长", "村长"
    PRINCIPAL = "校长", "校长"
    PARENT = "家长", "家长"
    TEACHER = "师长", "师长"


class NoticeKind(models.TextChoices):
    RETURN = "return", "劝返回校通知书"
    DEADLINE = "deadline", "限期返校通知书"


class UnitContact(models.Model):
    """One of the "七长" of a unit, named with a phone, shown on every case of the unit."""

    unit = models.ForeignKey("registers.Unit", on_delete=models.CASCADE, related_name="+")
    role = models.CharField("职责", max_length=8, choices=ContactRole.choices)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("电话", max_length=30, blank=True, default="")

    class Meta:
        verbose_name = "七长联系人"
        verbose_name_plural = "七长联系人"
        constraints = [
            models.UniqueConstraint(fields=["unit", "role"], name="unit_contact_one_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.role} {self.name}"


class DropoutCase(models.Model):
    """One child out of school in one school year, followed until resolved (动态销号)."""

    school_year = models.ForeignKey(
        "registers.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    # Scope: the town of the case, the child's village (government line) and school (education
    # line). Kept on the row so that every list is one query filtered by the user's units.
    town = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "registers.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "registers.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registers.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enrollment = models.ForeignKey(
        "registers.Enrollment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The child's name, sex and birth date as known when the case was opened: an enrolment
    # row may carry a child the population register does not know yet.
    child_name = models.CharField("姓名", max_length=50)
    child_sex = models.CharField("性别", max_length=1, blank=True, default="")
    child_birth_date = models.DateField("出生日期", null=True, blank=True)
    grade = models.PositiveSmallIntegerField("年级", null=True, blank=True)
    address = models.CharField("家庭住址", max_length=200, blank=True, default="")

    kind = models.CharField("类别", max_length=4, choices=CaseKind.choices)
    status = models.CharField(
        "状态", max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    step = models.CharField(
        "当前步骤", max_length=16, choices=CaseStep.choices, default=CaseStep.REPORTED
    )
    step_date = models.DateField("当前步骤日期")
    opened_on = models.DateField("立案日期")
    absent_since = models.DateField("缺课起始日期", null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=CaseSource.choices)
    source_note = models.CharField("来源说明", max_length=200, blank=True, default="")
    reason = models.CharField("原因", max_length=8, choices=CaseReason.choices)
    reason_note = models.CharField("原因说明", max_length=500, blank=True, default="")

    # The two responsibility lines: government (village cadre) and education (teacher).
    village_person = models.CharField("村（社区）责任人", max_length=50)
    village_person_phone = models.CharField("村责任人电话", max_length=30, blank=True, default="")
    school_person = models.CharField("学校责任人", max_length=50)
    school_person_phone = models.CharField("学校责任人电话", max_length=30, blank=True, default="")

    resolution = models.CharField(
        "销号原因", max_length=8, choices=Resolution.choices, blank=True, default=""
    )
    resolved_on = models.DateField("销号日期", null=True, blank=True)
    resolution_school = models.CharField("就读学校", max_length=100, blank=True, default="")
    resolution_region = models.CharField(
        "在外就读地区", max_length=4, choices=ElsewhereRegion.choices, blank=True, default=""
    )
    registration_error = models.CharField(
        "登记错误类型", max_length=8, choices=RegistrationError.choices, blank=True, default=""
    )
    resolution_note = models.CharField("销号说明", max_length=500, blank=True, default="")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "控辍保学个案"
        verbose_name_plural = "控辍保学个案"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(enrollment__isnull=False),
                name="dropout_case_names_a_child",
            ),
            # 动态销号: a closed case always carries its resolution and date, an open one none.
            models.CheckConstraint(
                condition=(
                    Q(status=CaseStatus.OPEN, resolution="", resolved_on__isnull=True)
                    | (
                        Q(status=CaseStatus.CLOSED, resolved_on__isnull=False)
                        & ~Q(resolution="")
                        & ~Q(resolution=Resolution.STILL_OUT)
                    )
                ),
                name="dropout_case_closed_iff_resolved",
            ),
            # One open case per child and school year: a second report adds to the first.
            models.UniqueConstraint(
                fields=["school_year", "person"],
                condition=Q(status=CaseStatus.OPEN, person__isnull=False),
                name="dropout_case_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status=CaseStatus.OPEN, enrollment__isnull=False),
                name="dropout_case_one_open_per_enrollment",
            ),
        ]
        indexes = [
            models.Index(fields=["school_year", "town", "status"], name="dropout_case_year_town"),
            models.Index(fields=["village", "status"], name="dropout_case_village"),
            models.Index(fields=["school", "status"], name="dropout_case_school"),
        ]

    def __str__(self) -> str:
        return f"{self.child_name}（{self.kind}）"


class Guardian(models.Model):
    case = models.ForeignKey(DropoutCase, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField("监护人姓名", max_length=50)
    relation = models.CharField("关系", max_length=20)
    phone = models.CharField("电话", max_length=30, blank=True, default="")

    class Meta:
        verbose_name = "监护人"
        verbose_name_plural = "监护人"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.relation}）"


class CaseEntry(models.Model):
    """One line of a case's timeline: an attempt to bring the child back, or a change of state."""

    case = models.ForeignKey(DropoutCase, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("类型", max_length=10, choices=EntryKind.choices)
    step = models.CharField("步骤", max_length=16, choices=CaseStep.choices)
    date = models.DateField("日期")
    actors = models.CharField("参与人", max_length=200, blank=True, default="")
    method = models.CharField(
        "方式", max_length=4, choices=AttemptMethod.choices, blank=True, default=""
    )
    said = models.TextField("谈话内容", blank=True, default="")
    outcome = models.CharField("结果", max_length=500, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "个案记录"
        verbose_name_plural = "个案记录"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.ATTEMPT) | ~Q(actors=""),
                name="case_entry_attempt_names_actors",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.date} {self.get_kind_display()}"


def _attachment_path(instance: CaseAttachment, filename: str) -> str:
    return f"dropout/{instance.case_id}/{filename}"


class CaseAttachment(models.Model):
    """A scanned letter, photo or certificate: of an attempt, or evidence of a resolution."""

    case = models.ForeignKey(DropoutCase, on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(
        CaseEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("附件", upload_to=_attachment_path, max_length=300)
    description = models.CharField("说明", max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description or self.file.name


class Notice(models.Model):
    """A numbered notice to the guardians (劝返回校通知书 or 限期返校通知书)."""

    case = models.ForeignKey(DropoutCase, on_delete=models.PROTECT, related_name="notices")
    town = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField("发文字号", max_length=40)
    issuer = models.CharField("发文机关", max_length=100)
    # The unit that issues and numbers the notice: the school for a 劝返回校通知书, the town
    # government otherwise. Null only for notices of older versions that named no real unit.
    issuer_unit = models.ForeignKey(
        "registers.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发文单位",
    )
    issued_on = models.DateField("发文日期")
    return_by = models.DateField("返校期限")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "通知书"
        verbose_name_plural = "通知书"
        ordering = ["issued_on", "id"]
        constraints = [
            # One series of 发文字号 per issuing unit and year, whatever the kind.
            models.UniqueConstraint(
                fields=["issuer_unit", "year", "sequence"], name="notice_number_unique_per_issuer"
            ),
            models.CheckConstraint(
                condition=Q(return_by__gt=models.F("issued_on")),
                name="notice_return_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ServiceMethod(models.TextChoices):
    """How a notice reached the guardians (送达方式)."""

    IN_PERSON = "直接送达", "直接送达"
    LEFT = "留置送达", "留置送达"
    POST = "邮寄送达", "邮寄送达"
    ENTRUSTED = "委托送达", "委托送达"


class NoticeService(models.Model):
    """Proof that a notice was served (送达回证): when, how, who received it, and the scan of
    the signed receipt. The next step of the law counts from a notice actually served."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="services")
    served_on = models.DateField("送达日期")
    method = models.CharField("送达方式", max_length=8, choices=ServiceMethod.choices)
    received_by = models.CharField("受送达人（签收人）", max_length=50)
    scan = models.ForeignKey(
        CaseAttachment, on_delete=models.PROTECT, related_name="+", verbose_name="送达回证扫描件"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "送达回证"
        verbose_name_plural = "送达回证"
        ordering = ["served_on", "id"]

    def __str__(self) -> str:
        return f"{self.notice} {self.served_on} {self.method}"


class MonthlySubmission(models.Model):
    """A school's 控辍保学 monthly report (一月一报告) marked as submitted for one month, so the
    town office sees which schools have reported (domain.md §5: schools report monthly)."""

    school = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")  # the first day of the month reported
    submitted_on = models.DateField("上报日期")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "月报上报"
        verbose_name_plural = "月报上报"
        ordering = ["month", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "month"], name="monthly_submission_once"),
            models.CheckConstraint(
                condition=Q(submitted_on__gte=models.F("month")),
                name="monthly_submission_not_before_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.month:%Y-%m}"


class AbsenceReport(models.Model):
    """A school's report of a pupil absent without a valid reason (reported the same day)."""

    school = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(
        "registers.Enrollment", on_delete=models.PROTECT, related_name="+"
    )
    absent_since = models.DateField("缺课起始日期")
    reported_on = models.DateField("报告日期")
    valid_reason = models.BooleanField("有正当理由", default=False)
    reason_text = models.CharField("缺课原因", max_length=300, blank=True, default="")
    case = models.ForeignKey(
        DropoutCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "缺课报告"
        verbose_name_plural = "缺课报告"
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_on__gte=models.F("absent_since")),
                name="absence_report_after_absence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.name} 自{self.absent_since}缺课"
