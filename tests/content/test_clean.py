"""The cleaner's set-up: what it knows ahead so that a small build loads less."""

from __future__ import annotations


def test_the_default_selectors_known_ahead_are_cssselects_own() -> None:
    """A build that cleans a post or two skips loading cssselect for the default selectors: their
    translations, written out, must be what cssselect gives (and cover every default)."""
    from cssselect import HTMLTranslator

    from feeds.config.model import DEFAULT_REMOVE
    from feeds.content.clean import KNOWN_SELECTORS

    assert set(DEFAULT_REMOVE) <= set(KNOWN_SELECTORS)
    for selector, path in KNOWN_SELECTORS.items():
        assert HTMLTranslator().css_to_xpath(selector) == path
