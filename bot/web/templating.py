"""The pages' templates (``bot/web/templates``): Jinja2 with autoescaping, translated through
the project's gettext catalogs by Jinja2's i18n extension (one environment per language)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.domain.formatting import short_date
from bot.i18n import LANGUAGES, translator

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["STATIC_DIR", "render"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


@cache
def _environment(language: str) -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # on the first page

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    _ = translator(language)
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_, ngettext=lambda one, many, n: _(one if n == 1 else many), newstyle=False
    )
    environment.globals.update(lang=language, short_date=short_date)
    environment.filters["day"] = short_date
    return environment


def render(template: str, language: str, **values: Any) -> str:
    """A page in the language (Vietnamese for an unknown one); every value is escaped."""
    known = language if language in LANGUAGES else "vi"
    return _environment(known).get_template(template).render(**values)
