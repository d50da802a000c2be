"""The documents' data drafted from the cluster-year's data: report status, ranking, inspection
pairs and ballot outcomes. Official documents are Vietnamese whatever the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from bot.domain.ballots import ElectionRule, OpenReason, Outcome, OutcomeStatus, Title
from bot.domain.cluster import Cluster, ClusterKind, ClusterYear
from bot.domain.formatting import number, short_date
from bot.domain.pairing import Pair
from bot.domain.report_status import Cell, StatusRow
from bot.domain.scoring import FLAG, MERIT, Ranked
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
from bot.outputs.ranking_text import award_note, unit_name
from bot.services.ranking_data import RankingData
from bot.texts.roles import Leader, title_of

__all__ = [
    "Conference",
    "award_proposal",
    "ballot_title",
    "cluster_report",
    "legal_grounds",
    "letterhead",
    "meeting_time",
    "official_day",
    "review_minutes",
    "rule_in_words",
]

CELL_STATUS = {
    Cell.ON_TIME: "on_time",
    Cell.LATE: "late",
    Cell.EXCUSED: "excused",
    Cell.PAPER: "on_time",  # received, on paper
    Cell.OPEN: "missing",
    Cell.OVERDUE: "missing",
}
AWARD_NAMES = {FLAG: "Cờ thi đua của UBND tỉnh", MERIT: "Bằng khen của Chủ tịch UBND tỉnh"}
AWARD_BALLOTS = {FLAG: (Title.FLAG, Title.LEADING), MERIT: (Title.MERIT,)}


LEGAL_GROUNDS: tuple[tuple[date, tuple[str, ...]], ...] = (
    (
        date(2025, 7, 1),
        (
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định "
            "chi tiết và hướng dẫn thi hành Luật Thi đua, khen thưởng;",
            "Căn cứ Thông tư số 15/2025/TT-BNV của Bộ Nội vụ hướng dẫn thi hành Luật Thi đua, "
            "khen thưởng;",
        ),
    ),
    (
        date(2024, 1, 1),
        (
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        ),
    ),
    (
        date.min,
        (
            "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003 và các Luật sửa đổi, bổ "
            "sung một số điều của Luật Thi đua, Khen thưởng năm 2005, năm 2013;",
            "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        ),
    ),
)
"""The law and its decree in force from each day on (newest first): Luật 06/2022/QH15 took
effect on 1/1/2024, Nghị định 152/2025/NĐ-CP on 1/7/2025 (replacing 98/2023/NĐ-CP)."""


@dataclass(frozen=True, slots=True)
class Conference:
    """What the bot knows of the review-and-vote meeting: when the vote's first round opened
    and its last closed, the units entitled to vote and those that cast a ballot (who voted,
    never what), and each unit's officers (primary first)."""

    opened_at: datetime | None = None
    closed_at: datetime | None = None
    electors: frozenset[str] = frozenset()
    voted: frozenset[str] = frozenset()
    officers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Words:
    """How a cluster's documents name it and its leaders: "Cụm", "Trưởng Cụm", "Phó Trưởng
    Cụm"; a bloc's "Khối", "Trưởng Khối", "Phó Trưởng Khối" (or the province's own words)."""

    noun: str
    chair: str
    deputy: str


def _words(cluster: Cluster) -> _Words:
    vi = translator("vi")
    return _Words(
        "Khối" if cluster.kind is ClusterKind.KHOI else "Cụm",
        title_of(cluster, Leader.CHAIR, vi),
        title_of(cluster, Leader.DEPUTY, vi),
    )


def official_day(day: date) -> str:
    """``ngày 05 tháng 01 năm 2023``: a zero before days below 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def meeting_time(moment: datetime, timezone: str, since: datetime | None = None) -> str:
    """``8 giờ 00, ngày 15 tháng 3 năm 2023`` in the cluster's time zone; ``10 giờ 05 cùng
    ngày`` when ``since`` fell on the same day."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    hour = f"{local.hour} giờ {local.minute:02d}"
    if since is not None and since.astimezone(zone).date() == local.date():
        return f"{hour} cùng ngày"
    return f"{hour}, {official_day(local.date())}"


def legal_grounds(day: date) -> tuple[str, ...]:
    """The legal grounds a proposal dated ``day`` cites."""
    return next(lines for since, lines in LEGAL_GROUNDS if day >= since)


def _governing_body(cluster: Cluster) -> str:
    """``UBND TỈNH ĐIỆN BIÊN``: the province's kind once, however its name was written."""
    return f"UBND {cluster.province_title}".upper()


def letterhead(
    cluster: Cluster, symbol: str, day: date, recipients: Sequence[str], signer_name: str = ""
) -> Letterhead:
    """The head and foot the cluster's documents share: issued by the cluster, signed for it by
    the chair, dated at the chair unit's place."""
    chair = cluster.unit(cluster.chair)
    words = _words(cluster)
    return Letterhead(
        governing_body=_governing_body(cluster),
        issuing_body=cluster.name.upper(),
        symbol=symbol,
        place=chair.name if chair else cluster.province,
        day=official_day(day),
        recipients=(*recipients, "Lưu: VT."),
        signer_capacity=f"TM. {words.noun.upper()} THI ĐUA",
        signer_title=words.chair.upper(),
        signer_name=signer_name,
        noun=words.noun,
        chair_title=words.chair,
        province=cluster.province_title,
    )


def _signer(cluster: Cluster, conference: Conference) -> str:
    """The chair unit's primary officer, who signs for the cluster; empty when none joined."""
    names = conference.officers.get(cluster.chair, ())
    return names[0] if names else ""


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
            proposal=award_note(item, ranking, vi),
        )
        for item in ranking.ranked
    )


def _adjustments(cluster: Cluster, ranking: RankingData | None) -> tuple[str, ...]:
    """Every bonus and penalty of the ranked units, with its reason and who set it."""
    lines = []
    for item in ranking.ranked if ranking else ():
        code = item.score.unit_code
        for a in ranking.adjustments(code) if ranking else ():
            sign = "+" if a.points > 0 else ""
            who = "điểm duyệt" if a.reviewed else "đơn vị tự chấm"
            why = f"lý do: {a.reason}" if a.reason else "không ghi lý do"
            lines.append(
                f"{unit_name(cluster, code)}: {a.code} {a.name.rstrip('.')}: {sign}"
                f"{number(a.points)} điểm ({who}; {why})."
            )
    return tuple(lines)


def _not_eligible(cluster: Cluster, ranking: RankingData | None) -> tuple[str, ...]:
    """The units proposed for nothing because a deliverable the rules name did not come."""
    if ranking is None:
        return ()
    return tuple(
        f"{unit_name(cluster, code)} chưa đủ điều kiện đề nghị khen thưởng: chưa gửi "
        f"{'; '.join(d.title for d in missing)}."
        for code, missing in ranking.barred.items()
    )


def _ties(cluster: Cluster, ranking: RankingData | None) -> tuple[str, ...]:
    """One sentence per run of units with the same total: who, the total, what decided."""
    lines = []
    for _total, group in groupby(ranking.ranked if ranking else (), key=lambda r: r.total):
        run = list(group)
        if len(run) < 2:
            continue
        deciders = {r.tie_broken_by for r in run[:-1]} - {None, "code"}
        how = (
            "theo điểm nhóm tiêu chí " + ", ".join(sorted(d for d in deciders if d))
            if deciders
            else "theo thứ tự mã đơn vị (điểm các nhóm tiêu chí dùng để xét cũng bằng nhau)"
        )
        names = _names(cluster, [r.score.unit_code for r in run])
        lines.append(
            f"{names} bằng tổng điểm ({number(run[0].total)} điểm); thứ hạng "
            f"{run[0].rank}–{run[-1].rank} được xác định {how}."
        )
    return tuple(lines)


def cluster_report(
    year: ClusterYear,
    day: date,
    mid_year: bool,
    status: Sequence[StatusRow],
    received: Mapping[tuple[str, str], tuple[date, int]],
    ranking: RankingData | None,
    inspections: Sequence[tuple[Pair, str]] = (),
    ballots: Sequence[Outcome] = (),
    conference: Conference = Conference(),
    scored: Mapping[str, date] | None = None,
) -> ClusterReport:
    """The mid-year (reports due by 30 June) or year-end report. ``received`` gives, per
    (deliverable, unit), the day the latest version came and the days it was late; ``scored``
    the day each unit sent its self-score, which is what a deliverable sent "with the score
    sheet" asks (by default, read from ``ranking``)."""
    cluster = year.cluster
    half = date(cluster.year, 6, 30)
    if scored is None and ranking is not None:
        zone = ZoneInfo(cluster.timezone)
        scored = {
            code: sheet.submitted_at.astimezone(zone).date()
            for code, sheet in ranking.sheets.items()
        }
    scored = scored or {}
    lines: list[ReportLine] = []
    late: list[str] = []
    missing: list[str] = []
    for row in status:
        name = unit_name(cluster, row.unit.code)
        for deliverable, cell in zip(year.plan.deliverables, row.cells, strict=True):
            if cell is None or (mid_year and deliverable.due > half):
                continue
            day_received, days_late = received.get((deliverable.code, row.unit.code), (None, 0))
            sheet_day = scored.get(row.unit.code)
            if deliverable.with_score and not cell.done and sheet_day is not None:
                day_received, days_late = sheet_day, max(0, (sheet_day - deliverable.due).days)
                cell = Cell.ON_TIME if days_late == 0 else Cell.LATE
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
            (
                f"Ban Thi đua - Khen thưởng {cluster.province_title};",
                f"Các đơn vị thành viên {_words(cluster).noun};",
            ),
            _signer(cluster, conference),
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
        ties=() if mid_year else _ties(cluster, ranking),
        ballots=() if mid_year else tuple(_ballot_result(cluster, o) for o in ballots),
        next_steps=_next_steps(year, day, mid_year, ballots),
        adjustments=() if mid_year else _adjustments(cluster, ranking),
        not_eligible=() if mid_year else _not_eligible(cluster, ranking),
    )


def _next_steps(
    year: ClusterYear, day: date, mid_year: bool, ballots: Sequence[Outcome]
) -> tuple[str, ...]:
    """Section IV: the plan's tasks not finished by the report's day (by mid-year, those of
    the second half), then for the year-end the next year's plan and, where a vote chose it,
    the next chair."""
    cluster = year.cluster
    words = _words(cluster)
    after = max(day, date(cluster.year, 6, 30)) if mid_year else day
    lines = [
        f"- {task.title.rstrip('.')} ({task.window.text or short_date(task.window.end)})."
        for task in year.plan.tasks
        if task.window.end >= after
    ]
    if lines:
        lines.insert(0, "Tiếp tục thực hiện các nhiệm vụ còn lại của Kế hoạch:")
    if mid_year:
        return tuple(lines)
    following = cluster.year + 1
    lines.append(
        f"Xây dựng, ban hành và triển khai Kế hoạch công tác thi đua, khen thưởng năm "
        f"{following} của {words.noun}."
    )
    for outcome in ballots:
        if outcome.ballot.title is Title.CHAIR and outcome.status is OutcomeStatus.DONE:
            elected = _names(cluster, outcome.elected)
            lines.append(
                f"Bàn giao nhiệm vụ {words.chair} năm {following} cho {elected} (theo kết quả "
                "bỏ phiếu)."
            )
    return tuple(lines)


def ballot_title(title: Title, cluster: Cluster) -> str:
    words, following = _words(cluster), cluster.year + 1
    return {
        Title.FLAG: AWARD_NAMES[FLAG],
        Title.MERIT: AWARD_NAMES[MERIT],
        Title.LEADING: f"suy tôn đơn vị dẫn đầu {words.noun}",
        Title.CHAIR: f"đơn vị {words.chair} năm {following}",
        Title.DEPUTY: f"đơn vị {words.deputy} năm {following}",
    }[title]


def rule_in_words(rule: ElectionRule, cluster: Cluster) -> str:
    """``trên 50 % tổng số đơn vị trong Cụm`` or ``từ 80 % trở lên tổng số …``."""
    share, noun = number(rule.share * 100), _words(cluster).noun
    if rule.strictly_more:
        return f"trên {share} % tổng số đơn vị trong {noun}"
    return f"từ {share} % trở lên tổng số đơn vị trong {noun}"


def _share(votes: int, electorate: int) -> str:
    """``4/5 phiếu, đạt 80 %``."""
    return f"{votes}/{electorate} phiếu, đạt {number(100 * votes / electorate)} %"


def _names(cluster: Cluster, codes: Sequence[str]) -> str:
    return ", ".join(unit_name(cluster, code) for code in codes)


def _ballot_summary(cluster: Cluster, outcome: Outcome) -> str:
    """The round's result in words: who was elected with how many votes, a tie or a short
    count and what follows it."""
    ballot, counted = outcome.ballot, outcome.tally

    now = [code for code in outcome.elected if code not in ballot.elected_before]
    voted = [code for code in now if code not in outcome.by_record]
    parts = []
    if voted:
        parts.append(
            "trúng cử: "
            + "; ".join(
                f"{unit_name(cluster, code)} ({_share(counted.counts[code], counted.electorate)})"
                for code in voted
            )
        )
    else:
        parts.append("chưa có đơn vị trúng cử")
    if outcome.open_reason is OpenReason.TIE:
        votes = counted.counts[outcome.contenders[0]]
        parts.append(
            f"{_names(cluster, outcome.contenders)} bằng số phiếu ({votes} phiếu) ở "
            f"{outcome.seats_left} suất còn lại"
        )
    elif outcome.open_reason is OpenReason.SHORT:
        parts.append(
            f"còn {outcome.seats_left} suất chưa có đơn vị đạt "
            f"{rule_in_words(ballot.rule, cluster)}"
        )
    if outcome.status is OutcomeStatus.NEXT_ROUND:
        parts.append(f"bỏ phiếu vòng {ballot.round + 1} giữa {_names(cluster, outcome.contenders)}")
    elif outcome.status is OutcomeStatus.DECISION:
        words = _words(cluster)
        parts.append(
            f"{words.chair} và {words.deputy} quyết định theo thành tích (thành tích cao hơn: "
            f"{_names(cluster, outcome.by_record)})"
        )
    elif outcome.by_record:
        parts.append(f"suất còn lại xác định theo thành tích: {_names(cluster, outcome.by_record)}")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def _ballot_result(cluster: Cluster, outcome: Outcome) -> BallotResult:
    ballot, counted = outcome.ballot, outcome.tally
    won = set(outcome.elected)
    return BallotResult(
        title=ballot_title(ballot.title, cluster),
        round=ballot.round,
        seats=ballot.seats,
        electorate=counted.electorate,
        cast=counted.cast,
        rule=rule_in_words(ballot.rule, cluster),
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
        summary=_ballot_summary(cluster, outcome),
    )


def _voted_awards(ballots: Sequence[Outcome]) -> set[str]:
    """The awards a finished vote decided (as the ranking follows them)."""
    return {
        award
        for award, titles in AWARD_BALLOTS.items()
        for o in ballots
        if o.ballot.title in titles and o.status is not OutcomeStatus.NEXT_ROUND
    }


def _conclusions(
    cluster: Cluster, ranked: Sequence[Ranked], ballots: Sequence[Outcome]
) -> tuple[str, ...]:
    """What the meeting proposes, saying for each award whether a vote or the ranking
    decided it."""
    voted, words = _voted_awards(ballots), _words(cluster)
    lines = []
    for award in (FLAG, MERIT):
        chosen = [r for r in ranked if r.proposal == award]
        if not chosen:
            continue
        units = ", ".join(unit_name(cluster, r.score.unit_code) for r in chosen)
        if award in voted:
            lines.append(
                f"Căn cứ kết quả bỏ phiếu, {words.noun} đề nghị tặng {AWARD_NAMES[award]} cho: "
                f"{units}."
            )
        else:
            ranks = ", ".join(
                f"{unit_name(cluster, r.score.unit_code)} xếp thứ {r.rank}, {number(r.total)} điểm"
                for r in chosen
            )
            lines.append(
                f"{AWARD_NAMES[award]}: {words.noun} không bỏ phiếu; theo kết quả chấm điểm, "
                f"xếp hạng ({ranks}), {words.chair} đề nghị tặng cho: {units}."
            )
    return tuple(lines)


def _attendance(cluster: Cluster, conference: Conference) -> tuple[Attendance, ...]:
    """The units entitled to vote (every unit when no vote was held), each with its officers
    and whether it cast a ballot."""
    held = bool(conference.electors)
    return tuple(
        Attendance(
            unit_name(cluster, unit.code),
            ", ".join(conference.officers.get(unit.code, ())),
            (unit.code in conference.voted) if held else None,
        )
        for unit in cluster.units
        if not held or unit.code in conference.electors
    )


def review_minutes(
    year: ClusterYear,
    day: date,
    ranking: RankingData | None,
    ballots: Sequence[Outcome] = (),
    conference: Conference = Conference(),
    venue: str = "",
    secretary: str = "",
) -> ReviewMinutes:
    """The minutes of the review-and-vote meeting, as far as the bot knows it: the time from
    the vote's first round to its last close, the chair unit's officer presiding, the electors
    and who voted; ``ballots`` are the outcomes of every round, in the order held. What the bot
    does not know (the venue, the secretary) stays a line to fill in by hand."""
    cluster = year.cluster
    zone = cluster.timezone
    opened, closed = conference.opened_at, conference.closed_at
    chair = _signer(cluster, conference)
    words = _words(cluster)
    return ReviewMinutes(
        head=letterhead(cluster, "BB-CTĐ", day, (f"Các đơn vị thành viên {words.noun};",)),
        year=cluster.year,
        cluster=cluster.name,
        held_at=meeting_time(opened, zone) if opened else "",
        venue=venue,
        chaired_by=f"{chair}, {unit_name(cluster, cluster.chair)} (đơn vị {words.chair})"
        if chair
        else "",
        secretary=secretary,
        attendance=_attendance(cluster, conference),
        ranking=_ranking_lines(cluster, ranking),
        ballots=tuple(_ballot_result(cluster, outcome) for outcome in ballots),
        conclusions=_conclusions(cluster, ranking.ranked if ranking else (), ballots),
        closed_at=meeting_time(closed, zone, since=opened) if closed else "",
        chair_name=chair,
        ties=_ties(cluster, ranking),
        scores_locked=ranking.locked if ranking else False,
        adjustments=_adjustments(cluster, ranking),
        not_eligible=_not_eligible(cluster, ranking),
    )


def _votes(unit: str, award: str, ballots: Sequence[Outcome]) -> str:
    """``vòng 1: 4/5 phiếu, đạt 80 %`` from the round that elected the unit for this award."""
    for outcome in ballots:
        if outcome.ballot.title not in AWARD_BALLOTS[award]:
            continue
        if unit in outcome.elected[len(outcome.ballot.elected_before) :]:
            votes, electorate = outcome.tally.counts[unit], outcome.tally.electorate
            return f"vòng {outcome.ballot.round}: {_share(votes, electorate)}"
    return ""


def _vote_held(cluster: Cluster, outcome: Outcome, on: date | None) -> str:
    """``bỏ phiếu kín bình xét Cờ thi đua của UBND tỉnh ngày 15/3/2023 (5/5 đơn vị bỏ phiếu)``."""
    where = f" ngày {short_date(on)}" if on else ""
    return (
        f"bỏ phiếu kín bình xét {ballot_title(outcome.ballot.title, cluster)}{where} "
        f"({outcome.tally.cast}/{outcome.tally.electorate} đơn vị bỏ phiếu)"
    )


def award_proposal(
    year: ClusterYear,
    day: date,
    ranking: RankingData,
    ballots: Sequence[Outcome] = (),
    conference: Conference = Conference(),
) -> AwardProposal:
    """The proposal letter: the Flags and Certificates the ranking proposes (which follows the
    vote where one was held), with scores and, where voted, the votes; the legal grounds in
    force on ``day``."""
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

    on = None
    if conference.opened_at is not None:
        on = conference.opened_at.astimezone(ZoneInfo(cluster.timezone)).date()
    voted = _voted_awards(ballots)
    first_rounds = [
        o
        for o in ballots
        if o.ballot.round == 1 and any(o.ballot.title in AWARD_BALLOTS[award] for award in voted)
    ]
    addressee = f"Hội đồng Thi đua - Khen thưởng {cluster.province_title}"
    return AwardProposal(
        head=letterhead(
            cluster,
            "TTr-CTĐ",
            day,
            ("Như trên;", f"Các đơn vị thành viên {_words(cluster).noun};"),
            _signer(cluster, conference),
        ),
        addressee=addressee,
        year=cluster.year,
        cluster=cluster.name,
        province=cluster.province,
        units_count=len(cluster.units),
        votes=tuple(_vote_held(cluster, o, on) for o in first_rounds),
        flags=lines(FLAG),
        certificates=lines(MERIT),
        legal_grounds=legal_grounds(day),
        scores_locked=ranking.locked,
        adjustments=_adjustments(cluster, ranking),
        not_eligible=_not_eligible(cluster, ranking),
    )
