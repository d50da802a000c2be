"""Degrading a Reply to what a channel can carry: numbered options, text split on lines."""

from __future__ import annotations

from bot.domain.messages import Reply
from bot.i18n import Translator

__all__ = ["numbered_labels", "options_as_text", "parse_command", "split_text"]


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` characters, cut at line ends where possible, else at a space."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            cut = line.rfind(" ", 1, limit + 1)  # at a space, never in the middle of a word
            cut = cut if cut > 0 else limit
            parts.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


def numbered_labels(reply: Reply) -> list[str]:
    """Option labels with their numbers ("1. Tiếp tục"), so typing the number works anywhere."""
    if len(reply.options) == 1 or not reply.numbered:
        return [option.label for option in reply.options]
    return [f"{i}. {option.label}" for i, option in enumerate(reply.options, start=1)]


def options_as_text(reply: Reply, _: Translator) -> str:
    """The reply's text followed by its options as a numbered list, for channels with no buttons."""
    if not reply.options:
        return reply.text
    count = len(reply.options)
    if not reply.numbered:
        labels = " / ".join(f"“{option.label}”" for option in reply.options)
        return "\n".join([reply.text, "", _("Or type: {labels}").format(labels=labels)])
    lines = [f"{i}. {option.label}" for i, option in enumerate(reply.options, start=1)]
    if count == 1:
        hint = _("Reply 1 or “{label}”.").format(label=reply.options[0].label)
    else:
        numbers = ", ".join(str(i) for i in range(1, count))
        hint = _("Reply {numbers} or {last}.").format(numbers=numbers, last=count)
    return "\n".join([reply.text, "", *lines, hint])


def parse_command(text: str, bot_username: str | None) -> tuple[str | None, tuple[str, ...]]:
    """``/batdau@cum_bot ABC`` → ("batdau", ("ABC",)); plain text → (None, ())."""
    if not text.startswith("/"):
        return None, ()
    head, *args = text.split()
    name, _, addressee = head[1:].partition("@")
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return None, ()
    return name.lower(), tuple(args)
