"""Every view of the web application, for every role: who gets the page and who does not.

The cast (accounts.testing): alice keeps 青山镇's office, lee leads it (read-only), vera is the
cadre of 东村 (where 张小明 lives), wang of 西村 (same town, other village), sam works at 青山小学
(张小明's school), oscar keeps the office of 白水镇 (other town), ian inspects the county, ada
administers the installation. Expected answers:

  ok      the page, or a redirect after a write (2xx/3xx)
  refused 2xx/3xx, but nothing is written (the form says why)
  denied  403: the role may not do this
  hidden  404: the object is outside the user's scope (same answer as "does not exist")
  login   302 to the login page (anonymous)

A view missing from the table fails `test_every_view_is_in_the_table`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse

from liangji.accounts.testing import Cast, cast_create
from liangji.archive.models import (
    ArchiveJob,
    CatalogueEntry,
    Document,
    JobKind,
    JobState,
    SpotCheckItem,
)
from liangji.archive.services import archive_file_upload
from liangji.archive.spotchecks import spot_check_draw
from liangji.audit.models import AuditAction, AuditEntry
from liangji.dropout.models import CaseAttachment, CaseStep, DropoutCase, Notice
from liangji.dropout.services import case_open, case_step_advance
from liangji.imports.models import ImportJob
from liangji.inspection.choices import GroupRole, ItemResult, SafetyGrade, Severity
from liangji.inspection.models import (
    Agreement,
    Evidence,
    OrgMember,
    PlanTask,
    Rectification,
    SafetyHazard,
    SchoolBuilding,
    SelfCheck,
    StandardItem,
    SupervisionVisit,
)
from liangji.inspection.services.agreements import agreement_sign
from liangji.inspection.services.conditions import building_save, hazard_record
from liangji.inspection.services.plan import (
    org_member_save,
    plan_create_from_template,
    plan_task_create,
)
from liangji.inspection.services.rectification import (
    finding_record,
    rectification_submit,
    visit_record,
)
from liangji.inspection.services.self_checks import (
    evidence_attach,
    self_check_create,
    self_check_result_set,
)
from liangji.literacy.testing import LiteracyWorld, literacy_world_create
from liangji.registers.models import SubmissionState, YearSubmission
from liangji.registers.tests.register import Register, register_create

ROLES = ["alice", "lee", "vera", "wang", "sam", "oscar", "ian", "ada", "anonymous"]


@dataclass
class Archive:
    """东村's 目标责任书 (uploaded by vera), a spot check of 东村 drawn by alice, and an export
    of 东村 alice ran."""

    entry: CatalogueEntry
    document: Document
    spot_item: SpotCheckItem
    job: ArchiveJob


@dataclass
class World:
    cast: Cast
    register: Register
    job: ImportJob
    literacy: LiteracyWorld
    archive: Archive
    dropout: DropoutWorld | None = None  # made by the dropout cases only (see _dropout)
    inspection: InspectionWorld | None = None  # made by the inspection cases only


@dataclass
class DropoutWorld:
    case: DropoutCase  # 张小明 (东村, 青山小学), at the return notice, with a scanned visit record
    notice: Notice
    attachment: CaseAttachment


def _dropout(w: World) -> DropoutWorld:
    if w.dropout is None:
        r = w.register
        case = case_open(
            school_year=r.year, source="manual", person=r.xiaoming, enrollment=r.xiaoming_roll,
            opened_on=datetime.date(2024, 10, 8), village_person="李村长", school_person="王老师",
            user=w.cast.alice,
        )  # fmt: skip
        steps = [CaseStep.HOME_VISIT, CaseStep.PERSUASION, CaseStep.WRITTEN_REPORT,
                 CaseStep.RETURN_NOTICE]  # fmt: skip
        for day, step in enumerate(steps, start=9):
            scan = [SimpleUploadedFile("家访记录.pdf", b"%PDF-1.4 visit")] if day == 9 else []
            case_step_advance(
                case=case, to_step=step, date=datetime.date(2024, 10, day), actors="王老师",
                files=scan, user=w.cast.alice,
            )  # fmt: skip
        w.dropout = DropoutWorld(
            case=case, notice=Notice.objects.get(case=case), attachment=case.attachments.get()
        )
    return w.dropout


@dataclass
class InspectionWorld:
    """青山镇's work plan with a task 东村 owns, a leader in its 领导小组, 东村's self-check with
    L02 judged and a photo as evidence, a supervision visit to 东村 whose finding opened a
    rectification (submitted for review), 东村's 目标责任书, and a building and a hazard of
    青山小学 (sam's school)."""

    task: PlanTask
    member: OrgMember
    check: SelfCheck
    item: StandardItem
    evidence: Evidence
    visit: SupervisionVisit
    rectification: Rectification
    agreement: Agreement
    building: SchoolBuilding
    hazard: SafetyHazard


def _inspection(w: World) -> InspectionWorld:
    if w.inspection is None:
        c, year, day = w.cast, w.register.year, datetime.date(2025, 4, 20)
        plan = plan_create_from_template(town=c.town, school_year=year, year_of_plan=2025)
        task = plan_task_create(
            phase=plan.phases.order_by("order")[0], title="东村入户核查",
            owner_unit=c.east, owner_person="张东村", starts_on=datetime.date(2025, 3, 1),
            deadline=datetime.date(2025, 4, 30), user=c.alice,
        )  # fmt: skip
        member = org_member_save(
            town=c.town, name="王镇长", post="镇长", group_role=GroupRole.LEADER, unit=c.town,
            user=c.alice,
        )  # fmt: skip
        check = self_check_create(unit=c.east, school_year=year, checked_on=day, user=c.vera)
        item = StandardItem.objects.get(code="L02")
        result = self_check_result_set(
            self_check=check, item=item, result=ItemResult.MET, comment="", user=c.vera
        )
        evidence = evidence_attach(
            file=_scan("文化技术学校.pdf"), title="办学登记", self_check_result=result, user=c.vera
        )
        visit = visit_record(
            town=c.town, school_year=year, visited_on=day, team="李两基", units=[c.east],
            checked="控辍保学", user=c.alice,
        )  # fmt: skip
        finding = finding_record(
            unit=c.east, description="劝返记录不全", severity=Severity.MINOR, found_on=day,
            school_year=year, visit=visit, user=c.alice,
        )  # fmt: skip
        rectification = rectification_submit(
            rectification=finding.rectification, measure="补齐劝返记录", evidence_note="台账复印件",
            user=c.vera,
        )  # fmt: skip
        agreement = agreement_sign(
            unit=c.east, school_year=year, signed_on=datetime.date(2025, 3, 1),
            town_signatory="王镇长", unit_signatory="张东村", indicator_codes=[], tasks="",
            user=c.alice,
        )  # fmt: skip
        building = building_save(
            school=c.primary, name="教学楼", area=Decimal("1200.0"), safety_grade=SafetyGrade.B,
            in_use=True, user=c.sam,
        )  # fmt: skip
        hazard = hazard_record(school=c.primary, description="围墙开裂", found_on=day, user=c.sam)
        w.inspection = InspectionWorld(
            task, member, check, item, evidence, visit, rectification, agreement, building,
            hazard,
        )  # fmt: skip
    return w.inspection


def archive_create(cast: Cast, register: Register) -> Archive:
    entry = CatalogueEntry.objects.get(code="A2-3")
    document = archive_file_upload(
        user=cast.vera, entry=entry, unit=cast.east, school_year=register.year,
        title="目标责任书", filename="责任书.pdf", content=b"%PDF-1.4 agreement",
    )  # fmt: skip
    check = spot_check_draw(user=cast.alice, unit=cast.east, school_year=register.year, size=1)
    job = ArchiveJob.objects.create(
        kind=JobKind.EXPORT, unit=cast.east, year_from=2024, year_to=2024, user=cast.alice,
        state=JobState.DONE, result_path="archive-exports/test.zip",
    )  # fmt: skip
    exports = Path(settings.DATA_DIR) / "archive-exports"
    exports.mkdir(parents=True, exist_ok=True)
    (exports / "test.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return Archive(entry, document, check.items.get(), job)


def world_create() -> World:
    cast = cast_create()
    register = register_create(cast)
    job = ImportJob.objects.create(file_path="/nonexistent.xlsx", school_year=2024, user=cast.alice)
    YearSubmission.objects.create(
        school_year=register.year, unit=cast.east, state=SubmissionState.SUBMITTED
    )
    literacy = literacy_world_create(village=cast.east, year=register.year, user=cast.alice)
    return World(
        cast=cast, register=register, job=job, literacy=literacy,
        archive=archive_create(cast, register),
    )  # fmt: skip


@dataclass
class Case:
    name: str  # URL name
    method: str
    expect: dict[str, str]  # role → answer; roles not listed: "denied" (anonymous: "login")
    args: Callable[[World], list[Any]] = lambda w: []
    query: str = ""
    data: Callable[[World], dict[str, Any]] = lambda w: {}


READERS = {r: "ok" for r in ["alice", "lee", "vera", "wang", "sam", "oscar", "ian"]}
POPULATION = {r: "ok" for r in ["alice", "lee", "vera", "wang", "oscar", "ian"]}
ROLLS = {r: "ok" for r in ["alice", "lee", "sam", "oscar", "ian"]}
OFFICES = {"alice": "ok", "oscar": "ok"}
ADMIN = {"ada": "ok"}
ALL_LOGGED_IN = {r: "ok" for r in ROLES[:-1]}
# 张小明: 东村's person, 青山小学's pupil.
PERSON_READ = {"alice": "ok", "lee": "ok", "vera": "ok", "wang": "hidden", "sam": "ok",
               "oscar": "hidden", "ian": "ok"}  # fmt: skip
RECORD_EDIT = {"alice": "ok", "vera": "ok", "wang": "hidden", "sam": "hidden", "oscar": "hidden"}
ROLL_EDIT = {"alice": "ok", "vera": "hidden", "wang": "hidden", "sam": "ok", "oscar": "hidden"}
NEW_CASE = {"alice": "ok", "vera": "hidden", "wang": "ok", "sam": "hidden", "oscar": "hidden"}
DROPOUT_KEEPERS = {r: "ok" for r in ["alice", "vera", "wang", "sam", "oscar"]}
# A write on 张小明's case: the keepers who see it are refused an empty form, the others do not
# find it.
CASE_WRITE = {"alice": "refused", "vera": "refused", "wang": "hidden", "sam": "refused",
              "oscar": "hidden"}  # fmt: skip
JOB = {"alice": "ok", "oscar": "hidden"}
# 东村's archive: its town, its leaders, its cadre and the county read it; 西村, the school and
# the other town do not see it; keepers of 东村 write it.
EAST_READ = {"alice": "ok", "lee": "ok", "vera": "ok", "wang": "hidden", "sam": "hidden",
             "oscar": "hidden", "ian": "ok"}  # fmt: skip
EAST_WRITE = {"alice": "ok", "vera": "ok", "wang": "hidden", "sam": "hidden", "oscar": "hidden"}
SPOT_CHECKERS = {"alice": "ok", "oscar": "hidden", "ian": "ok"}
# 迎检准备 (inspection): the town offices act for their own town.
INSPECTION_OFFICES = {"alice": "ok", "oscar": "ok"}
# A write on 青山镇's plan, organisation or agreements: its office; oscar does not find it;
# keepers of a unit are refused by role.
TOWN_PLAN = {"alice": "ok", "oscar": "hidden"}
# A new row of 青山小学 (building, hazard, teacher): its school and its town office.
SCHOOL_WRITE = {"alice": "ok", "vera": "refused", "wang": "refused", "sam": "ok",
                "oscar": "refused"}  # fmt: skip
SCHOOL_ROW = {"alice": "ok", "vera": "hidden", "wang": "hidden", "sam": "ok", "oscar": "hidden"}
REVIEWERS = {"alice": "ok", "oscar": "hidden", "ian": "ok"}


def _scan(name: str = "扫描件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 scan", content_type="application/pdf")


def _person(w: World) -> list[Any]:
    return [w.register.xiaoming.pk]


def _record(w: World) -> list[Any]:
    return [w.register.xiaoming_record.pk]


LITERACY = {r: "ok" for r in ["alice", "lee", "vera", "wang", "oscar", "ian"]}
LITERACY_CLASS_READ = {"alice": "ok", "lee": "ok", "vera": "ok", "wang": "hidden",
                       "oscar": "hidden", "ian": "ok"}  # fmt: skip
LITERACY_CLASS_EDIT = {"alice": "ok", "vera": "ok", "wang": "hidden", "oscar": "hidden"}


def _klass(w: World) -> list[Any]:
    return [w.literacy.klass.pk]


def _report_job(w: World) -> Any:
    """A queued report job of 青山镇 (its file is not there yet)."""
    from liangji.reports.models import ReportJob

    return ReportJob.objects.get_or_create(
        report="doc-self-check", fmt="pdf", school_year=2024, town=w.cast.town, unit=w.cast.town
    )[0]


WORKLINE = "?code=junior_net_enrollment&key=p{}"

CASES = [
    Case("web:dashboard", "get", {**READERS, "ada": "ok"}),
    Case("accounts:login", "get", {**ALL_LOGGED_IN, "anonymous": "ok"}),
    Case("accounts:logout", "post", {**ALL_LOGGED_IN, "anonymous": "ok"}),
    # A GET shows the page with the button (a bookmark must not end in a browser error).
    Case("accounts:logout", "get", {**ALL_LOGGED_IN, "anonymous": "ok"}),
    Case("accounts:password_change", "get", ALL_LOGGED_IN),
    Case("accounts:password_change", "post", {r: "refused" for r in ROLES[:-1]},
         data=lambda w: {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}),
    Case("web:school_year_select", "post", {**ALL_LOGGED_IN, "anonymous": "ok"},
         data=lambda w: {"year": "2024"}),
    Case("registers:person_list", "get", POPULATION),
    Case("registers:household_list", "get", POPULATION),
    Case("registers:enrollment_list", "get", ROLLS),
    # The same lists exported to Excel (the filters applied, audited).
    Case("registers:person_list", "get", POPULATION, query="?format=xlsx"),
    Case("registers:household_list", "get", POPULATION, query="?format=xlsx"),
    Case("registers:enrollment_list", "get", ROLLS, query="?format=xlsx"),
    Case("registers:person_detail", "get", PERSON_READ, args=_person),
    Case("registers:person_reveal_id", "post",
         {"alice": "ok", "vera": "ok", "wang": "hidden", "sam": "ok", "oscar": "hidden"},
         args=_person),
    Case("registers:person_record_edit", "get", RECORD_EDIT, args=_record),
    Case("registers:person_record_edit", "post", RECORD_EDIT, args=_record,
         data=lambda w: {"population_type": "户籍", "hukou_status": "在册", "address": "新址",
                         "elsewhere_proof": "unknown", "version": "1"}),
    Case("registers:person_record_event", "get", RECORD_EDIT,
         args=lambda w: [*_record(w), "death"]),
    Case("registers:person_record_event", "post", RECORD_EDIT,
         args=lambda w: [*_record(w), "move-out"],
         data=lambda w: {"moved_out_on": "2024-10-01", "version": "1"}),
    Case("registers:enrollment_event", "get", ROLL_EDIT,
         args=lambda w: [w.register.xiaoming_roll.pk]),
    Case("registers:enrollment_event", "post", ROLL_EDIT,
         args=lambda w: [w.register.xiaoming_roll.pk],
         data=lambda w: {"kind": "休学", "date": "2024-12-01"}),
    Case("indicators:worklist", "get", READERS, query="?code=junior_net_enrollment"),
    Case("indicators:worklist_assign", "post", {"alice": "ok", "oscar": "refused"},
         data=lambda w: {"code": "junior_net_enrollment",
                         "keys": [f"p{w.register.xiaohong.pk}"],
                         "assign_to": str(w.cast.west.pk)}),
    Case("indicators:worklist_resolve", "get",
         {"alice": "ok", "vera": "refused", "wang": "ok", "sam": "refused", "oscar": "refused"},
         query=WORKLINE),
    Case("indicators:worklist_resolve", "post",
         {"alice": "ok", "vera": "refused", "wang": "ok", "sam": "refused", "oscar": "refused"},
         query=WORKLINE, data=lambda w: {"code": "junior_net_enrollment", "resolution": "超龄",
                                         "key": f"p{w.register.xiaohong.pk}", "version": "0"}),
    Case("indicators:worklist_export", "get", {**READERS, "sam": "refused"},
         query="?code=junior_net_enrollment"),
    Case("imports:import_list", "get", OFFICES),
    Case("imports:import_list", "post", {"alice": "refused", "oscar": "refused"},
         data=lambda w: {"school_year": "2024"}),
    Case("imports:import_template", "get", OFFICES),
    Case("imports:import_detail", "get", JOB, args=lambda w: [w.job.pk]),
    Case("imports:import_progress", "get", JOB, args=lambda w: [w.job.pk]),
    Case("imports:import_confirm", "post", {"alice": "refused", "oscar": "hidden"},
         args=lambda w: [w.job.pk]),
    Case("imports:import_error_report", "get", {"alice": "refused", "oscar": "hidden"},
         args=lambda w: [w.job.pk]),
    Case("registers:year_list", "get", READERS),
    Case("registers:year_submit", "post", {"vera": "refused", "wang": "ok", "sam": "ok"}),
    Case("registers:year_review", "post", {"alice": "ok", "oscar": "hidden"},
         args=lambda w: [w.cast.east.pk], data=lambda w: {"decision": "approve"}),
    Case("registers:year_lock", "post", OFFICES),
    Case("registers:year_unlock", "post", {"alice": "refused", "oscar": "refused"},
         data=lambda w: {"reason": "测试"}),
    Case("accounts:user_list", "get", ADMIN),
    Case("accounts:user_create", "get", ADMIN),
    Case("accounts:user_create", "post", ADMIN,
         data=lambda w: {"username": "new1", "full_name": "新人", "role": "village",
                         "unit": str(w.cast.west.pk), "password": "xin-ren-2024-mima"}),
    Case("accounts:user_edit", "get", ADMIN, args=lambda w: [w.cast.sam.pk]),
    Case("accounts:user_edit", "post", ADMIN, args=lambda w: [w.cast.sam.pk],
         data=lambda w: {"full_name": "孙校长", "role": "school", "unit": str(w.cast.primary.pk),
                         "is_active": "on"}),
    Case("accounts:user_password_reset", "post", ADMIN, args=lambda w: [w.cast.sam.pk],
         data=lambda w: {"password": "another-pass-2024"}),
    Case("accounts:user_unlock", "post", ADMIN, args=lambda w: [w.cast.sam.pk]),
    Case("accounts:audit_log", "get", ADMIN),
    # Reports
    # Archive
    Case("archive:home", "get", READERS),
    Case("archive:home", "get", EAST_READ, query="?unit={east}"),
    Case("archive:upload", "post", EAST_WRITE,
         data=lambda w: {"unit": w.cast.east.pk, "entry": w.archive.entry.pk, "file": _scan()}),
    Case("archive:document_detail", "get", EAST_READ, args=lambda w: [w.archive.document.pk]),
    Case("archive:replace", "post", EAST_WRITE, args=lambda w: [w.archive.document.pk],
         data=lambda w: {"file": _scan("第二版.pdf")}),
    Case("archive:regenerate", "post", {**EAST_WRITE, "alice": "refused", "vera": "refused"},
         args=lambda w: [w.archive.document.pk]),
    Case("archive:version_download", "get", EAST_READ,
         args=lambda w: [w.archive.document.current_id]),
    Case("archive:proof_upload", "post", EAST_WRITE, args=_record,
         data=lambda w: {"kind": "在外就读证明", "file": _scan()}),
    Case("archive:catalogue", "get", OFFICES),
    Case("archive:catalogue", "post", OFFICES,
         data=lambda w: {"action": "down", "entry": w.archive.entry.pk}),
    Case("archive:search", "get", READERS, query="?q=责任书"),
    Case("archive:generate", "post", EAST_WRITE, data=lambda w: {"unit": w.cast.east.pk}),
    Case("archive:export", "get", {"alice": "ok", "oscar": "ok", "ian": "ok"}),
    Case("archive:export", "post", {"alice": "ok", "oscar": "refused", "ian": "ok"},
         data=lambda w: {"unit": w.cast.east.pk, "year_from": 2024, "year_to": 2024}),
    Case("archive:job_detail", "get", EAST_READ, args=lambda w: [w.archive.job.pk]),
    Case("archive:job_download", "get", SPOT_CHECKERS, args=lambda w: [w.archive.job.pk]),
    Case("archive:spot_checks", "get", READERS),
    Case("archive:spot_checks", "post", {**SPOT_CHECKERS, "oscar": "refused"},
         data=lambda w: {"unit": w.cast.east.pk, "size": 1}),
    Case("archive:spot_check_detail", "get", EAST_READ,
         args=lambda w: [w.archive.spot_item.spot_check_id]),
    Case("archive:spot_check_item", "get", EAST_READ, args=lambda w: [w.archive.spot_item.pk]),
    Case("archive:spot_check_item", "post",
         {"alice": "ok", "lee": "denied", "vera": "denied", "wang": "hidden", "sam": "hidden",
          "oscar": "hidden", "ian": "ok"},
         args=lambda w: [w.archive.spot_item.pk], data=lambda w: {"verdict": "相符"}),
    Case("reports:home", "get", READERS),
    Case("reports:indicators", "get", READERS),
    Case("reports:indicator_people", "get", READERS, query="?code=primary_enrollment"),
    Case("reports:indicator_people", "post",
         {**{r: "refused" for r in READERS}, "alice": "ok", "vera": "ok", "wang": "ok",
          "sam": "ok", "oscar": "ok"},
         data=lambda w: {"code": "primary_enrollment", "reveal": "1"}),
    Case("reports:crosscheck", "get", READERS),
    # 扫盲: the class, its results and certificates are 东村's (vera's village).
    *(Case(f"literacy:{name}", "get", LITERACY)
      for name in ("home", "ledger", "shortfall", "class_list", "certificate_list",
                   "retest_list", "training_list")),
    Case("literacy:class_new", "get", {"alice": "ok", "vera": "ok", "wang": "ok", "oscar": "ok"}),
    Case("literacy:class_new", "post",
         {"alice": "ok", "vera": "ok", "wang": "refused", "oscar": "refused"},
         data=lambda w: {"village": str(w.cast.east.pk), "name": "新班", "venue_kind": "教学点",
                         "planned_hours": "60", "opened_on": "2024-10-09"}),
    Case("literacy:class_detail", "get", LITERACY_CLASS_READ, args=_klass),
    Case("literacy:test_sheets", "get", LITERACY_CLASS_READ, args=_klass),
    Case("literacy:judgement_new", "post", LITERACY_CLASS_EDIT,
         args=lambda w: [w.literacy.lost.pk],
         data=lambda w: {"judged_on": "2024-03-01", "judged_by": "县残联",
                         "grounds": "智力残疾一级"}),
    Case("literacy:class_members", "post", LITERACY_CLASS_EDIT, args=_klass,
         data=lambda w: {"persons": [], "joined_on": "2024-10-09"}),
    Case("literacy:session_new", "post", LITERACY_CLASS_EDIT, args=_klass,
         data=lambda w: {"date": "2024-10-10", "hours": "2", "content": "拼音"}),
    Case("literacy:test_new", "post", LITERACY_CLASS_EDIT, args=_klass,
         data=lambda w: {"date": "2025-06-03"}),
    Case("literacy:class_close", "post", LITERACY_CLASS_EDIT, args=_klass,
         data=lambda w: {"closed_on": "2025-06-30"}),
    Case("literacy:teacher_add", "post", LITERACY_CLASS_EDIT, args=_klass,
         data=lambda w: {"name": "钱老师"}),
    Case("literacy:certificate_download", "get", LITERACY_CLASS_READ,
         args=lambda w: [w.literacy.certificate.pk, "docx"]),
    Case("literacy:certificate_issue", "post", {"alice": "ok", "oscar": "hidden"},
         args=lambda w: [w.literacy.passed.pk], data=lambda w: {"issued_on": "2025-06-05"}),
    Case("literacy:retest_new", "post", LITERACY_CLASS_EDIT,
         args=lambda w: [w.literacy.certificate.pk],
         data=lambda w: {"date": "2026-06-03", "characters_known": "1600", "reading": "on",
                         "accounts": "on", "writing": "on"}),
    Case("literacy:training_list", "post",
         {"alice": "ok", "vera": "ok", "wang": "refused", "oscar": "refused"},
         data=lambda w: {"village": str(w.cast.east.pk), "topic": "果树修剪",
                         "date": "2024-11-03", "hours": "3", "participants": "20"}),
    Case("reports:reconciliation", "get", READERS),
    Case("reports:report_download", "get", READERS, args=lambda w: ["enrollment"],
         query="?format=xlsx"),
    Case("reports:documents", "get", OFFICES),
    Case("reports:narrative_edit", "get", OFFICES, args=lambda w: ["self_check"]),
    Case("reports:narrative_edit", "post", OFFICES, args=lambda w: ["self_check"],
         data=lambda w: {"intro": "自查前言"}),
    # A format no document has: refused before any background process starts.
    Case("reports:document_generate", "post", {"alice": "refused", "oscar": "refused"},
         data=lambda w: {"report": "doc-self-check", "format": "xls"}),
    Case("reports:job_detail", "get",
         {**{r: "hidden" for r in READERS}, "alice": "ok", "lee": "ok", "ian": "ok"},
         args=lambda w: [_report_job(w).pk]),
    Case("reports:job_download", "get", {r: "hidden" for r in READERS},
         args=lambda w: [_report_job(w).pk]),
    # 控辍保学: the case of 张小明 is 东村's and 青山小学's; only keepers write, in their scope.
    Case("dropout:home", "get", READERS),
    Case("dropout:escalate", "post", {**OFFICES, "vera": "hidden", "wang": "hidden",
                                      "sam": "hidden"}),
    # A case is opened for a child of the user's scope: 李小红 of 西村, on no roll.
    Case("dropout:case_new", "get", NEW_CASE, query="?person={}"),
    Case("dropout:case_new", "post", {**NEW_CASE, "alice": "refused", "wang": "refused"},
         query="?person={}"),
    Case("dropout:absence_new", "get", DROPOUT_KEEPERS),
    Case("dropout:absence_new", "post", {r: "refused" for r in DROPOUT_KEEPERS}),
    Case("dropout:ledger", "get", READERS, args=lambda w: ["age"]),
    Case("dropout:monthly", "get", READERS),
    # A school's monthly report: an empty form is refused, nothing written.
    Case("dropout:monthly_submit", "post", {r: "refused" for r in DROPOUT_KEEPERS}),
    Case("dropout:review", "get", READERS),
    Case("dropout:contacts", "get", READERS),
    Case("dropout:contacts", "post",
         {"alice": "ok", "lee": "hidden", "vera": "ok", "wang": "hidden", "sam": "hidden",
          "oscar": "hidden", "ian": "hidden"},
         data=lambda w: {"unit": str(w.cast.east.pk), "role": "村长", "name": "李村长",
                         "phone": "13900000000"}),
    Case("dropout:case_detail", "get", PERSON_READ, args=lambda w: [_dropout(w).case.pk]),
    Case("dropout:case_attempt", "post", CASE_WRITE, args=lambda w: [_dropout(w).case.pk]),
    Case("dropout:case_advance", "post", CASE_WRITE, args=lambda w: [_dropout(w).case.pk]),
    Case("dropout:case_close", "post", CASE_WRITE, args=lambda w: [_dropout(w).case.pk]),
    Case("dropout:case_reopen", "post", CASE_WRITE, args=lambda w: [_dropout(w).case.pk]),
    Case("dropout:notice_download", "get", PERSON_READ,
         args=lambda w: [_dropout(w).notice.pk, "docx"]),
    Case("dropout:notice_service", "post", CASE_WRITE, args=lambda w: [_dropout(w).notice.pk]),
    Case("dropout:attachment_download", "get", PERSON_READ,
         args=lambda w: [_dropout(w).attachment.pk]),
    # 迎检准备: everyone of a town (and the county) reads; keepers write their own unit's rows;
    # the town office plans, organises, supervises, signs and assesses; the town office and the
    # county inspector verify a rectification (accounts.scope "inspection.review").
    *(Case(f"inspection:{name}", "get", READERS)
      for name in ("home", "plan", "organisation", "standard", "conditions", "self_check_list",
                   "visit_list", "rectification_list", "applications", "agreements",
                   "readiness")),
    Case("inspection:plan", "post", INSPECTION_OFFICES, data=lambda w: {"year_of_plan": 2025}),
    Case("inspection:task_edit", "get", EAST_WRITE, args=lambda w: [_inspection(w).task.pk]),
    Case("inspection:task_edit", "post", EAST_WRITE, args=lambda w: [_inspection(w).task.pk],
         data=lambda w: {"title": "东村入户核查", "owner_unit": str(w.cast.east.pk),
                         "owner_person": "张东村", "starts_on": "2025-03-01",
                         "deadline": "2025-04-30", "status": "进行中", "percent": "50"}),
    Case("inspection:task_add", "post", TOWN_PLAN,
         args=lambda w: [_inspection(w).task.phase_id],
         data=lambda w: {"title": "西村入户核查", "owner_unit": str(w.cast.west.pk),
                         "starts_on": "2025-03-01", "deadline": "2025-04-30"}),
    Case("inspection:phase_edit", "get", TOWN_PLAN, args=lambda w: [_inspection(w).task.phase_id]),
    Case("inspection:phase_edit", "post", TOWN_PLAN,
         args=lambda w: [_inspection(w).task.phase_id],
         data=lambda w: {"name": "宣传发动", "starts_on": "2025-03-01", "ends_on": "2025-04-30"}),
    # oscar's form offers 白水镇's units only: a member of 青山镇 is refused.
    Case("inspection:organisation", "post", {**INSPECTION_OFFICES, "oscar": "refused"},
         data=lambda w: {"name": "赵副镇长", "post": "副镇长", "group_role": "副组长",
                         "unit": str(w.cast.town.pk), "order": "1"}),
    Case("inspection:org_member_delete", "post", TOWN_PLAN,
         args=lambda w: [_inspection(w).member.pk]),
    # The standard is the installation's one (domain §6): every town office keeps it.
    Case("inspection:standard_item_edit", "get", INSPECTION_OFFICES,
         args=lambda w: [_inspection(w).item.pk]),
    Case("inspection:standard_item_edit", "post", INSPECTION_OFFICES,
         args=lambda w: [_inspection(w).item.pk],
         data=lambda w: {"name": "村（居）民文化技术学校", "requirement": "有固定场所",
                         "judged_by": "自查", "active": "on", "applies_to_town": "on",
                         "applies_to_village": "on"}),
    Case("inspection:standard_item_add", "get", INSPECTION_OFFICES),
    Case("inspection:standard_item_add", "post", INSPECTION_OFFICES,
         data=lambda w: {"aspect": str(StandardItem.objects.get(code="L02").aspect_id),
                         "code": "L09",
                         "name": "扫盲教师", "requirement": "配备扫盲教师", "judged_by": "自查",
                         "active": "on", "applies_to_village": "on"}),
    # 青山小学's conditions: the town office and sam keep them; a village or another town has no
    # such school to choose (refused), and does not find its rows (hidden).
    Case("inspection:building_add", "post", SCHOOL_WRITE,
         data=lambda w: {"b-unit": str(w.cast.primary.pk), "b-name": "综合楼",
                         "b-area": "800.0", "b-safety_grade": "A", "b-in_use": "on"}),
    Case("inspection:building_update", "post", SCHOOL_ROW,
         args=lambda w: [_inspection(w).building.pk],
         data=lambda w: {"safety_grade": "A", "in_use": "on"}),
    Case("inspection:hazard_add", "post", SCHOOL_WRITE,
         data=lambda w: {"h-unit": str(w.cast.primary.pk), "h-description": "电线老化",
                         "h-found_on": "2025-04-21"}),
    Case("inspection:hazard_close", "post", SCHOOL_ROW, args=lambda w: [_inspection(w).hazard.pk],
         data=lambda w: {"closed_on": "2025-04-25"}),
    Case("inspection:funding_add", "post", {**SCHOOL_WRITE, "sam": "refused"},
         data=lambda w: {"f-unit": str(w.cast.town.pk), "f-year": "2024",
                         "f-appropriation": "1000", "f-recurrent_revenue": "20000",
                         "f-per_pupil_spending": "800", "f-teacher_avg_salary": "60000"}),
    Case("inspection:teacher_add", "post", SCHOOL_WRITE,
         data=lambda w: {"t-unit": str(w.cast.primary.pk), "t-name": "钱老师",
                         "t-qualification": "本科", "t-qualified": "on"}),
    # A self-check of 东村: its keepers open one; read-only roles and other units are refused.
    Case("inspection:self_check_list", "post",
         {**{r: "refused" for r in READERS}, "alice": "ok", "vera": "ok"},
         data=lambda w: {"unit": str(w.cast.east.pk), "checked_on": "2025-04-21"}),
    Case("inspection:self_check_detail", "get", EAST_READ,
         args=lambda w: [_inspection(w).check.pk]),
    Case("inspection:self_check_result", "post", EAST_WRITE,
         args=lambda w: [_inspection(w).check.pk, _inspection(w).item.pk],
         data=lambda w: {"result": "达标", "comment": "每周两次教学"}),
    Case("inspection:self_check_evidence", "post", EAST_WRITE,
         args=lambda w: [_inspection(w).check.pk, _inspection(w).item.pk],
         data=lambda w: {"title": "教学记录", "file": _scan()}),
    Case("inspection:self_check_submit", "post", EAST_WRITE,
         args=lambda w: [_inspection(w).check.pk], data=lambda w: {"summary": "逐项自查"}),
    Case("inspection:self_check_report", "get", EAST_READ,
         args=lambda w: [_inspection(w).check.pk]),
    Case("inspection:evidence_download", "get", EAST_READ,
         args=lambda w: [_inspection(w).evidence.pk]),
    # The visit to 东村: its town, the county and 东村 itself read it; the town office writes.
    Case("inspection:visit_list", "post", {**INSPECTION_OFFICES, "oscar": "refused"},
         data=lambda w: {"visited_on": "2025-04-22", "team": "李两基", "checked": "校舍",
                         "units": [str(w.cast.primary.pk)]}),
    Case("inspection:visit_detail", "get", EAST_READ, args=lambda w: [_inspection(w).visit.pk]),
    Case("inspection:visit_detail", "post", {**TOWN_PLAN, "wang": "hidden", "sam": "hidden"},
         args=lambda w: [_inspection(w).visit.pk],
         data=lambda w: {"unit": str(w.cast.east.pk), "description": "台账不全",
                         "severity": "一般"}),
    Case("inspection:visit_bulletin", "get", EAST_READ, args=lambda w: [_inspection(w).visit.pk]),
    Case("inspection:rectification_detail", "get", EAST_READ,
         args=lambda w: [_inspection(w).rectification.pk]),
    Case("inspection:rectification_submit", "post", EAST_WRITE,
         args=lambda w: [_inspection(w).rectification.pk],
         data=lambda w: {"measure": "补齐劝返记录", "evidence_note": "台账复印件"}),
    Case("inspection:rectification_evidence", "post", EAST_WRITE,
         args=lambda w: [_inspection(w).rectification.pk],
         data=lambda w: {"title": "劝返台账", "file": _scan()}),
    Case("inspection:rectification_verify", "post", REVIEWERS,
         args=lambda w: [_inspection(w).rectification.pk], data=lambda w: {"comment": "已核实"}),
    Case("inspection:rectification_reject", "post", REVIEWERS,
         args=lambda w: [_inspection(w).rectification.pk],
         data=lambda w: {"comment": "记录仍不全"}),
    # A unit's application for the town inspection: keepers of 东村 apply (the rules may refuse).
    Case("inspection:applications", "post",
         {**{r: "refused" for r in READERS}, "alice": "ok", "vera": "ok"},
         data=lambda w: {"apply": "1", "a-unit": str(w.cast.east.pk), "a-level": "镇级检查",
                         "a-applied_on": "2025-04-25", "a-report": ""}),
    Case("inspection:agreements", "post", {**INSPECTION_OFFICES, "oscar": "refused"},
         data=lambda w: {"sign": "1", "s-unit": str(w.cast.west.pk),
                         "s-signed_on": "2025-03-01", "s-town_signatory": "王镇长",
                         "s-unit_signatory": "赵西村", "s-tasks": ""}),
    Case("inspection:agreement_assess", "post", TOWN_PLAN,
         args=lambda w: [_inspection(w).agreement.pk],
         data=lambda w: {"assessed_on": "2025-12-20"}),
]  # fmt: skip


def _expected(case: Case, role: str) -> str:
    return case.expect.get(role, "login" if role == "anonymous" else "denied")


def _writes() -> int:
    return AuditEntry.objects.exclude(action=AuditAction.LOGIN).count()


def _request(client: Client, case: Case, world: World, method: str | None = None) -> Any:
    url = reverse(case.name, args=case.args(world))
    if case.query:
        url += case.query.replace("{east}", str(world.cast.east.pk)).format(
            world.register.xiaohong.pk
        )
    return getattr(client, method or case.method)(url, case.data(world))


@pytest.fixture(autouse=True)
def _no_background_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Archive jobs start a detached process (the system's edge): not from this table."""

    class Started:
        pid = 0

    monkeypatch.setattr("liangji.archive.jobs.archive_job_start", lambda job: Started())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}-{c.name}")
def test_the_answer_of_every_view_for_every_role(db: None, case: Case, role: str) -> None:
    world = world_create()
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world.cast, role))
    case.args(world)  # what the case needs (a dropout case …) exists before writes are counted
    writes_before = _writes()
    response = _request(client, case, world)
    expected = _expected(case, role)
    status = response.status_code
    if expected == "ok":
        assert status in (200, 302), status
    elif expected == "refused":
        assert status in (200, 302), status
        assert _writes() == writes_before, "a refused request wrote something"
    else:
        answer = {"denied": 403, "hidden": 404, "login": 302}[expected]
        assert status == answer, status
        if expected == "login":
            assert response["Location"].startswith("/login/")
        assert _writes() == writes_before, "a rejected request wrote something"


ALLOWED = {"get": {"get"}, "post": {"post"}}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}-{c.name}")
def test_a_wrong_http_method_is_refused(db: None, case: Case) -> None:
    world = world_create()
    client = Client()
    client.force_login(world.cast.alice)
    methods = {c.method for c in CASES if c.name == case.name}
    wrong = "put" if {"get", "post"} <= methods else ("post" if methods == {"get"} else "get")
    if case.name == "accounts:login":
        # The login page takes GET, POST (and PUT, as Django form views do) and sends a signed-in
        # user home before looking at the method: ask anonymously, with a method it refuses.
        client, wrong = Client(), "delete"
    assert _request(client, case, world, method=wrong).status_code == 405


def test_every_view_is_in_the_table() -> None:
    names = set()
    for namespace, (_, sub) in get_resolver().namespace_dict.items():
        names |= {f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)}
    assert names == {case.name for case in CASES}
