from __future__ import annotations

from bot.channels.render import numbered_labels, options_as_text, split_text
from bot.domain.messages import Option, Reply
from bot.i18n import translator


def test_split_text_cuts_on_line_boundaries() -> None:
    text = "\n".join(f"dòng {i:03d}" for i in range(100))  # 8 characters a line
    parts = split_text(text, 50)
    assert all(len(part) <= 50 for part in parts)
    assert "\n".join(parts) == text
    assert all(part.startswith("dòng") for part in parts)


def test_split_text_hard_cuts_a_line_longer_than_the_limit() -> None:
    parts = split_text("a" * 120 + "\nb", 50)
    assert parts == ["a" * 50, "a" * 50, "a" * 20 + "\nb"]


def test_short_text_is_one_part() -> None:
    assert split_text("Xin chào", 2000) == ["Xin chào"]


def test_options_become_a_numbered_list_in_vietnamese() -> None:
    reply = Reply("Chọn:", (Option("Có", "a"), Option("Không", "b"), Option("Để sau", "c")))
    assert (
        options_as_text(reply, translator("vi"))
        == "Chọn:\n\n1. Có\n2. Không\n3. Để sau\nTrả lời 1, 2 hoặc 3."
    )
    assert numbered_labels(reply) == ["1. Có", "2. Không", "3. Để sau"]


def test_a_single_option_is_not_numbered_on_buttons() -> None:
    reply = Reply("Thông báo", (Option("Đã nhận", "ack"),))
    assert numbered_labels(reply) == ["Đã nhận"]
    assert options_as_text(reply, translator("vi")).endswith("Trả lời 1 hoặc “Đã nhận”.")


def test_options_beside_a_number_question_are_not_numbered() -> None:
    reply = Reply("Nhập điểm:", (Option("Bỏ qua", "s"), Option("Xem lại", "r")), numbered=False)
    assert numbered_labels(reply) == ["Bỏ qua", "Xem lại"]
    assert (
        options_as_text(reply, translator("vi")) == "Nhập điểm:\n\nHoặc nhập: “Bỏ qua” / “Xem lại”"
    )
