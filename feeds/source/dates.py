"""Turn the many ways Hexo posts write a date into one aware datetime.

The corpus has RFC 822 (``Mon, 11 Oct 2021 01:07:41 GMT``), Hexo's
``YYYY-MM-DD HH:mm:ss`` (which YAML already turns into a naive datetime),
ISO 8601 with and without offset, and JavaScript's ``Invalid Date``.  A naive
time means the site's own time zone, as it does in Hexo.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

_DEFAULTS = (datetime(2001, 2, 3), datetime(2002, 3, 4))
# A three-digit offset (`+900`), which JavaScript's Date (and so Hexo) reads as +09:00 and dateutil refuses.
_SHORT_OFFSET = re.compile(r"([+-])(\d)(\d\d)$")
_UNPARSEABLE = {"", "invalid date", "nan", "null", "none", "undefined"}


def parse_date(value: object, tz: tzinfo) -> datetime | None:
    """An aware datetime (microseconds dropped), or None when ``value`` holds no date."""
    result: datetime | None
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        result = _from_timestamp(float(value))
    elif isinstance(value, str):
        text = value.strip()
        result = None if text.lower() in _UNPARSEABLE else _parse_text(text)
    else:
        result = None
    if result is None:
        return None
    if result.tzinfo is None or result.utcoffset() is None:
        result = result.replace(tzinfo=tz)
    if not 1 < result.year < 9998:  # only at the ends of the calendar can a zone push a date off it
        try:
            result.astimezone(UTC)  # year 1 at +05:00 is year 0 in UTC: no such date
        except (OverflowError, ValueError):
            return None
        if not 1 <= result.year <= 9998:
            return None
    return result.replace(microsecond=0) if result.microsecond else result


def _from_timestamp(seconds: float) -> datetime | None:
    """Epoch seconds or, when too large for that, epoch milliseconds (as JavaScript writes them)."""
    if seconds > 1e11:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _parse_text(text: str) -> datetime | None:
    """The fast standard parsers first; dateutil for the rest, refusing partial dates.

    dateutil fills what a string lacks from "today", which would make a post's
    date change from run to run; parsing with two different defaults and
    comparing shows whether the string really named year, month and day.
    """
    if text[:3].isalpha() and "," in text[:5]:  # RFC 822 first: most scraped posts have it
        from email.utils import parsedate_to_datetime  # 3 ms to load, for the posts that need it

        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            pass
        else:  # RFC 5322 "-0000" means UTC with no local zone known
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    from dateutil import parser as dateparser  # only the rare formats the standard library cannot read

    text = _SHORT_OFFSET.sub(r"\g<1>0\2\3", text)
    try:
        first, second = (dateparser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        return None
    return first
