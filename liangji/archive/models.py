"""两基档案: the catalogue, the documents filed under it and their versions (domain.md §7).

The catalogue is a tree (class → item → file). Documents hang under a file entry for one unit
and, for entries kept per school year, one school year. Evidence on a person (在外就读证明,
残疾证 …) is a document too, tied to the person's record of the year, so that search, export
and completeness treat every file alike. A document never loses a version: a replacement adds
a new `DocumentVersion` and moves `Document.current` to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class EntryLevel(models.TextChoices):
    CLASS = "class", "类"
    ITEM = "item", "项"
    FILE = "file", "文件"


class UnitLevel(models.TextChoices):
    """Which kind of unit keeps an entry (the kinds of `registers.choices.UnitKind`, grouped)."""

    TOWN = "town", "镇（乡、街道）"
    VILLAGE = "village", "村（社区）"
    SCHOOL = "school", "学校"


class EntrySource(models.TextChoices):
    UPLOADED = "uploaded", "上传"
    GENERATED = "generated", "系统生成"


class ProofKind(models.TextChoices):
    """Evidence on a person's record of a school year (domain.md §2, §7)."""

    ELSEWHERE = "在外就读证明", "在外就读证明"
    DISABILITY = "残疾证", "残疾证"
    EXEMPTION = "免缓学批准书", "免缓学批准书"
    DEATH = "死亡证明", "死亡证明"
    MOVED_OUT = "迁出证明", "迁出证明"
    HOME_TEACHING = "送教上门记录", "送教上门记录"
    LITERACY = "脱盲证书", "脱盲证书"


class CatalogueEntry(models.Model):
    """One node of the archive catalogue. Retiring an entry hides it from new filing and from
    completeness; the documents under it stay (entries are never deleted)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField("层级", max_length=5, choices=EntryLevel.choices)
    code = models.CharField("编号", max_length=20)
    title = models.CharField("名称", max_length=200)
    position = models.PositiveIntegerField("顺序", default=0)
    # The unit levels (UnitLevel values) that keep this entry, e.g. ["town"] or ["school"].
    unit_levels = models.JSONField("适用单位", default=list)
    required = models.BooleanField("必备", default=False)
    per_year = models.BooleanField("逐学年", default=True)
    source = models.CharField(
        "来源", max_length=10, choices=EntrySource.choices, default=EntrySource.UPLOADED
    )
    proof_kind = models.CharField(
        "人员证明类别", max_length=8, choices=ProofKind.choices, blank=True, default=""
    )
    description = models.CharField("说明", max_length=500, blank=True, default="")
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "档案目录条目"
        verbose_name_plural = "档案目录条目"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="archive_entry_code_unique"),
            models.CheckConstraint(
                condition=Q(level=EntryLevel.CLASS, parent__isnull=True)
                | (~Q(level=EntryLevel.CLASS) & Q(parent__isnull=False)),
                name="archive_entry_only_classes_are_roots",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


def _version_path(instance: DocumentVersion, filename: str) -> str:
    # The name is already made safe by `archive.uploads.filename_safe`; the document id keeps
    # two units' files of the same name apart.
    return f"archive/{instance.document_id}/v{instance.number}-{filename}"


class Document(models.Model):
    """A file of the archive: one catalogue entry, one unit, one school year (or none for
    entries not kept per year), with its versions."""

    entry = models.ForeignKey(CatalogueEntry, on_delete=models.PROTECT, related_name="documents")
    unit = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(
        "registers.SchoolYear", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=200)
    source = models.CharField("来源", max_length=10, choices=EntrySource.choices)
    # A generated document's identity within its entry, unit and year (a notice number, a
    # self-check id): filing it again adds a version instead of a second document.
    key = models.CharField("生成标识", max_length=100, blank=True, default="")
    generator = models.CharField("生成器", max_length=60, blank=True, default="")
    # Evidence on a person: the record of the school year the proof is for, and its kind.
    record = models.ForeignKey(
        "registers.PersonRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proof_kind = models.CharField(
        "证明类别", max_length=8, choices=ProofKind.choices, blank=True, default=""
    )
    current = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Title, entry, unit, year and the extracted text of the current version, for search
    # (indexed by FTS5 trigram on SQLite, pg_trgm on PostgreSQL: migration 0002).
    search_text = models.TextField(blank=True, default="")
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "档案文件"
        verbose_name_plural = "档案文件"
        ordering = ["entry__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(record__isnull=True) & Q(proof_kind=""))
                | (Q(record__isnull=False) & ~Q(proof_kind="")),
                name="archive_document_proof_has_record_and_kind",
            ),
            models.UniqueConstraint(
                fields=["entry", "unit", "school_year", "key"],
                condition=~Q(key=""),
                name="archive_document_generated_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "school_year"], name="archive_document_unit_year"),
            models.Index(fields=["record", "proof_kind"], name="archive_document_proof"),
        ]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One file as filed: who, when, its SHA-256 and, for a generated one, the figures it shows."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    file = models.FileField("文件", upload_to=_version_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField("提取文字", blank=True, default="")
    # The figures a generated document shows, as filed: {indicator: {unit: value}} or
    # {indicator: value}; the consistency check compares them with a fresh computation.
    figures = models.JSONField("数据快照", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True, default="")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField("归档时间", auto_now_add=True)

    class Meta:
        verbose_name = "档案文件版本"
        verbose_name_plural = "档案文件版本"
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="archive_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} 第{self.number}版"


class Verdict(models.TextChoices):
    MATCHES = "相符", "相符"
    DIFFERS = "不符", "不符"


class SpotCheck(models.Model):
    """抽查: a random sample of the people of a unit and year. The seed is stored so that the
    same draw can be reproduced and shown to be random."""

    unit = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(
        "registers.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    size = models.PositiveIntegerField("抽查人数")
    seed = models.BigIntegerField("随机种子")
    population = models.PositiveIntegerField("总体人数")
    note = models.CharField("说明", max_length=300, blank=True, default="")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "档案抽查"
        verbose_name_plural = "档案抽查"
        ordering = ["-drawn_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="spot_check_size_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year} 抽查{self.size}人"


class SpotCheckItem(models.Model):
    """One sampled person, with the inspector's verdict on the evidence chain."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey("registers.Person", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("序号")
    verdict = models.CharField(
        "结论", max_length=2, choices=Verdict.choices, blank=True, default=""
    )
    note = models.CharField("说明", max_length=500, blank=True, default="")
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    judged_at = models.DateTimeField("判定时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽查对象"
        verbose_name_plural = "抽查对象"
        ordering = ["spot_check", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["spot_check", "person"], name="spot_check_item_person_once"
            ),
            models.CheckConstraint(
                condition=~Q(verdict=Verdict.DIFFERS) | ~Q(note=""),
                name="spot_check_item_mismatch_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spot_check} #{self.position}"


class JobKind(models.TextChoices):
    GENERATE = "generate", "生成档案"
    EXPORT = "export", "导出档案"


class JobState(models.TextChoices):
    QUEUED = "排队", "排队"
    RUNNING = "进行中", "进行中"
    DONE = "完成", "完成"
    FAILED = "失败", "失败"


class ArchiveJob(models.Model):
    """A generation or an export run in a background process, with its progress."""

    kind = models.CharField("类型", max_length=10, choices=JobKind.choices)
    unit = models.ForeignKey("registers.Unit", on_delete=models.PROTECT, related_name="+")
    year_from = models.PositiveSmallIntegerField("起始学年")
    year_to = models.PositiveSmallIntegerField("截止学年")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=4, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    message = models.CharField("说明", max_length=1000, blank=True, default="")
    # The ZIP of an export, relative to the data directory.
    result_path = models.CharField("结果文件", max_length=500, blank=True, default="")
    result_size = models.PositiveBigIntegerField("结果大小", null=True, blank=True)
    worker_pid = models.PositiveIntegerField("后台进程", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "档案任务"
        verbose_name_plural = "档案任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_from__lte=models.F("year_to")), name="archive_job_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.year_from}–{self.year_to}"
