"""The web pages in a real browser (headless Chromium through Selenium, as the upload page's
test): sign in by the link /web gives in chat, see home with the bot's own style sheet (allowed
by the pages' content policy), open the plan, sign out, and be asked to sign in again."""

from __future__ import annotations

import asyncio
import re
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from tests.e2e.test_upload_page_browser import _browser
from tests.harness import Harness
from tests.people import register

SIGNIN = re.compile(r"http://127\.0\.0\.1:\d+/web/signin/[\w-]+")


def _follow(browser: WebDriver, wait: WebDriverWait[WebDriver], by: str, what: str) -> None:
    """Click what leads to another page and wait until the old one is gone (a look at the old
    page while the new one replaces it fails in the browser)."""
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(by, what).click()
    wait.until(expected_conditions.staleness_of(old))


def _visit(url: str, home: str) -> dict[str, str]:
    """Sign in, read home and the plan, sign out, open home again; what each showed."""
    seen: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as profile:
        browser = _browser(profile)
        wait = WebDriverWait(browser, 20)
        try:
            browser.get(url)
            browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "who")))
            seen["home"] = browser.find_element(By.TAG_NAME, "body").text
            nav = browser.find_element(By.TAG_NAME, "nav")
            seen["nav colour"] = nav.value_of_css_property("background-color")
            _follow(browser, wait, By.LINK_TEXT, "Kế hoạch và các hạn")
            wait.until(expected_conditions.presence_of_element_located((By.TAG_NAME, "table")))
            seen["plan"] = browser.find_element(By.TAG_NAME, "body").text
            _follow(browser, wait, By.CSS_SELECTOR, "form.signout button")
            wait.until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Đã"))
            seen["signed out"] = browser.find_element(By.TAG_NAME, "body").text
            browser.get(home)
            seen["after"] = browser.find_element(By.TAG_NAME, "body").text
            return seen
        finally:
            browser.quit()


async def test_sign_in_see_home_and_sign_out_in_chromium(
    bot: Harness, telegram: FakeTelegram
) -> None:
    member = telegram.user(8101, "Lường Thị Mai")
    await register(bot.app, member, "DBP", Role.MEMBER)
    [url] = SIGNIN.findall((await member.ask("/web")).text)
    home = f"{bot.app.services.web_url}/web/"

    seen = await asyncio.to_thread(_visit, url, home)

    assert "Lường Thị Mai" in seen["home"] and "Thành phố Điện Biên Phủ (DBP)" in seen["home"]
    assert seen["nav colour"] in ("rgb(11, 107, 203)", "rgba(11, 107, 203, 1)")
    assert "Trưởng Cụm" in seen["plan"] and "30/12/2022" in seen["plan"]
    assert "Anh/chị đã đăng xuất" in seen["signed out"]
    assert "Vui lòng đăng nhập" in seen["after"] and "Lường Thị Mai" not in seen["after"]
