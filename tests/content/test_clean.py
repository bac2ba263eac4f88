"""The cleaner's set-up: what it knows ahead so that a small build loads less."""

from __future__ import annotations

import pytest

from feeds.config import ContentConfig, FeedsConfig
from feeds.content import fragment
from feeds.content.clean import Cleaner


def test_the_default_selectors_known_ahead_are_cssselects_own() -> None:
    """A build that cleans a post or two skips loading cssselect for the default selectors: their
    translations, written out, must be what cssselect gives (and cover every default)."""
    from cssselect import HTMLTranslator

    from feeds.config.model import DEFAULT_REMOVE
    from feeds.content.clean import KNOWN_NEEDS, KNOWN_SELECTORS

    assert set(DEFAULT_REMOVE) <= set(KNOWN_SELECTORS) and set(DEFAULT_REMOVE) <= set(KNOWN_NEEDS)
    for selector, path in KNOWN_SELECTORS.items():
        assert HTMLTranslator().css_to_xpath(selector) == path


@pytest.mark.parametrize(
    "markup",
    [
        '<div id="recommend_bottom">ad</div>',
        '<div id="recommend&#95;bottom">ad</div>',
        '<div id="recommend&lowbar;bottom">ad</div>',
        "<p>分享<b>让</b>更多人看到</p>",
        "<p>&#20998;享让更多人看到</p>",
        '<table><tr><td class="gutter">1</td><td>code</td></tr></table>',
        '<pre><span class="line-numbers-rows"><span></span></span>x</pre>',
    ],
)
def test_the_default_selectors_still_find_their_furniture(markup: str) -> None:
    """Skipping the query for bodies that cannot match never skips one that does: references and
    markup inside the words included."""
    cleaner = Cleaner(ContentConfig(), FeedsConfig())
    assert cleaner._may_match(markup)
    assert cleaner.remove is not None and cleaner.remove(fragment.body(markup))


def test_a_body_without_the_words_skips_the_query() -> None:
    cleaner = Cleaner(ContentConfig(), FeedsConfig())
    assert not cleaner._may_match("<p>Plain words, nothing to remove.</p>")
    custom = Cleaner(ContentConfig(remove=("p.ad",)), FeedsConfig())  # unknown: always queried
    assert custom._may_match("<p>Plain words</p>")
