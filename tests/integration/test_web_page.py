"""The web page in headless Chromium: served by a real uvicorn, a typed query shows the seed article."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import httpx
import pytest

from pipeline.api.server import ApiServer
from pipeline.index.setup import teardown
from tests.integration.seed_article import SEED_TITLE, filler_article, seed_article
from tests.integration.test_api import index_articles

pytestmark = pytest.mark.integration

CHROMEDRIVER = "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(settings, es):
    index_articles(settings, [seed_article()] + [filler_article(n) for n in range(5)])
    port = _free_port()
    stop = threading.Event()
    api = ApiServer(settings, host="127.0.0.1", port=port)
    thread = threading.Thread(target=api.run, args=(stop,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield base
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the API server did not stop"
    teardown(es, settings)


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not shutil.which(CHROMEDRIVER):
        pytest.skip("chromedriver not installed")
    options = webdriver.ChromeOptions()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chrome'}"):
        options.add_argument(flag)
    if shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_typing_a_query_shows_the_seed_article(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("Loukachenko", Keys.ENTER)
    wait = WebDriverWait(browser, 30)
    wait.until(ec.text_to_be_present_in_element((By.ID, "results"), "Vladimir Poutine promet"))
    results = browser.find_elements(By.CSS_SELECTOR, "#results .result")
    assert len(results) == 1
    first = results[0]
    assert first.find_element(By.CSS_SELECTOR, ".title").text == SEED_TITLE
    assert first.find_elements(By.TAG_NAME, "mark"), "no highlighted snippet"
    assert "Alexandre Loukachenko" in first.find_element(By.CSS_SELECTOR, ".chips").text
    assert "livraisons d'armes mutuelles" in first.find_element(By.CSS_SELECTOR, ".quotes").text
    # The trends chart is drawn from /entities/top as inline SVG.
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#chart svg rect"))
    assert "Harbour Council" in browser.find_element(By.ID, "chart").get_attribute("innerHTML")
    # A silly query gives a message, not a broken page.
    box.clear()
    box.send_keys("x" * 499 + '"((', Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, "status").text.endswith("articles"))
