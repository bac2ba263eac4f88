"""feeds.html in a real headless browser: Debian's chromium, driven by Playwright.

The page must load without a console error, link every feed file once (each
link resolving to a file in the output), keep untrusted names as text, and
its filter must narrow the list; without JavaScript the whole list shows.
Screenshots go to pytest's temporary folder, never into the repository.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from feeds.builder import build
from feeds.config import load_config

from ..conftest import DATA

BLOG = DATA / "listing-blog"
HOSTILE = "<img src=x onerror=alert(1)>"  # a category name, as tests/data/listing-blog/hostile.md has it
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser_path() -> str | None:
    named = os.environ.get("FEEDS_CHROMIUM")
    return named or next((found for name in BROWSERS if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = _browser_path()
    if path is None:
        pytest.skip(f"no browser installed (looked for {', '.join(BROWSERS)} and $FEEDS_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium's sandbox refuses to run as root
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=args)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("index")
    (tmp / "config.yaml").write_text(
        f"site:\n  title: Field <Notes> & Co\n  url: https://blog.example.org/\n  language: fr\n"
        f'  description: A "test" site\nsource: {BLOG}\noutput: out\ncache: cache\n',
        encoding="utf-8",
    )
    build(load_config(tmp / "config.yaml"))
    return tmp / "out"


def open_page(browser: object, out: Path, problems: list[str], **context: object) -> object:
    page = browser.new_context(**context).new_page()  # type: ignore[attr-defined]
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith("file:") else problems.append(f"outside: {r.url}"))
    page.add_init_script("window.alert = function () { window.__alerted = true; };")
    page.goto((out / "feeds.html").as_uri())
    return page


def feed_files(out: Path) -> set[Path]:
    return set(out.rglob("*.xml"))


def visible_names(page: object) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined, no-any-return]
        "main li",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.querySelector('.name').textContent)",
    )


def test_the_page_loads_cleanly_and_links_every_feed_once(
    browser: object, site: Path, tmp_path: Path
) -> None:
    problems: list[str] = []
    page = open_page(browser, site, problems)
    hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.href)")  # type: ignore[attr-defined]
    targets = [Path(unquote(urlsplit(h).path)) for h in hrefs]
    assert all(urlsplit(h).scheme == "file" for h in hrefs)
    assert all(t.is_file() and t.is_relative_to(site) for t in targets), [
        t for t in targets if not t.is_file()
    ]
    assert len(targets) == len(set(targets)) == len(feed_files(site)) == 18  # one link per feed file
    assert set(targets) == feed_files(site)
    every = page.eval_on_selector_all("a", "els => els.map(e => e.href)")  # type: ignore[attr-defined]
    [opml] = set(every) - set(hrefs)  # besides the feeds, one link: the whole list to import
    assert Path(unquote(urlsplit(opml).path)) == site / "feeds.opml"
    head = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "head link[rel=alternate]", "els => els.map(e => [e.type, e.href])"
    )
    assert sorted((t, Path(unquote(urlsplit(h).path))) for t, h in head) == [
        ("application/atom+xml", site / "atom.xml"),
        ("application/rss+xml", site / "rss.xml"),
    ]
    assert page.title() == "Field <Notes> & Co · feeds"  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.lang") == "fr"  # type: ignore[attr-defined]
    assert HOSTILE in visible_names(page)  # shown as text ...
    assert page.evaluate("window.__alerted") is None  # type: ignore[attr-defined]  # ... never run
    assert page.locator("main li", has_text="Python").first.inner_text().count("1 post") == 1  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "feeds.png"), full_page=True)  # type: ignore[attr-defined]
    assert not problems, problems


def test_the_filter_narrows_the_list(browser: object, site: Path) -> None:
    problems: list[str] = []
    page = open_page(browser, site, problems)
    everything = visible_names(page)
    assert len(everything) == 9
    assert page.is_visible("#filter")  # type: ignore[attr-defined]
    page.fill("#filter", "python")  # type: ignore[attr-defined]
    assert visible_names(page) == ["Tech", "Python"]  # the match, and its parent so the tree still reads
    assert page.inner_text("#shown") == "1 of 9 feeds"  # type: ignore[attr-defined]
    page.fill("#filter", "TRAVEL")  # type: ignore[attr-defined]
    assert visible_names(page) == ["Life", "Travel"]
    page.fill("#filter", "<img")  # type: ignore[attr-defined]
    assert HOSTILE in visible_names(page) and len(visible_names(page)) == 2
    page.fill("#filter", "no such feed")  # type: ignore[attr-defined]
    assert visible_names(page) == []
    page.fill("#filter", "")  # type: ignore[attr-defined]
    assert visible_names(page) == everything
    assert not problems, problems


def test_without_javascript_every_feed_shows(browser: object, site: Path) -> None:
    problems: list[str] = []
    page = open_page(browser, site, problems, java_script_enabled=False)
    assert not page.is_visible("#filter")  # type: ignore[attr-defined]  # a box that would do nothing
    assert len(visible_names(page)) == 9
    assert page.eval_on_selector_all("main a", "els => els.length") == 18  # type: ignore[attr-defined]
    assert not problems, problems


def test_readable_on_a_phone_and_printable(browser: object, site: Path, tmp_path: Path) -> None:
    problems: list[str] = []
    page = open_page(browser, site, problems, viewport={"width": 360, "height": 640}, is_mobile=True)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")  # type: ignore[attr-defined]
    assert width[0] <= width[1], width  # nothing wider than the screen
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    assert not page.is_visible("#filter")  # type: ignore[attr-defined]
    assert not problems, problems


def test_the_page_is_plain_and_self_contained(site: Path, make_config: Callable[..., Path]) -> None:
    data = (site / "feeds.html").read_text(encoding="utf-8")
    assert "http://" not in data.replace('data-url="https://', "")
    assert "<img" not in data and "&lt;img src=x onerror=alert(1)&gt;" in data
    assert 'src="' not in data and "@import" not in data and "url(" not in data
