"""Browser tests: Playwright drives Debian's Chromium against the live server.

No browser is downloaded: Playwright launches the system's Chromium, its headless shell
(Debian's `chromium-headless-shell`, the build Playwright itself runs headless) when it is there.
The same pages load about a fifth faster in it than in the whole browser run headless.
"""

import os
import shutil
import weakref
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext

from tests.conftest import signed_in_client

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or next(
        filter(
            None, map(shutil.which, ["chromium-headless-shell", "chromium", "chromium-browser"])
        ),
        None,
    )
    if not path:
        pytest.fail(
            "Chromium is missing: make test installs Debian's 'chromium-headless-shell' package."
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # expect(...) waits as long as any other step (its own default is 5 s): a busy CI
    # machine may take longer than that to load a page, never 15 s.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(user=None):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        if user is not None:
            client = signed_in_client(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# Only the violations come back, as what the report prints: the whole result (every check that
# passed, with its nodes) was ~100 kB a page to build and carry over the DevTools protocol, a third
# of the time axe took. `resultTypes` is axe's own option for this: the other result types keep one
# node each, the violations all of theirs.
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(violation => ({
    id: violation.id,
    impact: violation.impact,
    targets: violation.nodes.slice(0, 3).map(node => node.target),
  })))"""
_axe_ahead: "weakref.WeakSet[BrowserContext]" = weakref.WeakSet()


def axe_violations(page) -> list[str]:
    """Run axe-core on the page as it stands; return one line per WCAG 2.2 A/AA violation."""
    # Evaluated through the DevTools protocol: a <script> tag would break the page's
    # Content Security Policy, which allows no inline script. Once a context has run axe, every
    # later page of it gets axe as it loads (an init script, sent once, not per page).
    # A page still navigating has no document to check; the caller waits for the new page's
    # content first, and this waits for its load as well.
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    if page.context not in _axe_ahead:
        page.context.add_init_script(path=AXE_JS)
        _axe_ahead.add(page.context)
    lines = []
    for violation in page.evaluate(AXE_RUN, WCAG_TAGS):
        targets = ", ".join(str(target) for target in violation["targets"])
        lines.append(f"{page.url}: {violation['id']} ({violation['impact']}): {targets}")
    return lines
