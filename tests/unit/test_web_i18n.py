"""Every string of the web pages' templates has a Vietnamese translation, and the templates
escape what they are given."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir

from bot.web.templating import TEMPLATES_DIR, render
from tests.unit.test_i18n import _catalog


def _template_msgids() -> set[str]:
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            TEMPLATES_DIR,
            method_map=[("**.html", "jinja2")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={"_": None},
        )
        if isinstance(message, str)
    }


def test_every_template_string_has_a_vietnamese_translation() -> None:
    found = _template_msgids()
    assert "Sign out" in found and "My calendar" in found
    vietnamese = _catalog("vi")
    assert sorted(m for m in found if not vietnamese.get(m)) == []


def test_pages_are_vietnamese_first_english_by_choice_and_escaped() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    vi = render("message.html", "vi", title=hostile, text="&")
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in vi and "<img" not in vi
    assert 'lang="vi"' in vi and "&amp;" in vi
    signin = render("signin.html", "en", name=hostile)
    assert "pages as &lt;img" in signin and 'lang="en"' in signin
    assert "Đăng nhập trang web của Cụm" in render("signin.html", "xx", name="A")
