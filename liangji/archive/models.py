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

    TOWN = "town", "镇(乡、街道)"
    VILLAGE = "village", "村(社区)"
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
