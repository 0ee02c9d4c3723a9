from __future__ import annotations

from typing import Any

from django import forms


class NarrativeForm(forms.Form):
    """One text area per narrative section of a document."""

    def __init__(self, *args: Any, sections: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, heading, help_text in sections:
            self.fields[key] = forms.CharField(
                label=heading, help_text=help_text, required=False, max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )  # fmt: skip
