"""The offline demonstration (what `make run` runs without a token) plays a whole year, and
on into the next: the handover, the pact, the past year still readable."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from bot.cli.demo import run_demo
from bot.config import Settings
from tests.unit.test_document_drafts import docx_text


async def test_the_demo_plays_a_cluster_year(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert await run_demo(Settings(_env_file=None), out) == 0
    transcript = (out / "transcript.txt").read_text(encoding="utf-8")
    for expected in (
        "thành viên của Huyện Điện Biên (DB) (qua Zalo)",
        "[23/6/2022 08:05] 🤖 → Tòng Thị Mai: ⏰ Nhắc hạn:",
        "🌐 Nguyễn Thị Lan mở đường dẫn tải lên",
        "Tình trạng: trễ 4 ngày (hạn 30/6/2022)",
        "⚠️ Thị xã Mường Lay (ML) chưa nộp",
        "1. Huyện Mường Ảng — 104,5 điểm — Hoàn thành xuất sắc nhiệm vụ — đề nghị tặng Cờ thi đua",
        "Số 1 (09:00 10/1/2023): 2 đơn vị đã nhận: DB, MA",
        # the cross-inspection round: pairs kept, minutes in, the inspected unit answers
        "🔎 Kiểm tra chéo năm 2022: đơn vị anh/chị kiểm tra",
        "đã gửi biên bản kiểm tra đơn vị anh/chị (lần 1: bien-ban-kiem-tra-MA.docx)",
        "Cảm ơn: nội dung giải trình đã được ghi nhận",
        # the vote: one unit late and reminded, one trying twice, the result to every officer
        "[15/3/2023 08:00] 🤖 → Quàng Văn Bình: Đơn vị anh/chị đã bỏ phiếu vòng 1 bầu Cờ thi đua.",
        "[15/3/2023 09:05] 🤖 → Tòng Thị Mai: ⏰ Nhắc việc: đơn vị anh/chị chưa bỏ phiếu.",
        "[15/3/2023 10:05] 🤖 → Nguyễn Thị Lan: Kết quả bỏ phiếu Cờ thi đua, vòng 1: 5/5",
        "Trúng cử: Huyện Mường Ảng (MA)",
        # the fair rules: no lock before the annual report is due, the chair's own sheet not
        # the chair's to review, the handover's open items, counts on the seat buttons
        "Hạn gửi bảng tự chấm điểm là hết ngày 31/12/2022: điểm được chốt từ ngày 1/1/2023.",
        "[3/1/2023 09:00] 🤖 → Vũ Văn Đức: Đã chốt điểm.",
        "[1. Huyện Điện Biên (DB)]  [2. Thành phố Điện Biên Phủ (DBP)]  [3. Huyện Mường Ảng (MA)]"
        "  [4. Thị xã Mường Lay (ML)]\n",
        "[1. 1 đơn vị]  [2. 2 đơn vị]  [3. 3 đơn vị]",
        "⚠️ Năm 2022 còn việc chưa hoàn thành:\n      Báo cáo chưa nộp: 4",
        # 2023: the handover, the pact, and 2022 still readable
        "từ năm 2023, Huyện Mường Ảng (MA) là Trưởng Cụm. Phó Trưởng Cụm: Huyện Điện Biên (DB)",
        "Đã ghi nhận: Huyện Tuần Giáo (TG) đồng ý ký kết giao ước thi đua năm 2023",
        "Đã ghi nhận: Huyện Điện Biên (DB) đồng ý ký kết giao ước thi đua năm 2023",
        "[17/3/2023 08:05] 🤖 → Tòng Thị Mai: ⏰ Nhắc việc: đơn vị của anh/chị chưa ký giao ước",
        "Tiến độ nộp báo cáo năm 2022 (đã khép lại, chỉ xem)",
        "KẾT QUẢ XẾP HẠNG — Cụm thi đua vùng thấp năm 2022",
    ):
        assert expected in transcript, expected
    assert (out / "xep-hang.png").read_bytes().startswith(b"\x89PNG")
    assert load_workbook(out / "xep-hang-2022.xlsx")["Tổng hợp"]["B3"].value == "Huyện Mường Ảng"
    assert "MA Mường Ảng: (1)✅" in (out / "tien-do.txt").read_text(encoding="utf-8")
    overview = (out / "tong-quan.html").read_text(encoding="utf-8")
    assert "Cụm thi đua vùng thấp" in overview and 'href="style.css"' in overview
    matrix = (out / "tien-do.html").read_text(encoding="utf-8")
    assert "Cụm thi đua vùng thấp" in matrix and "Thị xã Mường Lay" in matrix
    assert 'class="cell on-time"' in matrix and "@media print" in (out / "style.css").read_text()
    for name in ("bao-cao-nam-2022", "bien-ban-2022", "to-trinh-2022"):
        assert (out / f"{name}.docx").read_bytes().startswith(b"PK")
    inspection = (out / "kiem-tra-cheo.txt").read_text(encoding="utf-8")
    assert "✅ Huyện Mường Ảng (MA) kiểm tra" in inspection and "giải trình" in inspection
    report = docx_text((out / "bao-cao-nam-2022.docx").read_bytes())
    assert "Đã gửi biên bản (lần 1); đơn vị được kiểm tra đã giải trình" in report
    assert "Thành phố Điện Biên Phủ | Báo cáo kết quả thi đua năm 2022 kèm bảng tự chấm" in report
    assert "Chưa nộp" not in report.split("Biên bản kiểm tra chéo")[0]  # the annual reports came
    assert (
        "- Huyện Mường Ảng: B.1 Được tặng Cờ thi đua của Chính phủ hoặc của tỉnh trong năm: +10 "
        "điểm (đơn vị tự chấm; lý do: Quyết định số 2345/QĐ-UBND ngày 20/11/2022" in report
    )
    minutes = docx_text((out / "bien-ban-2022.docx").read_bytes())
    for expected in (
        "Huyện Mường Ảng | 4 | 80 | Trúng cử",
        "Thời gian: 8 giờ 00, ngày 15 tháng 3 năm 2023.",
        "Chủ trì: Vũ Văn Đức, Huyện Tuần Giáo (đơn vị Trưởng Cụm).",
        "3 | Huyện Điện Biên | Quàng Văn Bình | Đã bỏ phiếu",
        "Bằng khen của Chủ tịch UBND tỉnh: Cụm không bỏ phiếu; theo kết quả chấm điểm",
    ):
        assert expected in minutes, expected
    assert "Cuộc họp kết thúc vào hồi 10 giờ 0" in minutes and "Thống nhất" not in minutes
    proposal = docx_text((out / "to-trinh-2022.docx").read_bytes())
    assert "Huyện Mường Ảng | 1 | 104,5 | Hoàn thành xuất sắc nhiệm vụ | Bỏ phiếu vòng 1: 4/5" in (
        proposal
    )
    for document in (report, minutes, proposal):
        assert "Vũ Văn Đức" in document  # the chair unit's officer signs
    pact = (out / "giao-uoc-2023.txt").read_text(encoding="utf-8")
    assert "2/4 đơn vị thành viên đã ký" in pact
