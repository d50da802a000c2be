"""The documents' data drafted from the cluster-year's data: report status, ranking, inspection
pairs and ballot outcomes. Official documents are Vietnamese whatever the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.domain.ballots import ElectionRule, Outcome, OutcomeStatus, Title
from bot.domain.cluster import Cluster, ClusterYear
from bot.domain.formatting import number, short_date
from bot.domain.pairing import Pair
from bot.domain.report_status import Cell, StatusRow
from bot.domain.scoring import FLAG, MERIT, Ranked
from bot.domain.text import fold
from bot.i18n import translator
from bot.outputs.document_data import (
    Attendance,
    AwardLine,
    AwardProposal,
    BallotCount,
    BallotResult,
    ClusterReport,
    InspectionLine,
    Letterhead,
    RankingLine,
    ReportLine,
    ReviewMinutes,
)
from bot.outputs.ranking_text import proposal_label, unit_name
from bot.services.ranking_data import RankingData

__all__ = [
    "award_proposal",
    "ballot_title",
    "cluster_report",
    "letterhead",
    "official_day",
    "review_minutes",
    "rule_in_words",
]

CELL_STATUS = {
    Cell.ON_TIME: "on_time",
    Cell.LATE: "late",
    Cell.EXCUSED: "excused",
    Cell.OPEN: "missing",
    Cell.OVERDUE: "missing",
}
AWARD_NAMES = {FLAG: "Cờ thi đua của UBND tỉnh", MERIT: "Bằng khen của Chủ tịch UBND tỉnh"}
AWARD_BALLOTS = {FLAG: (Title.FLAG, Title.LEADING), MERIT: (Title.MERIT,)}


def official_day(day: date) -> str:
    """``ngày 05 tháng 01 năm 2023``: a zero before days below 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _governing_body(cluster: Cluster) -> str:
    province = cluster.province
    if fold(province).startswith(("tinh ", "thanh pho ")):
        return f"UBND {province}".upper()
    return f"UBND tỉnh {province}".upper()


def letterhead(
    cluster: Cluster, symbol: str, day: date, recipients: Sequence[str], signer_name: str = ""
) -> Letterhead:
    """The head and foot the cluster's documents share: issued by the cluster, signed for it by
    the chair, dated at the chair unit's place."""
    chair = cluster.unit(cluster.chair)
    return Letterhead(
        governing_body=_governing_body(cluster),
        issuing_body=cluster.name.upper(),
        symbol=symbol,
        place=chair.name if chair else cluster.province,
        day=official_day(day),
        recipients=(*recipients, "Lưu: VT."),
        signer_capacity="TM. CỤM THI ĐUA",
        signer_title="TRƯỞNG CỤM",
        signer_name=signer_name,
    )


def _ranking_lines(cluster: Cluster, ranking: RankingData | None) -> tuple[RankingLine, ...]:
    if ranking is None:
        return ()
    vi = translator("vi")
    return tuple(
        RankingLine(
            rank=item.rank,
            unit=unit_name(cluster, item.score.unit_code),
            self_score=number(ranking.self_total(item.score.unit_code)),
            score=number(item.total),
            classification=item.classification.name,
            proposal=proposal_label(item, vi),
        )
        for item in ranking.ranked
    )


def cluster_report(
    year: ClusterYear,
    day: date,
    mid_year: bool,
    status: Sequence[StatusRow],
    received: Mapping[tuple[str, str], tuple[date, int]],
    ranking: RankingData | None,
    inspections: Sequence[tuple[Pair, str]] = (),
) -> ClusterReport:
    """The mid-year (reports due by 30 June) or year-end report. ``received`` gives, per
    (deliverable, unit), the day the latest version came and the days it was late."""
    cluster = year.cluster
    half = date(cluster.year, 6, 30)
    lines: list[ReportLine] = []
    late: list[str] = []
    missing: list[str] = []
    for row in status:
        name = unit_name(cluster, row.unit.code)
        for deliverable, cell in zip(year.plan.deliverables, row.cells, strict=True):
            if cell is None or (mid_year and deliverable.due > half):
                continue
            day_received, days_late = received.get((deliverable.code, row.unit.code), (None, 0))
            shown = short_date(day_received) if day_received and cell.done else ""
            lines.append(ReportLine(name, deliverable.title, shown, CELL_STATUS[cell], days_late))
            if cell is Cell.LATE and name not in late:
                late.append(name)
            if not cell.done and name not in missing:
                missing.append(name)
    owed = [line for line in lines if line.status != "excused"]
    sent = sum(line.status in ("on_time", "late") for line in owed)
    return ClusterReport(
        head=letterhead(
            cluster,
            "BC-CTĐ",
            day,
            (f"Ban Thi đua - Khen thưởng tỉnh {cluster.province};", "Các đơn vị thành viên Cụm;"),
        ),
        mid_year=mid_year,
        period=f"6 tháng đầu năm {cluster.year}" if mid_year else f"năm {cluster.year}",
        cluster=cluster.name,
        province=cluster.province,
        chair=unit_name(cluster, cluster.chair),
        units=tuple(unit_name(cluster, u.code) for u in cluster.units),
        reports=tuple(lines),
        sent=sent,
        owed=len(owed),
        completion=number(100 * sent / len(owed)) if owed else "100",
        late_units=tuple(late),
        missing_units=tuple(missing),
        inspections=tuple(
            InspectionLine(unit_name(cluster, p.inspector), unit_name(cluster, p.inspected), r)
            for p, r in inspections
        ),
        ranking=() if mid_year else _ranking_lines(cluster, ranking),
        scores_locked=ranking.locked if ranking else False,
    )


def ballot_title(title: Title, year: int) -> str:
    return {
        Title.FLAG: AWARD_NAMES[FLAG],
        Title.MERIT: AWARD_NAMES[MERIT],
        Title.LEADING: "suy tôn đơn vị dẫn đầu Cụm",
        Title.CHAIR: f"đơn vị Trưởng Cụm năm {year + 1}",
        Title.DEPUTY: f"đơn vị Phó Trưởng Cụm năm {year + 1}",
    }[title]


def rule_in_words(rule: ElectionRule) -> str:
    """``trên 50 % tổng số đơn vị trong Cụm`` or ``từ 80 % trở lên tổng số …``."""
    share = number(rule.share * 100)
    if rule.strictly_more:
        return f"trên {share} % tổng số đơn vị trong Cụm"
    return f"từ {share} % trở lên tổng số đơn vị trong Cụm"


def _ballot_result(cluster: Cluster, outcome: Outcome) -> BallotResult:
    ballot, counted = outcome.ballot, outcome.tally
    won = set(outcome.elected)
    return BallotResult(
        title=ballot_title(ballot.title, cluster.year),
        round=ballot.round,
        seats=ballot.seats,
        electorate=counted.electorate,
        cast=counted.cast,
        rule=rule_in_words(ballot.rule),
        counts=tuple(
            BallotCount(
                unit_name(cluster, code),
                votes,
                number(100 * votes / counted.electorate),
                code in won,
            )
            for code, votes in counted.counts.items()
        ),
        elected=tuple(unit_name(cluster, code) for code in outcome.elected),
        outcome=outcome.status.value,
    )


def _conclusions(cluster: Cluster, ranked: Sequence[Ranked]) -> tuple[str, ...]:
    lines = []
    for award in (FLAG, MERIT):
        units = [unit_name(cluster, r.score.unit_code) for r in ranked if r.proposal == award]
        if units:
            lines.append(f"Thống nhất đề nghị tặng {AWARD_NAMES[award]} cho: {', '.join(units)}.")
    return tuple(lines)


def review_minutes(
    year: ClusterYear,
    day: date,
    ranking: RankingData | None,
    ballots: Sequence[Outcome] = (),
    attendance: Sequence[Attendance] | None = None,
    held_at: str = "",
    venue: str = "",
    chaired_by: str = "",
    secretary: str = "",
) -> ReviewMinutes:
    """The minutes of the review-and-vote meeting; without ``attendance`` every unit is listed
    for the chair to fill in; ``ballots`` are the outcomes of every round, in the order held."""
    cluster = year.cluster
    return ReviewMinutes(
        head=letterhead(cluster, "BB-CTĐ", day, ("Các đơn vị thành viên Cụm;",)),
        year=cluster.year,
        cluster=cluster.name,
        held_at=held_at,
        venue=venue,
        chaired_by=chaired_by,
        secretary=secretary,
        attendance=tuple(attendance)
        if attendance is not None
        else tuple(Attendance(unit_name(cluster, u.code)) for u in cluster.units),
        ranking=_ranking_lines(cluster, ranking),
        ballots=tuple(_ballot_result(cluster, outcome) for outcome in ballots),
        conclusions=_conclusions(cluster, ranking.ranked if ranking else ()),
    )


def _votes(unit: str, award: str, ballots: Sequence[Outcome]) -> str:
    """``5/5 đơn vị (100 %)`` from the round that elected the unit for this award."""
    for outcome in ballots:
        if outcome.ballot.title not in AWARD_BALLOTS[award]:
            continue
        if unit in outcome.elected[len(outcome.ballot.elected_before) :]:
            votes, electorate = outcome.tally.counts[unit], outcome.tally.electorate
            return f"{votes}/{electorate} đơn vị ({number(100 * votes / electorate)} %)"
    return ""


def award_proposal(
    year: ClusterYear, day: date, ranking: RankingData, ballots: Sequence[Outcome] = ()
) -> AwardProposal:
    """The proposal letter: the Flags and Certificates the ranking proposes (which follows the
    vote where one was held), with scores and, where voted, the votes."""
    cluster = year.cluster

    def lines(award: str) -> tuple[AwardLine, ...]:
        return tuple(
            AwardLine(
                unit=unit_name(cluster, r.score.unit_code),
                score=number(r.total),
                classification=r.classification.name,
                named_rank=r.named_rank or str(r.rank),
                votes=_votes(r.score.unit_code, award, ballots),
            )
            for r in ranking.ranked
            if r.proposal == award
        )

    addressee = f"Hội đồng Thi đua - Khen thưởng tỉnh {cluster.province}"
    return AwardProposal(
        head=letterhead(cluster, "TTr-CTĐ", day, ("Như trên;", "Các đơn vị thành viên Cụm;")),
        addressee=addressee,
        year=cluster.year,
        cluster=cluster.name,
        province=cluster.province,
        units_count=len(cluster.units),
        by_vote=any(
            o.ballot.title in (*AWARD_BALLOTS[FLAG], *AWARD_BALLOTS[MERIT])
            and o.status is not OutcomeStatus.NEXT_ROUND
            for o in ballots
        ),
        flags=lines(FLAG),
        certificates=lines(MERIT),
    )
