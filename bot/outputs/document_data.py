"""What the official documents say, as plain data: the cluster's report, the minutes of the
review-and-vote meeting and the award proposal. Every value is ready to print (dates as
``15/7/2022``, points as ``8,5``); the wording around them lives in the DOCX templates, which a
province edits in Word (``{{ doc.… }}`` fields, see README)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Attendance",
    "AwardLine",
    "AwardProposal",
    "BallotCount",
    "BallotResult",
    "ClusterReport",
    "InspectionLine",
    "Letterhead",
    "RankingLine",
    "ReportLine",
    "ReviewMinutes",
]


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The parts every administrative document has (Nghị định 30/2020/NĐ-CP)."""

    governing_body: str
    """Cơ quan chủ quản, upper case: ``UBND TỈNH ĐIỆN BIÊN``."""
    issuing_body: str
    """Cơ quan ban hành, upper case: ``CỤM THI ĐUA VÙNG THẤP``."""
    symbol: str
    """Ký hiệu: ``BC-CTĐ``; the number before it is left for the clerk when empty."""
    place: str
    """Địa danh of the date line: ``Tuần Giáo``."""
    day: str
    """``ngày 05 tháng 01 năm 2023`` (zero before days below 10 and months 1 and 2)."""
    recipients: tuple[str, ...]
    """Nơi nhận, one line each, the last ``Lưu: VT.``."""
    signer_capacity: str
    """``TM. CỤM THI ĐUA``."""
    signer_title: str
    """``TRƯỞNG CỤM`` (a bloc's ``TRƯỞNG KHỐI``)."""
    signer_name: str = ""
    number: str = ""
    noun: str = "Cụm"
    """How the text names the issuer: ``Cụm`` (a bloc: ``Khối``)."""
    chair_title: str = "Trưởng Cụm"
    """``Trưởng Cụm``, ``Trưởng Khối``, or the province's own word (``Khối trưởng``)."""
    province: str = ""
    """``tỉnh Điện Biên``: the province with its kind once."""


@dataclass(frozen=True, slots=True)
class ReportLine:
    unit: str
    report: str
    received: str
    """``20/7/2022``, or empty when nothing came."""
    status: str
    """``on_time``, ``late``, ``missing`` (still open or overdue) or ``excused``."""
    days_late: int = 0


@dataclass(frozen=True, slots=True)
class InspectionLine:
    inspector: str
    inspected: str
    result: str = ""


@dataclass(frozen=True, slots=True)
class RankingLine:
    rank: int
    unit: str
    self_score: str
    score: str
    classification: str
    proposal: str
    """The named rank and the award proposed ("hạng Nhất — Cờ thi đua"), or empty."""


@dataclass(frozen=True, slots=True)
class ClusterReport:
    """Báo cáo sơ kết (mid-year) or tổng kết (year-end) of the cluster."""

    head: Letterhead
    mid_year: bool
    period: str
    """``6 tháng đầu năm 2022`` or ``năm 2022``."""
    cluster: str
    province: str
    chair: str
    units: tuple[str, ...]
    reports: tuple[ReportLine, ...]
    sent: int
    owed: int
    completion: str
    """``80`` (per cent, as printed)."""
    late_units: tuple[str, ...]
    missing_units: tuple[str, ...]
    inspections: tuple[InspectionLine, ...]
    ranking: tuple[RankingLine, ...]
    scores_locked: bool
    ties: tuple[str, ...] = ()
    """The ranking's ties and how each was broken, one sentence each."""
    ballots: tuple[BallotResult, ...] = ()
    next_steps: tuple[str, ...] = ()
    adjustments: tuple[str, ...] = ()
    """Every bonus and penalty of a unit, with its reason, one sentence each."""
    not_eligible: tuple[str, ...] = ()
    """The units not proposed for an award because a deliverable the rules name did not come,
    one sentence each."""
    """Section IV: the plan's tasks still ahead, and what the year-end hands on."""


@dataclass(frozen=True, slots=True)
class Attendance:
    unit: str
    representatives: str = ""
    """The unit's officers known to the bot, the primary one first."""
    voted: bool | None = None
    """Whether the unit cast a ballot in the vote; None: no vote held (left to fill in)."""


@dataclass(frozen=True, slots=True)
class BallotCount:
    unit: str
    votes: int
    share: str
    """Of the cluster's units, per cent as printed (``80``)."""
    elected: bool


@dataclass(frozen=True, slots=True)
class BallotResult:
    title: str
    """What was voted on: ``Cờ thi đua của UBND tỉnh``."""
    round: int
    seats: int
    electorate: int
    cast: int
    rule: str
    """The rule in words: ``trên 50 % tổng số đơn vị thành viên``."""
    counts: tuple[BallotCount, ...]
    elected: tuple[str, ...]
    outcome: str
    """``done``, ``next_round`` or ``decision`` (the chair and deputy decide)."""
    summary: str = ""
    """The round's result in a sentence: who was elected with how many votes, a tie and what
    follows it, a short count."""


@dataclass(frozen=True, slots=True)
class ReviewMinutes:
    """Biên bản họp bình xét thi đua, suy tôn, đề nghị khen thưởng."""

    head: Letterhead
    year: int
    cluster: str
    held_at: str
    """``14 giờ 00, ngày 20 tháng 12 năm 2022``, or empty to fill in."""
    venue: str
    chaired_by: str
    """``Vũ Văn Đức, Huyện Tuần Giáo (đơn vị Trưởng Cụm)``, or empty to fill in."""
    secretary: str
    attendance: tuple[Attendance, ...]
    ranking: tuple[RankingLine, ...]
    ballots: tuple[BallotResult, ...]
    conclusions: tuple[str, ...]
    closed_at: str = ""
    """``10 giờ 05 cùng ngày`` or ``9 giờ 30, ngày 16 tháng 3 năm 2023``; empty to fill in."""
    chair_name: str = ""
    """The name under the chair's signature (empty: a line to write it on)."""
    ties: tuple[str, ...] = ()
    scores_locked: bool = True
    adjustments: tuple[str, ...] = ()
    not_eligible: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AwardLine:
    unit: str
    score: str
    classification: str
    named_rank: str = ""
    votes: str = ""
    """``vòng 1: 4/5 đơn vị (80 %)`` where a vote decided, else empty (the ranking did)."""


@dataclass(frozen=True, slots=True)
class AwardProposal:
    """Tờ trình đề nghị khen thưởng: the cluster's proposal, before the province's decision."""

    head: Letterhead
    addressee: str
    year: int
    cluster: str
    province: str
    units_count: int
    votes: tuple[str, ...]
    """The votes held for the awards proposed, each as the proposal cites it
    (``bỏ phiếu kín bình xét Cờ thi đua của UBND tỉnh ngày 15/3/2023 (5/5 đơn vị bỏ phiếu)``)."""
    flags: tuple[AwardLine, ...]
    certificates: tuple[AwardLine, ...]
    legal_grounds: tuple[str, ...] = ()
    """``Căn cứ …;`` lines: the law and its decree in force on the document's day."""
    scores_locked: bool = True
    adjustments: tuple[str, ...] = ()
    not_eligible: tuple[str, ...] = ()
