"""Sign in and out in a real Chromium against ``python app.py`` in password mode.

The navbar's "Sign out" link shows a page whose button POSTs the form token; the filters asked
for before signing in survive the detour through /login.
"""

from __future__ import annotations

import os
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.server.conftest import PASSWORDS, SECRET, launch, stop, write_users

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    options = Options()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--window-size=1200,900"):  # fmt: skip
        options.add_argument(flag)
    options.binary_location = os.environ.get("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")
    driver = webdriver.Chrome(options=options)
    yield driver
    driver.quit()


def wait_for_path(driver, path: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.current_url.split(":", 2)[-1].split("/", 1)[-1] == path.lstrip("/"):
            return
        time.sleep(0.1)
    raise AssertionError(f"still on {driver.current_url}, expected {path}")


def test_sign_in_keeps_the_filters_and_sign_out_ends_the_session(browser, tmp_path):
    users = write_users(tmp_path / "users.toml")
    server = launch("werkzeug", tmp_path, auth="password", users=str(users), secret_key=SECRET,
                    secure_cookies="false")  # fmt: skip
    try:
        base = f"http://127.0.0.1:{server.port}"
        browser.get(base + "/capacity?division=Finance&division=Sales&as_of=2026-11-01")
        wait_for_path(browser, "/login?next=%2Fcapacity%3Fdivision%3DFinance%26division%3DSales"
                      "%26as_of%3D2026-11-01")  # fmt: skip
        browser.find_element(By.ID, "user").send_keys("alice")
        browser.find_element(By.ID, "password").send_keys(PASSWORDS["alice"])
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for_path(browser, "/capacity?division=Finance&division=Sales&as_of=2026-11-01")
        cookie = browser.get_cookie("pmo_session")
        assert cookie and cookie["httpOnly"]
        link = WebDriverWait(browser, 20).until(  # the navbar's link, once Dash has drawn it
            expected_conditions.element_to_be_clickable((By.LINK_TEXT, "Sign out (alice)"))
        )
        link.click()
        wait_for_path(browser, "/logout")
        browser.save_screenshot(str(tmp_path / "logout.png"))
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for_path(browser, "/login")
        copied = f"pmo_session={cookie['value']}"
        assert server.request("GET", "/_dash-layout", headers={"Cookie": copied}).status == 401
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        stop(server)
