"""The web pages over real HTTP: sign-in by the bot's link (single use, minutes long, bound to
its person), the session cookie's flags, the idle expiry, signing out, CSRF refusal, the headers
of every page, the chair-only audit log, escaping what users wrote, and the plan."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from pydantic import SecretStr

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser
from tests.harness import Harness
from tests.people import register
from tests.web_signin import CSRF, SIGNIN
from tests.web_signin import base_url as _base
from tests.web_signin import signed_in as _signed_in
from tests.web_signin import signin_url as _signin_url

PAGES = ("/web/", "/web/plan", "/web/calendar")


async def _member(bot: Harness, telegram: FakeTelegram) -> FakeTelegramUser:
    user = telegram.user(7101, "Lò Văn Minh")
    await register(bot.app, user, "MA", Role.MEMBER)
    return user


async def test_a_link_signs_in_once_with_a_strict_http_only_cookie(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url = await _signin_url(await _member(bot, telegram))
    async with httpx.AsyncClient(base_url=_base(bot)) as client:
        elsewhere = await client.post(url, headers={"Sec-Fetch-Site": "cross-site"})
        assert elsewhere.status_code == 403 and "set-cookie" not in elsewhere.headers
        opened = await _signed_in(client, url)  # the link was not spent
        assert opened.status_code == 303 and opened.headers["location"] == "/web/"
        cookie = opened.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/web" in cookie
        assert "Secure" not in cookie  # served over plain HTTP here
        home = await client.get("/web/")
        assert home.status_code == 200
        assert "Lò Văn Minh" in home.text and "Huyện Mường Ảng (MA)" in home.text
        assert 'href="/web/plan"' in home.text and 'href="/web/calendar"' in home.text
        assert 'href="/web/audit"' not in home.text  # a member's home offers no chair page
        again = await client.post(url)
        assert again.status_code == 410 and "đã được dùng" in again.text
    async with httpx.AsyncClient(base_url=_base(bot)) as stranger:
        refused = await stranger.get("/web/")
        assert refused.status_code == 401 and "/web" in refused.text
        assert (await stranger.get(url)).status_code == 410  # bound: not another sign-in


async def test_a_link_expires_and_a_tampered_one_is_unknown(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url = await _signin_url(await _member(bot, telegram))
    async with httpx.AsyncClient() as client:
        tampered = await client.get(url[:-3] + "abc")
        assert tampered.status_code == 404 and "không hợp lệ" in tampered.text
        bot.clock.advance(timedelta(minutes=10))
        expired = await client.post(url)
        assert expired.status_code == 410 and "hết hạn" in expired.text


async def test_idle_sessions_end_and_signing_out_needs_the_form_token(
    bot: Harness, telegram: FakeTelegram
) -> None:
    member = await _member(bot, telegram)
    async with httpx.AsyncClient(base_url=_base(bot)) as client:
        await _signed_in(client, await _signin_url(member))
        bot.clock.advance(timedelta(hours=7, minutes=59))
        home = await client.get("/web/")
        assert home.status_code == 200
        [token] = set(CSRF.findall(home.text))
        forged = await client.post("/web/signout", data={})
        assert forged.status_code == 403 and "không được chấp nhận" in forged.text
        wrong = await client.post("/web/signout", data={"csrf": "0" * 64})
        assert wrong.status_code == 403
        assert (await client.get("/web/plan")).status_code == 200  # still signed in
        out = await client.post("/web/signout", data={"csrf": token})
        assert out.status_code == 200 and "đã đăng xuất" in out.text
        assert (await client.get("/web/")).status_code == 401
    async with httpx.AsyncClient(base_url=_base(bot)) as client:
        await _signed_in(client, await _signin_url(member))
        bot.clock.advance(timedelta(hours=8))
        idle = await client.get("/web/")
        assert idle.status_code == 401 and "đã hết" in idle.text


async def test_every_page_is_private_unframed_and_script_free(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url = await _signin_url(await _member(bot, telegram))
    async with httpx.AsyncClient(base_url=_base(bot)) as client:
        answers = [await client.get(url), await _signed_in(client, url)]
        answers += [await client.get(path) for path in PAGES]
        answers += [await client.get("/web/audit"), await client.get("/web/style.css")]
        answers.append(await client.post("/web/signout"))
    for answer in answers:
        headers = answer.headers
        assert headers["cache-control"] == "private, no-store", answer.url
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
        assert "<script" not in answer.text and "style=" not in answer.text
    assert "@media print" in answers[-2].text and "A4" in answers[-2].text


async def test_the_audit_log_is_for_the_chair_only(bot: Harness, telegram: FakeTelegram) -> None:
    member_url = await _signin_url(await _member(bot, telegram))
    chair = telegram.user(7100, "<b>Trưởng</b> & <script>alert(1)</script>")
    await register(bot.app, chair, "TG", Role.CHAIR)
    chair_url = await _signin_url(chair)
    async with httpx.AsyncClient(base_url=_base(bot)) as member:
        await _signed_in(member, member_url)
        refused = await member.get("/web/audit")
        assert refused.status_code == 403 and "vai trò" in refused.text
    async with httpx.AsyncClient(base_url=_base(bot)) as client:
        await _signed_in(client, chair_url)
        home = await client.get("/web/")
        assert 'href="/web/audit"' in home.text
        assert "&lt;b&gt;Trưởng&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in home.text
        assert "<script>" not in home.text and "<b>" not in home.text
        audit = await client.get("/web/audit")
        assert audit.status_code == 200 and "web.signed_in" in audit.text
        assert "Lò Văn Minh" in audit.text and "<script>" not in audit.text


async def test_the_plan_shows_its_deadlines_on_working_days(
    bot: Harness, telegram: FakeTelegram
) -> None:
    member = await _member(bot, telegram)
    async with httpx.AsyncClient(base_url=_base(bot)) as client:
        await _signed_in(client, await _signin_url(member))
        plan = await client.get("/web/plan")
    assert plan.status_code == 200 and "Cụm thi đua vùng thấp" in plan.text
    assert "Trưởng Cụm" in plan.text and "30/6/2022" in plan.text
    assert "Hạn đã định là 31/12/2022, trùng ngày nghỉ" in plan.text and "30/12/2022" in plan.text


async def test_the_cookie_is_secure_behind_https(
    settings: Settings, telegram: FakeTelegram, clock: FixedClock
) -> None:
    behind = settings.model_copy(
        update={
            "public_base_url": "https://thidua.example.vn",
            "telegram_token": SecretStr(telegram.token),
            "telegram_base_url": telegram.base_url,
            "telegram_file_url": telegram.file_url,
            "telegram_poll_timeout": 1,
        }
    )
    bot = Harness(behind, clock)
    app = await bot.start()
    try:
        user = telegram.user(7200, "Cán bộ")
        await register(app, user, "DB", Role.MEMBER)
        answer = await user.ask("/web")
        [token] = re.findall(r"https://thidua\.example\.vn/web/signin/([\w-]+)", answer.text)
        local = f"http://127.0.0.1:{bot.app.web.port}/web/signin/{token}"  # type: ignore[union-attr]
        async with httpx.AsyncClient() as client:
            opened = await client.post(local)
        assert opened.status_code == 303 and "Secure" in opened.headers["set-cookie"]
    finally:
        await bot.stop()


async def test_the_calendar_page_lists_deadlines_and_makes_a_new_address(
    bot: Harness, telegram: FakeTelegram
) -> None:
    member = await _member(bot, telegram)
    [old] = re.findall(r"http://127\.0\.0\.1:\d+/cal/[\w-]+\.ics", (await member.ask("/lich")).text)
    async with httpx.AsyncClient(base_url=_base(bot)) as client:
        await _signed_in(client, await _signin_url(member))
        page = await client.get("/web/calendar")
        assert "30/6/2022" in page.text and "30/12/2022" in page.text
        assert "/cal/" not in page.text  # the address is kept hashed: shown once, in chat
        [token] = set(CSRF.findall(page.text))
        assert (await client.post("/web/calendar", data={})).status_code == 403
        made = await client.post("/web/calendar", data={"csrf": token})
        [new] = re.findall(r"http://127\.0\.0\.1:\d+/cal/[\w-]+\.ics", made.text)
        assert (await client.get(old)).status_code == 404
        assert (await client.get(new)).status_code == 200


async def test_pages_speak_the_language_the_person_chose_in_chat(
    bot: Harness, telegram: FakeTelegram
) -> None:
    member = await _member(bot, telegram)
    menu = await member.ask("/ngonngu")
    member.press(menu, "English")
    await member.next_message()
    answer = await member.ask("/web")
    assert "within 10 minutes" in answer.text
    [url] = SIGNIN.findall(answer.text)
    async with httpx.AsyncClient(base_url=_base(bot), follow_redirects=True) as client:
        assert "Sign in" in (await client.get(url)).text
        home = await client.post(url)
        assert 'lang="en"' in home.text and "Signed in as" in home.text
        assert "My calendar" in home.text and "Đăng xuất" not in home.text
