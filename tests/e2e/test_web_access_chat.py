"""/web and /lich end to end, on Telegram and on Zalo: the sign-in link opens the person's
session in a browser, and the calendar address gives a feed an iCalendar parser reads, with its
working-day deadlines and stable UIDs; a new address revokes the old."""

from __future__ import annotations

import re
from datetime import date

import httpx
from icalendar import Calendar

from bot.domain.access import Role
from tests.e2e.test_scenarios import join
from tests.platforms import Platform

SIGNIN = re.compile(r"http://127\.0\.0\.1:\d+/web/signin/[\w-]+")
FEED = re.compile(r"http://127\.0\.0\.1:\d+/cal/[\w-]+\.ics")


def _events(body: bytes) -> dict[str, tuple[date, str]]:
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
    return {
        str(event["UID"]): (event.decoded("DTSTART"), str(event["SUMMARY"]))
        for event in calendar.walk("VEVENT")
    }


async def test_web_signs_the_person_in(platform: Platform) -> None:
    officer = platform.person(11, "Quàng Thị Hoa")
    await join(platform, officer, "ML", Role.MEMBER)
    answer = await officer.ask("/web")
    assert "một lần" in answer.text and "10 phút" in answer.text
    [url] = SIGNIN.findall(answer.text)
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        assert "Quàng Thị Hoa" in (await browser.get(url)).text
        home = await browser.post(url)
    assert home.status_code == 200 and str(home.url).endswith("/web/")
    assert "Quàng Thị Hoa" in home.text and "Thị xã Mường Lay (ML)" in home.text


async def test_lich_gives_a_feed_and_a_new_link_revokes_the_old(platform: Platform) -> None:
    officer = platform.person(12, "Lò Văn Sơn")
    await join(platform, officer, "DB", Role.MEMBER)
    answer = await officer.ask("/lich")
    [first] = FEED.findall(answer.text)
    async with httpx.AsyncClient() as phone:
        fetched = await phone.get(first)
        assert fetched.status_code == 200
        assert fetched.headers["content-type"].startswith("text/calendar")
        events = _events(fetched.content)
        half_year, annual = platform.harness.app.services.cluster_year.plan.deliverables
        assert sorted(events.values()) == [
            (date(2022, 6, 30), f"Hạn nộp: {half_year.title}"),
            (date(2022, 12, 30), f"Hạn nộp: {annual.title}"),  # 31/12 is a Saturday
        ]
        kept = await officer.ask("/lich")
        assert "chỉ hiển thị một lần" in kept.text and not FEED.findall(kept.text)
        renewed = await officer.choose(kept, "Tạo đường dẫn mới")
        [second] = FEED.findall(renewed.text)
        assert second != first
        assert (await phone.get(first)).status_code == 404
        again = await phone.get(second)
    assert _events(again.content).keys() == events.keys()  # the phone updates, not duplicates
