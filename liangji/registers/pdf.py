"""Every PDF liangji prints, set only in the fonts that come with the installation.

The fonts are Noto Serif SC and Noto Sans SC (SIL Open Font License) from the PyPI package
pylopdf-fonts-zh-cn, pinned in pyproject.toml and found by path (`serif_path()`,
`sans_path()`), so a notice looks the same on every machine and never depends on what the
operating system happens to have. No open 仿宋 (FangSong) face is published on PyPI or npm (the
one open Chinese book face there, LXGW WenKai, is a 楷体), so body text is Noto Serif SC, the
宋体-style face nearest to it; Word files still name 仿宋_GB2312 for the office PCs.

Without a Chinese font WeasyPrint writes a PDF "successfully" whose Chinese is empty boxes or
nothing: a missing font file is FontMissing, with what to do, instead.
"""

from __future__ import annotations

from pathlib import Path

SERIF = "Noto Serif SC"
SANS = "Noto Sans SC"
PACKAGE = "pylopdf-fonts-zh-cn"


class FontMissing(RuntimeError):
    """A bundled font file is not installed; the message says which and how to get it."""


def font_paths() -> dict[str, Path]:
    """The family name of each bundled font and its file; FontMissing when one is absent."""
    try:
        from pylopdf_fonts_zh_cn import sans_path, serif_path
    except ImportError:
        raise FontMissing(
            f"公文字体未安装（Python 包 {PACKAGE}），无法生成 PDF。"
            "请在安装目录运行 make install（或 pip install -e .）后重试。"
        ) from None
    paths = {SERIF: serif_path(), SANS: sans_path()}
    for family, path in paths.items():
        if not path.is_file():
            raise FontMissing(
                f"找不到公文字体 {family}（{path}），无法生成 PDF。"
                f"请重新安装 Python 包 {PACKAGE}（make install）后重试。"
            )
    return paths


def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in font_paths().items()
    )


def pdf_render(html: str) -> bytes:
    """The PDF of `html`, whose styles name only SERIF and SANS as font families."""
    css = font_face_css()  # first: a missing font stops here, before anything is written
    from weasyprint import CSS, HTML  # imported here: loading WeasyPrint costs a second
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return bytes(
        HTML(string=html).write_pdf(
            stylesheets=[CSS(string=css, font_config=fonts)], font_config=fonts
        )
    )
