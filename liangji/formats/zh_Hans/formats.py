"""Input formats of zh-Hans with ISO first.

Django's zh-Hans locale puts "%Y/%m/%d" first, and a DateInput renders its value with the first
input format: `<input type="date">` accepts only YYYY-MM-DD, so every date field opened empty
and saving a form unchanged erased its dates. The other formats stay accepted when typed.
Display formats (DATE_FORMAT …) are Django's own, unchanged.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2016-10-25: what <input type="date"> sends and accepts
    "%Y/%m/%d",  # 2016/10/25
    "%Y年%m月%d日",  # 2016年10月25日
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # what <input type="datetime-local"> sends and accepts
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M:%S.%f",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日",
]
