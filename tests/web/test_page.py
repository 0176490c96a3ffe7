"""The web page in a real browser (Debian's chromium, headless, driven by Playwright)
against a real server and worker: upload, live progress, click-to-play, rename, search."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from minutes.config import Settings
from tests.api.conftest import serve
from tests.conftest import REPO, background_worker

SAMPLE = REPO / "samples" / "team-sync.flac"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"


def test_upload_follow_play_rename_and_search(settings: Settings) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(settings) as api, background_worker(settings), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(api.url)
        page.fill("#api-key", api.key())
        page.click("#key-form button")

        page.set_input_files("#file", str(SAMPLE))
        item = page.locator("#meetings li").first
        expect(item).to_contain_text("team-sync", timeout=30_000)
        expect(item.locator(".status")).to_have_text("completed", timeout=240_000)

        line = page.locator("#transcript .line", has_text="cheaper vendor")
        expect(line).to_be_visible(timeout=30_000)
        start = float(line.get_attribute("data-start") or "nan")
        expect(page.locator("#actions")).to_contain_text("contract")
        line.click()
        page.wait_for_function(
            f"Math.abs(document.getElementById('player').currentTime - {start}) < 1.5",
            timeout=30_000,
        )
        assert page.evaluate("document.getElementById('player').duration") > 50

        page.once("dialog", lambda dialog: dialog.accept("Ana Ruiz"))
        page.locator("#speakers button").first.click()
        expect(page.locator("#transcript")).to_contain_text("Ana Ruiz", timeout=30_000)

        page.fill("#search", "who sends the agreement to the lawyers")
        page.press("#search", "Enter")
        hit = page.locator("#results .hit").first
        expect(hit).to_contain_text("contract", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "web-search.png"), full_page=True)
        hit.click()
        expect(page.locator("#meeting")).to_be_visible()
        page.wait_for_function("document.getElementById('player').currentTime > 20", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "web-meeting.png"), full_page=True)
        browser.close()
    assert Path(ARTIFACTS / "web-meeting.png").stat().st_size > 10_000
