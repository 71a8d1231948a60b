"""The report as a person sees it: opened in headless Chromium (Debian's chromium and
chromium-driver through python3-selenium), with no console error and no request beyond the
file itself, every chart and table drawn with the file's numbers, readable at a phone's
width and printed to A4. Screenshots and the PDF are left in the build folder."""
import base64
import json
import os
import re

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from conftest import SOURCE, tipsim_json

SHOTS = os.path.join(os.environ.get("TIPSIM_BUILD_DIR", os.path.join(SOURCE, "build")),
                     "report_check")


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(browser, report_path):
    os.makedirs(SHOTS, exist_ok=True)
    browser.set_window_size(1200, 900)
    browser.get(report_path.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    return browser


def requests(browser):
    out = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            out.append(message["params"]["request"]["url"])
    return out


def test_no_console_error_and_no_request_but_the_file(page, report_path):
    errors = [e for e in page.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    assert set(requests(page)) <= {report_path.as_uri()}


def test_every_chart_is_drawn(page):
    charts = page.find_elements(By.CSS_SELECTOR, "figure svg[role=img]")
    assert len(charts) >= 10
    for chart in charts:
        box = chart.rect
        assert box["width"] > 200 and box["height"] > 100, chart.get_attribute("aria-label")
    captions = page.find_elements(By.TAG_NAME, "figcaption")
    assert len(captions) == len(charts)
    page.save_screenshot(os.path.join(SHOTS, "desktop.png"))


def test_headline_and_ranked_table_show_the_compare_numbers(page, files):
    doc = tipsim_json("compare", files["ensemble"], "--base", "no_programme", "--from",
                      "2021-01-01", "--to", "2025-12-31", "--json")
    c = doc["comparisons"][0]["indicators"]["totals.victims_removed"]
    headline = page.find_element(By.CSS_SELECTOR, ".headline").text
    assert f"removed {c['mean']:,.0f} more victims than no_programme" in headline
    ce = {r["scenario"]: r for r in doc["cost_effectiveness"]}
    table = page.find_elements(By.TAG_NAME, "table")[0]
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    first = rows[0]
    assert first[0] == "kedougou"
    assert first[1] == f"{ce['kedougou']['victims_removed']:,.0f}"
    assert first[2] == f"+{c['mean']:,.0f}"
    assert first[-1] == ce["kedougou"]["by_victims_removed"]["status"].replace("_", " ")
    assert rows[-1][0] == "no_programme (base)"


def test_readable_at_a_phones_width(page):
    page.set_window_size(390, 844)
    # Nothing wider than the screen but the tables, which scroll inside their own box.
    overflow = page.execute_script("""
        const w = document.documentElement.clientWidth;
        return [...document.body.querySelectorAll('h1,h2,p,figure,svg')]
          .filter(e => e.getBoundingClientRect().right > w + 1).length;""")
    assert overflow == 0
    assert page.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.save_screenshot(os.path.join(SHOTS, "phone.png"))
    page.set_window_size(1200, 900)


def test_prints_to_a4(page):
    pdf = page.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69,
                                                   "preferCSSPageSize": True,
                                                   "printBackground": True})
    data = base64.b64decode(pdf["data"])
    with open(os.path.join(SHOTS, "report_a4.pdf"), "wb") as f:
        f.write(data)
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert 2 <= pages <= 60, pages
    # At A4's printable width (210 mm less 2 x 14 mm margins, 688 CSS pixels) in print
    # media, nothing overflows the page.
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    page.set_window_size(688, 1000)
    try:
        assert page.execute_script(
            "return document.documentElement.scrollWidth <= "
            "document.documentElement.clientWidth + 1")
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        page.set_window_size(1200, 900)
