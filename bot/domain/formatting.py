"""Dates, times and numbers the way Vietnamese readers expect them (15/7/2022, 8,5)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

__all__ = ["file_size", "local_date", "local_datetime", "number", "short_date"]


def short_date(day: date) -> str:
    """``15/7/2022``: no leading zeros, as Vietnamese documents write dates."""
    return f"{day.day}/{day.month}/{day.year}"


def local_datetime(moment: datetime, timezone: str) -> str:
    """``08:05 15/7/2022`` in the cluster's time zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%H:%M} {short_date(local.date())}"


def local_date(moment: datetime, timezone: str) -> str:
    """``15/7/2022``: the day of that moment in the cluster's time zone."""
    return short_date(moment.astimezone(ZoneInfo(timezone)).date())


def number(value: float, language: str = "vi") -> str:
    """``8,5`` in Vietnamese, ``8.5`` in English; at most two decimals."""
    return format_decimal(round(value, 2), format="#,##0.##", locale=language)


def file_size(size: int, language: str = "vi") -> str:
    """``12,3 KB``, ``4,5 MB``: one decimal, the language's separator."""
    if size < 1024:
        return f"{size} B"
    value, unit = size / 1024, "KB"
    if value >= 1024:
        value, unit = value / 1024, "MB"
    return f"{format_decimal(round(value, 1), format='#,##0.#', locale=language)} {unit}"
