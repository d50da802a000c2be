"""The columns of a unit's score form, as its header names them: written by
``bot.outputs.score_form`` (in the officer's language) and found again by
``bot.domain.score_form_reading`` (under any of these labels, in either language, wherever the
officer moved them)."""

from __future__ import annotations

from bot.domain.strings import fold
from bot.i18n import N_

__all__ = ["FORM_COLUMNS", "column_of"]

FORM_COLUMNS = {
    "code": N_("No."),
    "name": N_("Criterion"),
    "max": N_("Maximum"),
    "rule": N_("How it is scored"),
    "score": N_("Self-score points"),
    "note": N_("Note"),
    "evidence": N_("Evidence"),
}
"""Each column's header msgid, in the order the form writes them (vi: TT, Tiêu chí, Điểm tối
đa, Cách chấm, Điểm tự chấm, Ghi chú, Minh chứng)."""

_LABELS = {
    "code": ("tt", "stt", "số tt", "mã", "mã số", "no", "no.", "code"),
    "score": ("điểm tự chấm", "tự chấm", "điểm đơn vị tự chấm", "self-score", "self-score points"),
    "note": ("ghi chú", "giải trình", "note", "notes"),
    "evidence": ("minh chứng", "tài liệu minh chứng", "tài liệu kiểm chứng", "evidence"),
}


def column_of(label: object) -> str | None:
    """The form column a header cell names ("TT", "Điểm tự chấm", "Self-score" …)."""
    if not isinstance(label, str):
        return None
    text = fold(label).strip(" .:*")
    return next((column for column, labels in _LABELS.items() if text in labels), None)
