"""The upload page in a real browser: headless Chromium (Debian's package, driven by Selenium
through Debian's chromedriver) opens an upload link, attaches a file and submits; the receipt
arrives in chat and the used link is refused."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from bot.usecases.one_time_links import upload_url
from tests.documents import pdf_bytes
from tests.harness import Harness
from tests.people import register


def _browser(profile: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def _upload_in_browser(url: str, document: Path) -> tuple[str, str]:
    """Open the link, attach the file, submit; then open the link again. Returns both texts."""
    with tempfile.TemporaryDirectory() as profile:
        browser = _browser(profile)
        try:
            browser.get(url)
            browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(document))
            browser.find_element(By.NAME, "note").send_keys("Gửi qua trình duyệt")
            browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            WebDriverWait(browser, 20).until(
                expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Đã nhận")
            )
            done = browser.find_element(By.TAG_NAME, "body").text
            browser.get(url)
            again = browser.find_element(By.TAG_NAME, "body").text
            return done, again
        finally:
            browser.quit()


async def test_upload_page_in_chromium(
    bot: Harness, telegram: FakeTelegram, tmp_path: Path
) -> None:
    member = telegram.user(8001, "Quàng Văn Bình")
    await register(bot.app, member, "DB", Role.MEMBER)
    services = bot.app.services
    actor = await services.officers.actor("telegram", "8001", services.clock.now())
    assert actor is not None
    url = await upload_url(services, actor.officer_id, "bc-6-thang", "telegram", "8001")
    document = tmp_path / "bao-cao-6-thang.pdf"
    document.write_bytes(pdf_bytes(2))

    done, again = await asyncio.to_thread(_upload_in_browser, url, document)

    assert "BIÊN NHẬN" in done and "bao-cao-6-thang.pdf" in done
    assert "Đường dẫn này đã được dùng" in again
    receipt = await member.next_message()
    assert receipt.text.startswith("BIÊN NHẬN") and "Huyện Điện Biên (DB)" in receipt.text
    [submission] = await services.submissions.history("bc-6-thang", "DB")
    assert submission.note == "Gửi qua trình duyệt"
