"""The documents' data drafted from a year-end — every field the bot knows filled, words that
say what happened — and rendering through the templates: layout (Nơi nhận, vi-VN proofing),
the cluster's own templates, escaping, the sandbox and a broken template."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from bot.domain.ballots import Ballot, Outcome, Title, count
from bot.outputs.document_data import ClusterReport
from bot.outputs.document_drafts import (
    Conference,
    award_proposal,
    cluster_report,
    legal_grounds,
    official_day,
    review_minutes,
)
from bot.outputs.docx_render import BUNDLED_TEMPLATES, DocumentError, render_document
from bot.services.ranking_data import RankingData
from tests.year_end import ranking_data, year_end


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_dates_are_written_as_decree_30_wants() -> None:
    assert official_day(date(2023, 1, 5)) == "ngày 05 tháng 01 năm 2023"
    assert official_day(date(2022, 3, 9)) == "ngày 09 tháng 3 năm 2022"
    assert official_day(date(2022, 12, 20)) == "ngày 20 tháng 12 năm 2022"


def _report(
    ranking: RankingData | None = None,
    ballots: tuple[Outcome, ...] | None = None,
    scored: dict[str, date] | None = None,
) -> ClusterReport:
    """The year-end report of :func:`year_end`, with the ranking, votes or self-score days
    given instead of its own."""
    end = year_end()
    return cluster_report(
        end.year,
        date(2022, 12, 25),
        False,
        end.status,
        end.received,
        ranking or end.ranking,
        end.inspections,
        end.ballots if ballots is None else ballots,
        end.conference,
        scored,
    )


def test_the_report_counts_what_came_and_what_is_late_or_missing() -> None:
    end = year_end()
    report = _report()
    # Điện Biên Phủ sent no file for the annual report, but its self-score is that report
    assert (report.sent, report.owed, report.completion) == (8, 8, "100")
    annual = {
        line.unit: (line.received, line.status)
        for line in report.reports
        if line.report.startswith("Báo cáo kết quả thi đua năm")
    }
    assert annual["Thành phố Điện Biên Phủ"] == ("15/12/2022", "on_time")  # the sheet's day
    assert annual["Huyện Mường Ảng"] == ("31/12/2022", "on_time")  # the file's
    assert report.late_units == ("Thị xã Mường Lay",) and report.missing_units == ()
    unscored = _report(scored={code: date(2022, 12, 15) for code in ("TG", "MA", "DB", "ML")})
    assert (unscored.sent, unscored.owed, unscored.completion) == (7, 8, "87,5")
    assert unscored.missing_units == ("Thành phố Điện Biên Phủ",)
    late = next(line for line in report.reports if line.status == "late")
    assert (late.unit, late.received, late.days_late) == ("Thị xã Mường Lay", "4/7/2022", 4)
    assert report.head.governing_body == "UBND TỈNH ĐIỆN BIÊN"
    assert report.head.issuing_body == "CỤM THI ĐUA VÙNG THẤP"
    assert report.head.place == "Tuần Giáo" and report.head.recipients[-1] == "Lưu: VT."
    assert report.head.signer_name == "Vũ Văn Đức"  # the chair unit's primary officer
    assert [r.proposal for r in report.ranking[:3]] == ["Bằng khen", "Cờ thi đua", "Bằng khen"]
    assert len(report.inspections) == 5
    assert [b.summary for b in report.ballots] == [
        "Trúng cử: Huyện Mường Ảng (4/5 phiếu, đạt 80 %).",
        "Trúng cử: Huyện Điện Biên (5/5 phiếu, đạt 100 %); Huyện Tuần Giáo (3/5 phiếu, đạt 60 %).",
    ]
    assert report.next_steps[0] == "Tiếp tục thực hiện các nhiệm vụ còn lại của Kế hoạch:"
    assert any(s.startswith("- Tổ chức hội nghị bình xét các danh hiệu") for s in report.next_steps)
    assert report.next_steps[-1] == (
        "Xây dựng, ban hành và triển khai Kế hoạch công tác thi đua, khen thưởng năm 2023 của Cụm."
    )
    mid = cluster_report(end.year, date(2022, 7, 10), True, end.status, end.received, None)
    assert (mid.sent, mid.owed, mid.period, mid.ranking) == (4, 4, "6 tháng đầu năm 2022", ())
    assert mid.ballots == () and mid.head.signer_name == ""  # no officer known: a line to sign
    assert "- Kiểm tra chéo việc thực hiện công tác thi đua, khen thưởng" in "\n".join(
        mid.next_steps
    )


def test_a_tie_is_said_in_the_ranking_and_in_the_vote() -> None:
    end = year_end()
    tied = ranking_data(end.year, {"TG": 0, "MA": 0, "DB": 2})
    electorate = frozenset(u.code for u in end.year.cluster.units)
    runoff = count(
        Ballot(Title.MERIT, ("TG", "DB", "ML"), 2, electorate),
        [{"TG", "DB"}] * 2 + [{"TG", "ML"}] * 2 + [{"DB", "ML"}],
        ["TG", "DB", "ML", "MA", "DBP"],
    )
    report = _report(ranking=tied, ballots=(runoff,))
    assert report.ties == (
        "Huyện Mường Ảng, Huyện Tuần Giáo bằng tổng điểm (100 điểm); thứ hạng 1–2 được xác định "
        "theo thứ tự mã đơn vị (điểm các nhóm tiêu chí dùng để xét cũng bằng nhau).",
    )
    assert report.ballots[0].summary == (
        "Trúng cử: Huyện Tuần Giáo (4/5 phiếu, đạt 80 %); Huyện Điện Biên, Thị xã Mường Lay "
        "bằng số phiếu (3 phiếu) ở 1 suất còn lại; bỏ phiếu vòng 2 giữa Huyện Điện Biên, Thị xã "
        "Mường Lay."
    )


def test_minutes_and_proposal_carry_the_meeting_and_the_votes() -> None:
    end = year_end()
    minutes = review_minutes(end.year, date(2022, 12, 20), end.ranking, end.ballots, end.conference)
    assert minutes.held_at == "14 giờ 00, ngày 20 tháng 12 năm 2022"
    assert minutes.closed_at == "16 giờ 30 cùng ngày"
    assert minutes.chaired_by == "Vũ Văn Đức, Huyện Tuần Giáo (đơn vị Trưởng Cụm)"
    assert minutes.chair_name == "Vũ Văn Đức" and minutes.secretary == minutes.venue == ""
    assert [(a.unit, a.representatives, a.voted) for a in minutes.attendance[:2]] == [
        ("Huyện Tuần Giáo", "Vũ Văn Đức, Lò Văn Hùng", True),
        ("Huyện Mường Ảng", "Lò Thị Hằng", True),
    ]
    flag, merit = minutes.ballots
    assert flag.rule == "từ 80 % trở lên tổng số đơn vị trong Cụm"
    assert merit.rule == "trên 50 % tổng số đơn vị trong Cụm"
    assert [(c.unit, c.votes, c.share, c.elected) for c in flag.counts] == [
        ("Huyện Tuần Giáo", 1, "20", False),
        ("Huyện Mường Ảng", 4, "80", True),
    ]
    assert merit.elected == ("Huyện Điện Biên", "Huyện Tuần Giáo")
    assert minutes.conclusions == (
        "Căn cứ kết quả bỏ phiếu, Cụm đề nghị tặng Cờ thi đua của UBND tỉnh cho: Huyện Mường Ảng.",
        "Căn cứ kết quả bỏ phiếu, Cụm đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho: Huyện "
        "Tuần Giáo, Huyện Điện Biên.",
    )
    by_score = ranking_data(end.year, {"TG": 0, "MA": 1, "DB": 2})
    no_vote = review_minutes(end.year, date(2022, 12, 20), by_score)
    assert no_vote.conclusions[0] == (
        "Cờ thi đua của UBND tỉnh: Cụm không bỏ phiếu; theo kết quả chấm điểm, xếp hạng (Huyện "
        "Tuần Giáo xếp thứ 1, 100 điểm), Trưởng Cụm đề nghị tặng cho: Huyện Tuần Giáo."
    )
    assert not any("Thống nhất" in line for line in no_vote.conclusions)
    assert (no_vote.held_at, no_vote.closed_at, no_vote.chaired_by) == ("", "", "")
    assert {a.voted for a in no_vote.attendance} == {None}  # no vote: left to fill in
    one_absent = Conference(
        end.conference.opened_at,
        end.conference.closed_at,
        end.conference.electors,
        end.conference.electors - {"ML"},
    )
    absent = review_minutes(end.year, date(2022, 12, 20), end.ranking, end.ballots, one_absent)
    assert [a.voted for a in absent.attendance] == [True, True, True, False, True]
    assert absent.attendance[3].representatives == ""  # no officer known
    proposal = award_proposal(
        end.year, date(2022, 12, 26), end.ranking, end.ballots, end.conference
    )
    assert proposal.votes == (
        "bỏ phiếu kín bình xét Cờ thi đua của UBND tỉnh ngày 20/12/2022 (5/5 đơn vị bỏ phiếu)",
        "bỏ phiếu kín bình xét Bằng khen của Chủ tịch UBND tỉnh ngày 20/12/2022 (5/5 đơn vị bỏ "
        "phiếu)",
    )
    assert [(f.unit, f.votes) for f in proposal.flags] == [
        ("Huyện Mường Ảng", "vòng 1: 4/5 phiếu, đạt 80 %")
    ]
    assert [c.unit for c in proposal.certificates] == ["Huyện Tuần Giáo", "Huyện Điện Biên"]
    assert proposal.head.signer_name == "Vũ Văn Đức"
    by_score = award_proposal(end.year, date(2022, 12, 26), end.ranking)
    assert by_score.votes == () and by_score.flags[0].votes == ""


def test_the_proposal_cites_the_law_in_force_on_its_day() -> None:
    current = legal_grounds(date(2025, 12, 1))
    assert current == (
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi "
        "tiết và hướng dẫn thi hành Luật Thi đua, khen thưởng;",
        "Căn cứ Thông tư số 15/2025/TT-BNV của Bộ Nội vụ hướng dẫn thi hành Luật Thi đua, khen "
        "thưởng;",
    )
    assert legal_grounds(date(2025, 7, 1)) == current
    assert "98/2023/NĐ-CP" in legal_grounds(date(2025, 6, 30))[1]
    assert "06/2022/QH15" in legal_grounds(date(2024, 1, 1))[0]
    assert "91/2017/NĐ-CP" in legal_grounds(date(2023, 12, 31))[1]  # the 2003 law still ruled
    end = year_end()
    assert award_proposal(end.year, date(2026, 1, 8), end.ranking).legal_grounds == current


def _closing_row(document: Document, signer: str) -> list[str]:
    """The cells of the layout table's row that holds ``signer``, and the rows below it."""
    table = next(t for t in document.tables if any(signer in c.text for c in t.rows[0].cells))
    return [cell.text for row in table.rows for cell in row.cells]


def test_the_bundled_report_template_lays_out_the_data() -> None:
    report = _report()
    data = render_document(report)
    text = docx_text(data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Tuần Giáo, ngày 25 tháng 12 năm 2022" in text
    assert "Thị xã Mường Lay | Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022" in text
    assert "Đã nộp, trễ 4 ngày" in text and "Đã nộp đúng hạn" in text
    assert (
        "Thành phố Điện Biên Phủ | Báo cáo kết quả thi đua năm 2022 kèm bảng tự chấm điểm | "
        "15/12/2022 | Đã nộp đúng hạn" in text
    )
    assert "{{" not in text and "{%" not in text
    assert (
        "Bỏ phiếu Cờ thi đua của UBND tỉnh, vòng 1: 5/5 đơn vị bỏ phiếu. Trúng cử: Huyện "
        "Mường Ảng (4/5 phiếu, đạt 80 %)." in text
    )
    section_iv = text.split("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")[1].split("Trên đây")[0]
    assert "Tiếp tục thực hiện các nhiệm vụ còn lại của Kế hoạch:" in section_iv
    assert "……" not in section_iv
    document = Document(io.BytesIO(data))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.sections[0].page_width.cm == pytest.approx(21, abs=0.01)
    closing = _closing_row(document, "Nơi nhận:")
    assert "TM. CỤM THI ĐUA" in closing[1] and closing[1].endswith("Vũ Văn Đức")  # beside
    unsigned = docx_text(
        render_document(replace(report, head=replace(report.head, signer_name="")))
    )
    assert "TRƯỞNG CỤM\n\n\n\n\n……………………………" in unsigned  # a line to write the name on


def test_every_bundled_template_checks_spelling_as_vietnamese() -> None:
    for path in BUNDLED_TEMPLATES.glob("*.docx"):
        with zipfile.ZipFile(path) as docx:
            styles = docx.read("word/styles.xml").decode()
            settings = docx.read("word/settings.xml").decode()
        assert '<w:lang w:val="vi-VN" w:eastAsia="vi-VN"' in styles, path
        assert "en-US" not in styles and 'w:themeFontLang w:val="vi-VN"' in settings, path


def test_the_minutes_say_what_happened_and_leave_lines_for_what_the_bot_lacks() -> None:
    end = year_end()
    minutes = review_minutes(end.year, date(2022, 12, 20), end.ranking, end.ballots, end.conference)
    data = render_document(minutes)
    text = docx_text(data)
    for expected in (
        "Thời gian: 14 giờ 00, ngày 20 tháng 12 năm 2022.",
        "Địa điểm: ……………………………………………….",
        "Chủ trì: Vũ Văn Đức, Huyện Tuần Giáo (đơn vị Trưởng Cụm).",
        "Thư ký: ……………………………………………….",
        "1 | Huyện Tuần Giáo | Vũ Văn Đức, Lò Văn Hùng | Đã bỏ phiếu",
        "Huyện Mường Ảng | 4 | 80 | Trúng cử",
        "Trúng cử: Huyện Mường Ảng (4/5 phiếu, đạt 80 %).",
        "Cuộc họp kết thúc vào hồi 16 giờ 30 cùng ngày.",
        "Căn cứ kết quả bỏ phiếu, Cụm đề nghị tặng Cờ thi đua của UBND tỉnh cho: Huyện Mường Ảng.",
    ):
        assert expected in text, expected
    assert "Thống nhất" not in text and "| Trúng\n" not in text
    secretary, chair, recipients, _empty = _closing_row(Document(io.BytesIO(data)), "THƯ KÝ")
    assert secretary.startswith("THƯ KÝ") and secretary.endswith("……………………………")
    assert chair.startswith("CHỦ TRÌ") and chair.endswith("Vũ Văn Đức")
    assert recipients.startswith("Nơi nhận:")  # Mẫu 1.5: under the secretary, on the same page


def test_the_proposal_gives_its_legal_grounds_and_what_each_award_rests_on() -> None:
    end = year_end()
    voted = award_proposal(end.year, date(2025, 12, 26), end.ranking, end.ballots[:1])
    text = docx_text(render_document(voted))
    for line in legal_grounds(date(2025, 12, 26)):
        assert line in text
    assert (
        "và kết quả bỏ phiếu kín bình xét Cờ thi đua của UBND tỉnh (5/5 đơn vị bỏ phiếu)," in text
    )
    assert "| Bỏ phiếu vòng 1: 4/5 phiếu, đạt 80 %" in text  # the Flag: by the vote
    assert "| Kết quả chấm điểm, xếp hạng" in text  # the Certificates: by the ranking
    closing = _closing_row(Document(io.BytesIO(render_document(voted))), "Nơi nhận:")
    assert closing[0].startswith("Nơi nhận:") and "TM. CỤM THI ĐUA" in closing[1]


def _template(folder: Path, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    document = Document()
    document.add_paragraph(body)
    document.save(folder / "to-trinh.docx")


def test_a_cluster_year_folder_may_bring_its_own_template(tmp_path: Path) -> None:
    end = year_end()
    proposal = award_proposal(end.year, date(2022, 12, 26), end.ranking)
    _template(tmp_path / "templates", "Mẫu riêng của tỉnh: {{ doc.cluster }} {{ doc.year }}")
    assert "Mẫu riêng của tỉnh: Cụm thi đua vùng thấp 2022" in docx_text(
        render_document(proposal, tmp_path)
    )
    assert "Mẫu riêng" not in docx_text(render_document(proposal, tmp_path / "elsewhere"))
    assert (BUNDLED_TEMPLATES / "to-trinh.docx").is_file()
    odd = replace(proposal, cluster='Cụm <b>"A & B"</b>')
    assert 'Cụm <b>"A & B"</b> 2022' in docx_text(render_document(odd, tmp_path))


@pytest.mark.parametrize(
    "body",
    [
        "{{ doc.cluster ",  # a tag Word split or a typo
        "{{ doc.no_such_field }}",
        "{{ doc.__class__.__mro__ }}",  # the sandbox
    ],
)
def test_a_broken_template_is_named_in_the_error(tmp_path: Path, body: str) -> None:
    end = year_end()
    _template(tmp_path / "templates", body)
    with pytest.raises(DocumentError, match=r"to-trinh\.docx"):
        render_document(award_proposal(end.year, date(2022, 12, 26), end.ranking), tmp_path)
    (tmp_path / "templates" / "to-trinh.docx").write_bytes(b"not a zip")
    with pytest.raises(DocumentError, match="not a usable DOCX template"):
        render_document(award_proposal(end.year, date(2022, 12, 26), end.ranking), tmp_path)


def test_the_bundled_templates_are_what_the_script_writes(tmp_path: Path) -> None:
    """scripts/make_document_templates.py is the source of the committed .docx files."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "make_document_templates.py"
    spec = importlib.util.spec_from_file_location("make_document_templates", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for written in module.write_templates(tmp_path):
        kept = BUNDLED_TEMPLATES / written.name
        with zipfile.ZipFile(written) as fresh, zipfile.ZipFile(kept) as bundled:
            assert fresh.read("word/document.xml") == bundled.read("word/document.xml"), kept
