"""The audit log's object types in Chinese: rows name a model ("Notice") or an export."""

from __future__ import annotations

from functools import lru_cache

from django.apps import apps

# Entities that are not models: exports and jobs.
_OTHER = {
    "Worklist": "工作清单",
    "ShortfallList": "未达标名单",
    "Workbook": "导入工作簿",
    "Backup": "备份",
    "Report": "报表",
    "RegisterList": "名册",
    "Ledger": "台账",
    "ReviewList": "未销号个案清单",
    "MonthlyReport": "控辍保学月报",
    "YearTownSettings": "学年设置",
    "TownSetting": "镇设置",
}


@lru_cache(maxsize=256)
def entity_label(entity: str) -> str:
    """The model's verbose name, the export's Chinese name, or the entity as written (Chinese
    entities, like 比对结果, are written in Chinese already)."""
    if entity in _OTHER:
        return _OTHER[entity]
    for model in apps.get_models():
        if model.__name__ == entity:
            return str(model._meta.verbose_name)
    return entity
