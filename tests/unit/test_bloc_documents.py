"""A bloc's documents and workbook call it a bloc: "TM. KHỐI THI ĐUA", "TRƯỞNG KHỐI" (or the
province's own word), "Phó Trưởng Khối"; and the province is named with its kind once, however
its name was written ("Tỉnh Lào Cai" gives "UBND TỈNH LÀO CAI")."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.ballots import ElectionRule, Title
from bot.i18n import translator
from bot.outputs.document_data import ClusterReport
from bot.outputs.document_drafts import (
    award_proposal,
    ballot_title,
    cluster_report,
    letterhead,
    review_minutes,
    rule_in_words,
)
from bot.outputs.docx_render import render_document
from bot.outputs.ranking_files import ranking_workbook
from bot.outputs.ranking_text import ranking_text
from tests.clusters import bloc
from tests.unit.test_document_drafts import docx_text
from tests.year_end import YearEnd, year_end

DAY = date(2022, 12, 25)


def _bloc_end(**titles: str) -> YearEnd:
    end = year_end()
    return replace(end, year=bloc(end.year, **titles))


def _report(end: YearEnd) -> ClusterReport:
    return cluster_report(
        end.year,
        DAY,
        False,
        end.status,
        end.received,
        end.ranking,
        end.inspections,
        end.ballots,
        end.conference,
    )


def test_a_blocs_documents_name_the_bloc_and_its_chair_and_deputy() -> None:
    end = _bloc_end()
    report = _report(end)
    minutes = review_minutes(end.year, DAY, end.ranking, end.ballots, end.conference)
    proposal = award_proposal(end.year, DAY, end.ranking, end.ballots, end.conference)
    head = report.head
    assert (head.signer_capacity, head.signer_title) == ("TM. KHỐI THI ĐUA", "TRƯỞNG KHỐI")
    assert head.recipients[:2] == (
        "Ban Thi đua - Khen thưởng tỉnh Điện Biên;",
        "Các đơn vị thành viên Khối;",
    )
    assert report.next_steps[-1].endswith("năm 2023 của Khối.")
    assert minutes.chaired_by == "Vũ Văn Đức, Huyện Tuần Giáo (đơn vị Trưởng Khối)"
    report_text, minutes_text, proposal_text = (
        docx_text(render_document(d)) for d in (report, minutes, proposal)
    )
    assert "Huyện Tuần Giáo (Trưởng Khối) báo cáo kết quả năm 2022" in report_text
    assert "Khối có 5 đơn vị" in report_text and "Trưởng Khối đã nhận 8/8 báo cáo" in report_text
    assert "TRƯỞNG KHỐI" in minutes_text + proposal_text
    assert "Trưởng Khối kính đề nghị" in proposal_text
    for text in (report_text, minutes_text, proposal_text):
        assert "Cụm" not in text and "CỤM" not in text, text
    cluster = end.year.cluster
    assert ballot_title(Title.CHAIR, cluster) == "đơn vị Trưởng Khối năm 2023"
    assert ballot_title(Title.DEPUTY, cluster) == "đơn vị Phó Trưởng Khối năm 2023"
    assert ballot_title(Title.LEADING, cluster) == "suy tôn đơn vị dẫn đầu Khối"
    assert rule_in_words(ElectionRule(), cluster) == "trên 50 % tổng số đơn vị trong Khối"


def test_a_cluster_keeps_its_words_and_the_provinces_own_word_signs() -> None:
    plain = _report(year_end())
    assert (plain.head.signer_capacity, plain.head.signer_title) == (
        "TM. CỤM THI ĐUA",
        "TRƯỞNG CỤM",
    )
    assert ballot_title(Title.DEPUTY, year_end().year.cluster) == "đơn vị Phó Trưởng Cụm năm 2023"
    own = _report(_bloc_end(chair_title="Khối trưởng"))
    assert own.head.signer_title == "KHỐI TRƯỞNG"
    assert "Huyện Tuần Giáo (Khối trưởng) báo cáo" in docx_text(render_document(own))


@pytest.mark.parametrize(
    ("province", "body", "named"),
    [
        ("Điện Biên", "UBND TỈNH ĐIỆN BIÊN", "tỉnh Điện Biên"),
        ("Tỉnh Lào Cai", "UBND TỈNH LÀO CAI", "tỉnh Lào Cai"),
        ("TỈNH QUẢNG NINH", "UBND TỈNH QUẢNG NINH", "tỉnh QUẢNG NINH"),
        ("Thành phố Hà Nội", "UBND THÀNH PHỐ HÀ NỘI", "thành phố Hà Nội"),
        ("TP. Hồ Chí Minh", "UBND THÀNH PHỐ HỒ CHÍ MINH", "thành phố Hồ Chí Minh"),
    ],
)
def test_the_province_is_named_with_its_kind_once(province: str, body: str, named: str) -> None:
    end = year_end()
    cluster = end.year.cluster.model_copy(update={"province": province})
    assert cluster.province_title == named
    assert letterhead(cluster, "BC-CTĐ", DAY, ()).governing_body == body
    year = end.year.model_copy(update={"cluster": cluster})
    proposal = award_proposal(year, DAY, end.ranking, end.ballots, end.conference)
    assert proposal.addressee == f"Hội đồng Thi đua - Khen thưởng {named}"
    text = docx_text(render_document(proposal))
    assert f"trình Chủ tịch UBND {named} khen thưởng" in text
    assert "tỉnh tỉnh" not in text.lower() and "TỈNH TỈNH" not in text


def test_the_workbook_names_the_blocs_chair_and_deputy_in_either_language() -> None:
    end = _bloc_end()
    cluster = end.year.cluster
    assert (cluster.chair, cluster.deputy) == ("TG", "MA")
    for language, header, chair, deputy, not_locked in (
        ("vi", "Trưởng, phó", "Trưởng Khối", "Phó Trưởng Khối", "Trưởng Khối chưa chốt điểm"),
        ("en", "Chair or deputy", "bloc chair", "bloc deputy", "the bloc chair has not locked"),
    ):
        _ = translator(language)
        book = load_workbook(io.BytesIO(ranking_workbook(cluster, end.ranking, _)))
        summary = book.worksheets[0]
        assert summary["G2"].value == header
        leaders = {r[1]: r[6] for r in summary.iter_rows(min_row=3, values_only=True)}
        assert leaders["Huyện Tuần Giáo"] == chair and leaders["Huyện Mường Ảng"] == deputy
        assert leaders["Huyện Điện Biên"] is None
        unlocked = ranking_text(cluster, replace(end.ranking, locked=False), _, language)
        assert not_locked in unlocked.splitlines()[1]
    lowland = load_cluster_year(BUNDLED_CLUSTER).cluster
    book = load_workbook(io.BytesIO(ranking_workbook(lowland, end.ranking, translator("vi"))))
    leaders = {r[1]: r[6] for r in book.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert leaders["Huyện Tuần Giáo"] == "Trưởng Cụm"
