"""Which person records need which proof on file (domain.md §2 and §7): one table, read by the
completeness list, the person page and the spot-check chain.

The archive covers compulsory education: the proofs of a child's place (studying elsewhere,
exemption, disability, death, move-out, home teaching) are asked for people aged 0–17 on the
reference date (1 September of the school year). A 脱盲证书 is filed by the literacy work with
its certificate and is not asked for here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from liangji.archive.models import ProofKind
from liangji.registers.choices import HukouStatus
from liangji.registers.models import PersonRecord, SchoolYear

OLDEST_AGE = 17


@dataclass(frozen=True)
class ProofRule:
    kind: ProofKind
    needs: Q  # the records that need this proof
    why: str  # what in the register asks for it


PROOF_RULES: tuple[ProofRule, ...] = (
    ProofRule(ProofKind.ELSEWHERE, ~Q(elsewhere_level=""), "登记为在外就读"),
    ProofRule(ProofKind.EXEMPTION, ~Q(exemption=""), "登记为免学或缓学"),
    ProofRule(ProofKind.DISABILITY, ~Q(disability=""), "登记为残疾"),
    ProofRule(ProofKind.DEATH, Q(died_on__isnull=False), "登记为死亡"),
    ProofRule(ProofKind.MOVED_OUT, Q(hukou_status=HukouStatus.MOVED_OUT), "登记为户籍迁出"),
    ProofRule(ProofKind.HOME_TEACHING, Q(home_schooling=True), "登记为送教上门"),
)
RULE_OF_KIND = {rule.kind: rule for rule in PROOF_RULES}


def school_age_q(school_year: SchoolYear) -> Q:
    """Records of people aged 0–17 (completed years) on 1 September of the school year."""
    first = school_year.first_day
    born_after = datetime.date(first.year - OLDEST_AGE - 1, first.month, first.day)
    return Q(person__birth_date__gt=born_after)


def proofs_needed(record: PersonRecord) -> list[ProofRule]:
    """The proofs one record needs (the person page and the chain; lists use the Q rules)."""
    first = record.school_year.first_day
    born = record.person.birth_date
    age = first.year - born.year - ((first.month, first.day) < (born.month, born.day))
    if age > OLDEST_AGE:
        return []
    checks = {
        ProofKind.ELSEWHERE: bool(record.elsewhere_level),
        ProofKind.EXEMPTION: bool(record.exemption),
        ProofKind.DISABILITY: bool(record.disability),
        ProofKind.DEATH: record.died_on is not None,
        ProofKind.MOVED_OUT: record.hukou_status == HukouStatus.MOVED_OUT,
        ProofKind.HOME_TEACHING: record.home_schooling,
    }
    return [rule for rule in PROOF_RULES if checks[rule.kind]]


def claims_proof(record: PersonRecord, kind: str) -> bool:
    """The register says the proof exists ("在外就读证明: 有" in the import)."""
    return kind == ProofKind.ELSEWHERE and record.elsewhere_proof is True
