"""The board's pages in a real browser (headless Chromium through Selenium, as the upload page's
test): the province's board signs in by the link, walks the overview, a cluster's matrix, a
unit's page and the ranking, and downloads the workbook; an officer uploads a report on the
pages, is refused another cluster's matrix and a form stripped of its CSRF token, and signs
out; an officer sends the filled score form on the pages and is answered in chat."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from bot.domain.access import Role
from bot.domain.formatting import number
from bot.domain.score_sheet import SheetEntries
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser
from bot.i18n import translator
from bot.outputs.score_form import score_form
from bot.services.container import Services
from bot.usecases import ranking, score_lock, self_scoring
from tests.clusters import add_highland
from tests.documents import pdf_bytes
from tests.e2e.test_upload_page_browser import _browser
from tests.harness import Harness
from tests.people import register
from tests.score_forms import fill_form
from tests.web_signin import SIGNIN


def _body(browser: WebDriver) -> str:
    return browser.find_element(By.TAG_NAME, "body").text


def _sign_in(browser: WebDriver, url: str) -> WebDriverWait[WebDriver]:
    wait = WebDriverWait(browser, 20)
    browser.get(url)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "who")))
    return wait


def _board_walk(url: str, downloads: Path) -> dict[str, str]:
    """Overview → the cluster → a unit → the ranking → its workbook."""
    seen: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as profile:
        browser = _browser(profile)
        browser.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        try:
            wait = _sign_in(browser, url)
            browser.find_element(By.LINK_TEXT, "Tổng quan toàn tỉnh").click()
            wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "overview")))
            seen["overview"] = _body(browser)
            browser.find_element(By.LINK_TEXT, "Cụm thi đua vùng thấp").click()
            wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "matrix")))
            seen["matrix"] = _body(browser)
            browser.find_element(By.LINK_TEXT, "Huyện Mường Ảng").click()
            wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "report")))
            seen["unit"] = _body(browser)
            browser.find_element(By.LINK_TEXT, "Quay lại tiến độ báo cáo").click()
            wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "matrix")))
            browser.find_element(By.LINK_TEXT, "Xếp hạng").click()
            wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "ranking")))
            seen["ranking"] = _body(browser)
            chart = browser.find_element(By.CSS_SELECTOR, "img.chart")
            seen["chart width"] = str(chart.get_property("naturalWidth"))
            browser.find_element(By.CSS_SELECTOR, "a.download").click()
            wait.until(lambda _browser: list(downloads.glob("*.xlsx")))  # written by the browser
            return seen
        finally:
            browser.quit()


def _officer_walk(url: str, document: Path, elsewhere: str) -> dict[str, str]:
    """Upload a report, open another cluster's matrix, post a form without its token, sign out."""
    seen: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as profile:
        browser = _browser(profile)
        try:
            wait = _sign_in(browser, url)
            home = browser.current_url
            browser.find_element(By.LINK_TEXT, "Nộp báo cáo").click()
            browser.find_element(By.PARTIAL_LINK_TEXT, "6 tháng").click()
            browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(document))
            browser.find_element(By.NAME, "note").send_keys("Nộp trên trang web")
            browser.find_element(By.CSS_SELECTOR, "form.upload button").click()
            wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "receipt")))
            seen["received"] = _body(browser)
            browser.get(elsewhere)
            seen["elsewhere"] = _body(browser)
            browser.get(home)
            wait.until(expected_conditions.presence_of_element_located((By.CLASS_NAME, "who")))
            browser.execute_script(  # what a forged form would post: no token (in one step)
                "const form = document.querySelector('form.signout');"
                "form.querySelector('input[name=csrf]').remove(); form.submit();"
            )
            wait.until(
                expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Biểu")
            )
            seen["forged"] = _body(browser)
            browser.get(home)
            seen["still in"] = _body(browser)
            browser.find_element(By.CSS_SELECTOR, "form.signout button").click()
            wait.until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Đã"))
            browser.get(home)
            seen["after"] = _body(browser)
            return seen
        finally:
            browser.quit()


async def _published_ranking(services: Services) -> None:
    """Mường Ảng's self-score sent, the scores locked and the ranking published."""
    now = services.clock.now()
    member = await services.officers.actor("telegram", "8201", now)
    chair = await services.officers.actor("telegram", "8200", now)
    assert member is not None and chair is not None
    table = services.cluster_year.scoring
    assert table is not None
    entries = SheetEntries()
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 1.0, criterion.max)
    await self_scoring.send(services, member, entries)
    assert await score_lock.lock(services, chair, "hội nghị tổ chức sớm") is True
    await ranking.publish(services, chair)


async def test_the_board_walks_the_pages_and_an_officer_uploads_in_chromium(
    bot: Harness, telegram: FakeTelegram, tmp_path: Path
) -> None:
    services = bot.app.services
    assert services is not None
    highland = await add_highland(services)
    await register(bot.app, telegram.user(8200, "Vũ Văn Đức"), "TG", Role.CHAIR)
    officer = telegram.user(8201, "Lò Thị Hằng")
    await register(bot.app, officer, "MA", Role.MEMBER)
    board = telegram.user(8209, "Ban Thi đua tỉnh")
    await register(bot.app, board, None, Role.PROVINCE, "Điện Biên")
    await _published_ranking(services)
    document = tmp_path / "bao-cao-6-thang.pdf"
    document.write_bytes(pdf_bytes(2))
    elsewhere = f"{services.web_url}/web/c/{highland.year.cluster_id}/status"

    async def link(user: FakeTelegramUser) -> str:
        user.send("/web")
        while True:  # past the notices that came before the answer
            found = SIGNIN.findall((await user.next_message()).text)
            if found:
                return found[0]

    officer_seen = await asyncio.to_thread(_officer_walk, await link(officer), document, elsewhere)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    board_seen = await asyncio.to_thread(_board_walk, await link(board), downloads)

    assert (
        "BIÊN NHẬN" in officer_seen["received"]
        and "bao-cao-6-thang.pdf" in officer_seen["received"]
    )
    assert "không mở cho anh/chị" in officer_seen["elsewhere"]
    assert "Biểu mẫu không được chấp nhận" in officer_seen["forged"]
    assert "Lò Thị Hằng" in officer_seen["still in"]  # the forged form changed nothing
    assert "Vui lòng đăng nhập" in officer_seen["after"]
    assert "Cụm thi đua vùng cao" in board_seen["overview"]
    assert "Thị xã Mường Lay" in board_seen["matrix"] and "Tỷ lệ hoàn thành" in board_seen["matrix"]
    assert (
        "bao-cao-6-thang.pdf" in board_seen["unit"] and "Nộp trên trang web" in board_seen["unit"]
    )
    assert "Huyện Mường Ảng" in board_seen["ranking"] and int(board_seen["chart width"]) > 100
    [book] = downloads.glob("*.xlsx")
    assert book.name == "xep-hang-2022.xlsx"
    assert load_workbook(book)["Tổng hợp"]["B3"].value == "Huyện Mường Ảng"


def _score_form_walk(url: str, form: Path) -> str:
    """From the uploads page to the score form's, and the filled form sent."""
    with tempfile.TemporaryDirectory() as profile:
        browser = _browser(profile)
        try:
            wait = _sign_in(browser, url)
            browser.find_element(By.LINK_TEXT, "Nộp báo cáo").click()
            browser.find_element(By.LINK_TEXT, "Gửi phiếu tự chấm điểm").click()
            browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(form))
            browser.find_element(By.CSS_SELECTOR, "form.upload button").click()
            wait.until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Đã"))
            return _body(browser)
        finally:
            browser.quit()


async def test_an_officer_sends_the_score_form_in_chromium(
    bot: Harness, telegram: FakeTelegram, tmp_path: Path
) -> None:
    services = bot.app.services
    assert services is not None
    officer = telegram.user(8301, "Lò Thị Hằng")
    await register(bot.app, officer, "MA", Role.MEMBER)
    table = services.cluster_year.scoring
    assert table is not None
    cluster = services.cluster_year.cluster
    blank = score_form(table, cluster.name, "Huyện Mường Ảng", 2022, None, translator("vi"), "vi")
    filled, total = fill_form(blank, table)
    form = tmp_path / "phieu-tu-cham.xlsx"
    form.write_bytes(filled)
    officer.send("/web")
    url = SIGNIN.findall((await officer.next_message()).text)[0]
    seen = await asyncio.to_thread(_score_form_walk, url, form)
    assert "Đã nhận phiếu tự chấm điểm" in seen
    answer = await officer.next_message()
    assert number(total, "vi") in answer.text
