"""The settings of a town (domain.md: where sources disagree, the choice is a setting).

Each key is declared once with its type, default and meaning; `TownSettings` is the typed,
read-only view that the indicator engine, the reports and the CLI use.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

# The eleven indicators and their default targets (the town plan's, domain.md §3). `≥` targets
# are met at or above, `≤` targets at or below.
DEFAULT_TARGETS: dict[str, Decimal] = {
    "primary_enrollment": Decimal("100"),
    "junior_gross_enrollment": Decimal("100"),
    "junior_net_enrollment": Decimal("98"),
    "migrant_enrollment": Decimal("100"),
    "disabled_enrollment": Decimal("90"),
    "primary_dropout": Decimal("0.2"),
    "junior_dropout": Decimal("1.2"),
    "primary_completion_15": Decimal("98.5"),
    "junior_completion_17": Decimal("94"),
    "illiteracy_15": Decimal("0.51"),
    "literacy_15_50": Decimal("99.05"),
}


class SettingError(ValueError):
    """A setting key or value the town cannot use; the message says what to write instead."""


def _parse_month_day(raw: str) -> str:
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", raw.strip())
    if not match:
        raise SettingError("应为 月-日，例如 09-01")
    month, day = int(match[1]), int(match[2])
    try:
        datetime.date(2001, month, day)  # 2001: not a leap year, so 02-29 is refused
    except ValueError as exc:
        raise SettingError("不是有效的日期，例如 09-01") from exc
    return f"{month:02d}-{day:02d}"


def _parse_age_range(raw: str) -> str:
    match = re.fullmatch(r"(\d{1,2})\s*-\s*(\d{1,2})", raw.strip())
    if not match or int(match[1]) > int(match[2]):
        raise SettingError("应为 起始年龄-截止年龄，例如 7-12")
    return f"{int(match[1])}-{int(match[2])}"


def _parse_bool(raw: str) -> str:
    lowered = raw.strip().lower()
    if lowered in {"true", "1", "yes", "是"}:
        return "true"
    if lowered in {"false", "0", "no", "否"}:
        return "false"
    raise SettingError("应为 true 或 false")


def _parse_decimals(raw: str) -> str:
    if not raw.strip().isdigit() or not 0 <= int(raw) <= 4:
        raise SettingError("应为 0 到 4 的整数")
    return str(int(raw))


def _parse_rounding(raw: str) -> str:
    if raw.strip() not in {"half_up", "truncate"}:
        raise SettingError("应为 half_up（四舍五入）或 truncate（截断）")
    return raw.strip()


def _parse_percent(raw: str) -> str:
    try:
        value = Decimal(raw.strip().rstrip("%"))
    except InvalidOperation as exc:
        raise SettingError("应为百分数，例如 98.5") from exc
    if not Decimal(0) <= value <= Decimal(100):
        raise SettingError("应在 0 到 100 之间")
    return str(value)


def _parse_days(raw: str) -> str:
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 365:
        raise SettingError("应为 1 到 365 的天数")
    return str(int(raw))


def _parse_characters(raw: str) -> str:
    if not raw.strip().isdigit() or not 100 <= int(raw) <= 5000:
        raise SettingError("应为 100 到 5000 的字数，例如 1500")
    return str(int(raw))


def _parse_months(raw: str) -> str:
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 60:
        raise SettingError("应为 1 到 60 的月数，例如 12")
    return str(int(raw))


def _parse_area_kind(raw: str) -> str:
    # How the town itself is judged by the literacy unit standard; "" = by its kind (domain §4).
    text = raw.strip()
    if text not in {"", "rural", "urban"}:
        raise SettingError("应为 rural（农村）、urban（城镇）或留空（按镇的类型：街道为城镇）")
    return text


def _parse_document_abbr(raw: str) -> str:
    # The 机关代字 of a 发文字号 (汉镇政〔2024〕12号): a few characters, or empty for the default.
    text = raw.strip()
    if len(text) > 8 or any(ch in text for ch in "〔〕[]（）（）号"):
        raise SettingError("应为不超过 8 个字的机关代字，例如 汉镇政；留空则用镇名首字")
    return text


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str
    label: str
    parse: Callable[[str], str]


_SPECS: list[SettingSpec] = [
    SettingSpec("reference_date", "09-01", "统计时点（月-日）", _parse_month_day),
    SettingSpec("primary_ages", "7-12", "小学适龄年龄", _parse_age_range),
    SettingSpec("junior_ages", "13-15", "初中适龄年龄", _parse_age_range),
    SettingSpec("disabled_ages", "7-15", "残疾儿童适龄年龄", _parse_age_range),
    SettingSpec("migrant_ages", "7-15", "流动人口子女适龄年龄", _parse_age_range),
    SettingSpec("exclude_disabled_from_enrollment", "true", "入学率分母剔除三类残疾", _parse_bool),
    SettingSpec("exclude_exempted_from_enrollment", "true", "入学率分母剔除免缓学", _parse_bool),
    SettingSpec("count_home_schooling_as_enrolled", "true", "送教上门计为入学", _parse_bool),
    SettingSpec("count_suspension_as_dropout", "false", "休学计为辍学", _parse_bool),
    SettingSpec("rate_decimals", "2", "比率小数位数", _parse_decimals),
    SettingSpec("rate_rounding", "half_up", "比率取舍方式", _parse_rounding),
    # 控辍保学 (domain.md §5): thresholds of absence and the deadline of each step, in days.
    SettingSpec("dropout.suspected_after_days", "7", "缺课多少天视为疑似辍学", _parse_days),
    SettingSpec("dropout.dropout_after_days", "30", "疑似辍学多少天未返校视为辍学", _parse_days),
    SettingSpec("dropout.home_visit_days", "3", "报告后家访期限（天）", _parse_days),
    SettingSpec("dropout.persuasion_days", "7", "家访后联合劝返期限（天）", _parse_days),
    SettingSpec("dropout.report_within_days", "7", "劝返后书面报告期限（天）", _parse_days),
    SettingSpec("dropout.notice_issue_days", "3", "书面报告后发劝返通知书期限（天）", _parse_days),
    SettingSpec("dropout.notice_return_days", "15", "劝返回校通知书返校期限（天）", _parse_days),
    SettingSpec("dropout.deadline_notice_days", "15", "限期返校通知书返校期限（天）", _parse_days),
    # The town government's 机关代字 (its notices); a school numbers its 劝返 notices with its
    # own 代字, taken from its name (dropout/services.py): the 代字 belongs to the issuer.
    SettingSpec("dropout.town_doc_abbr", "", "镇人民政府发文机关代字", _parse_document_abbr),
    # 扫盲 (domain.md §4): the individual standard per village kind, the unit standard, the
    # re-test period, and how the town itself is judged.
    SettingSpec("literacy.rural_characters", "1500", "农村居民脱盲识字数（村）", _parse_characters),
    SettingSpec(
        "literacy.urban_characters", "2000", "城镇居民脱盲识字数（社区）", _parse_characters
    ),
    SettingSpec("literacy.rural_target", "95", "农村单位非文盲率标准（%）", _parse_percent),
    SettingSpec("literacy.urban_target", "98", "城镇单位非文盲率标准（%）", _parse_percent),
    SettingSpec("literacy.relapse_target", "5", "复盲率须低于（%）", _parse_percent),
    SettingSpec("literacy.retest_after_months", "12", "脱盲后复查间隔（月）", _parse_months),
    SettingSpec("literacy.town_area", "", "本镇按农村/城镇评估（留空按类型）", _parse_area_kind),
    SettingSpec("literacy.certificate_abbr", "", "脱盲证书编号代字", _parse_document_abbr),
    *(
        SettingSpec(f"target.{code}", str(target), f"目标值 {code}", _parse_percent)
        for code, target in DEFAULT_TARGETS.items()
    ),
]
SPECS: dict[str, SettingSpec] = {spec.key: spec for spec in _SPECS}


def setting_parse(key: str, raw: str) -> str:
    """Validate one KEY=VALUE and return the value as stored; SettingError says what is wrong."""
    spec = SPECS.get(key)
    if spec is None:
        raise SettingError(f"未知的设置项 {key}；可用的设置项：{', '.join(SPECS)}")
    try:
        return spec.parse(raw)
    except SettingError as exc:
        raise SettingError(f"{key}={raw}：{exc}") from exc


def _age_range(raw: str) -> tuple[int, int]:
    low, high = raw.split("-")
    return int(low), int(high)


@dataclass(frozen=True)
class TownSettings:
    """A town's settings with every default filled in, typed for the code that uses them."""

    values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_stored(cls, stored: Mapping[str, str]) -> TownSettings:
        merged = {spec.key: spec.default for spec in _SPECS}
        merged.update({key: value for key, value in stored.items() if key in SPECS})
        return cls(values=merged)

    def _bool(self, key: str) -> bool:
        return self.values[key] == "true"

    def reference_date(self, school_year: int) -> datetime.date:
        month, day = (int(part) for part in self.values["reference_date"].split("-"))
        return datetime.date(school_year, month, day)

    @property
    def primary_ages(self) -> tuple[int, int]:
        return _age_range(self.values["primary_ages"])

    @property
    def junior_ages(self) -> tuple[int, int]:
        return _age_range(self.values["junior_ages"])

    @property
    def disabled_ages(self) -> tuple[int, int]:
        return _age_range(self.values["disabled_ages"])

    @property
    def migrant_ages(self) -> tuple[int, int]:
        return _age_range(self.values["migrant_ages"])

    @property
    def exclude_disabled_from_enrollment(self) -> bool:
        return self._bool("exclude_disabled_from_enrollment")

    @property
    def exclude_exempted_from_enrollment(self) -> bool:
        return self._bool("exclude_exempted_from_enrollment")

    @property
    def count_home_schooling_as_enrolled(self) -> bool:
        return self._bool("count_home_schooling_as_enrolled")

    @property
    def count_suspension_as_dropout(self) -> bool:
        return self._bool("count_suspension_as_dropout")

    @property
    def rate_decimals(self) -> int:
        return int(self.values["rate_decimals"])

    @property
    def rate_rounding(self) -> str:
        return self.values["rate_rounding"]

    def literacy_characters(self, *, urban: bool) -> int:
        """Characters a learner must know to pass: 2,000 in a 社区, 1,500 in a 村 (domain §4)."""
        return int(
            self.values["literacy.urban_characters" if urban else "literacy.rural_characters"]
        )

    def literacy_unit_target(self, *, urban: bool) -> Decimal:
        return Decimal(self.values["literacy.urban_target" if urban else "literacy.rural_target"])

    @property
    def literacy_relapse_target(self) -> Decimal:
        return Decimal(self.values["literacy.relapse_target"])

    @property
    def literacy_retest_after_months(self) -> int:
        return int(self.values["literacy.retest_after_months"])

    @property
    def literacy_town_area(self) -> str:
        return self.values["literacy.town_area"]

    @property
    def literacy_certificate_abbr(self) -> str:
        return self.values["literacy.certificate_abbr"]

    def target(self, indicator_code: str) -> Decimal:
        return Decimal(self.values[f"target.{indicator_code}"])

    def as_dict(self) -> dict[str, Any]:
        return dict(self.values)
