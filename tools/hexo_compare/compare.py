#!/usr/bin/env python3
"""Compare what `feeds build` writes for a Hexo blog with what Hexo itself publishes.

    python tools/hexo_compare/compare.py BLOG_DIR [--keep DIR] [--json] [--hexo-mode]

Builds BLOG_DIR (a folder with _config.yml and source/_posts) twice, never writing into it:
with Hexo 8 (on a scratch copy, theme switched off) and with feeds (a config.yaml mirroring
the blog's _config.yml, or `feeds build --hexo` with --hexo-mode). Posts are matched by link,
then by title and date, and each field is compared. See README.md beside this file.
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

sys.path.insert(0, str(Path(__file__).resolve().parent))

import feeds_side
import hexo_side

FIELDS = ("title", "link", "id", "published", "updated", "categories", "tags", "terms", "text")
FIELD_NOTES = {
    "categories": "category paths (every level) vs the category feeds that list the entry",
    "tags": "every Hexo tag is an Atom <category term>",
    "terms": "all Atom <category term>s vs Hexo's category names (every level) and tags",
    "text": "visible text of the rendered body, whitespace collapsed",
}
EXAMPLES = 5

# ---------------------------------------------------------------- visible text

_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "img",
    "iframe",
    "video",
    "audio",
}
# code-block line numbers
_GUTTERS = {"gutter", "line-numbers-rows"}
# annotation: a formula's TeX, which MathML keeps and no browser shows
_HIDDEN = {"script", "style", "noscript", "template", "head", "title", "annotation"}
_VOID = {
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "source",
    "wbr",
    "area",
    "base",
    "col",
    "embed",
    "param",
    "track",
}


def visible_text(html: str) -> str:
    """Text a reader sees: no script/style, and code-block line-number gutters left out."""
    if not html or not html.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return collapse(re.sub(r"<[^>]*>", " ", html))
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_HIDDEN, with_tail=False)
    _plain_math_text(root)
    parts: list[str] = []
    hidden = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        hides = bool(_GUTTERS & set((el.get("class") or "").split()))
        if event == "start":
            if tag in _BLOCK:
                parts.append(" ")
            hidden += hides
            if not hidden and el.text:
                parts.append(el.text)
        else:
            hidden -= hides
            if tag in _BLOCK:
                parts.append(" ")
            if not hidden and el.tail:
                parts.append(el.tail)
    return collapse("".join(parts))


def _plain_math_text(root: Any) -> None:
    """A formula's text as its characters, both sides alike. A styled letter is a character of its own in
    feeds' MathML (ℝ, as MathML Core has it) and a plain letter with ``mathvariant="double-struck"`` in
    KaTeX's: both read as the plain letter (NFKC, which also composes a sign and its combining slash,
    ≮). Spacing (a space in ``mtext``, an ``mspace``) and the invisible operators (U+2061 function
    application after ``cos``, invisible times) are layout, not text: they go."""
    for math in root.iter("math", "{*}math"):
        for el in math.iter():
            if el.text:
                el.text = _math_chars(el.text)
            if el is not math and el.tail:
                el.tail = _math_chars(el.tail)


def _math_chars(text: str) -> str:
    return re.sub(r"[\s\u2061-\u2064]", "", unicodedata.normalize("NFKC", text))


_CLEANER: Any = None


def hexo_cleaned(html: str, base: str) -> str:
    """Hexo's rendered HTML as feeds would clean it (feeds' defaults: no iframe host allowed)."""
    global _CLEANER
    if _CLEANER is None:
        from feeds.config import ContentConfig, FeedsConfig
        from feeds.content import Cleaner

        _CLEANER = Cleaner(ContentConfig(), FeedsConfig())
    html = _theme_reading_order(_without_gutters(_katex_as_mathml(html)))
    return str(_CLEANER.clean_html(html, base or "https://example.invalid/"))


# A theme's tabs: a row of captions, then the panes, of which the page shows one at a time.
_TAB_NAVS = {"nav-tabs", "tabs-nav"}  # NexT and Butterfly; Keep
_TAB_PANES = {"tab-content", "tab-contents", "tabs-content"}


def _theme_reading_order(html: str) -> str:
    """Hexo's HTML of a theme's tags as a reader of the page meets it, before its text is compared.

    Tabs: each caption, then its pane (the page shows one pane under the row of captions; its text
    reads captions first, then every pane). A button's words stand apart from the next words, as
    the box on the page sets them. Butterfly's gallery lists its images as JSON text, which the page's
    script turns into images: not text a reader sees. Only Hexo's side is read this way; feeds' own
    output is compared as it is.
    """
    if "tab" not in html and "<button" not in html and "gallery-items" not in html:
        return html
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    for nav in [el for el in root.iter("div", "ul") if _TAB_NAVS & set((el.get("class") or "").split())]:
        panes = next(
            (el for el in nav.itersiblings() if _TAB_PANES & set((el.get("class") or "").split())), None
        )
        if panes is None:
            continue
        captions = [el.text_content().strip() for el in nav]
        for caption, pane in zip(captions, list(panes), strict=False):
            heading = etree.Element("h4")
            heading.text = caption
            pane.addprevious(heading)
        nav.drop_tree()
    for button in list(root.iter("button")):
        button.tail = " " + (button.tail or "")
        button.drop_tag()
    for items in [el for el in root.iter("div") if "gallery-items" in (el.get("class") or "").split()]:
        if (items.text or "").lstrip().startswith("["):
            items.text = ""
    return etree.tostring(root, encoding="unicode", method="html")[5:-6]


def _katex_as_mathml(html: str) -> str:
    """A KaTeX formula as its MathML copy, the form feeds writes formulas in.

    KaTeX writes each formula twice: MathML (which its stylesheet hides) and spans that draw it (which
    screen readers skip). The spans' text follows the drawing (a matrix column by column, a
    superscript's box before the base's), which is no reading of the formula; the MathML copy is, and
    it is what feeds' MathML is compared with, element text against element text (the TeX annotation
    on both sides is left out as hidden). A formula feeds could not convert stays as its TeX in
    ``code``, which then differs from KaTeX's MathML, as it should.
    """
    if "katex-html" not in html:
        return html
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    for el in list(root.iter("span")):
        classes = set((el.get("class") or "").split())
        if "katex-html" in classes:
            el.drop_tree()
        elif classes & {"katex", "katex-mathml", "katex-display"}:
            el.drop_tag()
    for op in [el for el in root.iter("mo") if len(el)]:  # KaTeX's `\tan^{-1}`: <mo><mi>tan</mi>…</mo>,
        op.drop_tag()  # which a parser (the cleaner's) empties; the drawn formula shows "tan"
    return etree.tostring(root, encoding="unicode", method="html")[5:-6]


def _without_gutters(html: str) -> str:
    """Code blocks' line-number gutters go before cleaning, which drops the classes that mark them."""
    if "gutter" not in html and "line-numbers-rows" not in html:
        return html
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    for el in [el for el in root.iter() if _GUTTERS & set((el.get("class") or "").split())]:
        el.drop_tree()
    return etree.tostring(root, encoding="unicode", method="html")[5:-6]


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", _without_zero_width(text)).strip()


_ZERO_WIDTH = re.compile("[\u200b\ufeff]")


def _without_zero_width(text: str) -> str:
    """A zero-width space shows nothing: one side's cleaner may drop a wrapper holding only that (a
    code line of Hexo's highlighter), the other keep it in its code."""
    return _ZERO_WIDTH.sub("", text)


_TYPO = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " "})


def _plain_typography(text: str) -> str:
    text = text.translate(_TYPO).replace("--", "-").replace("---", "-")
    return re.sub(r"-+", "-", text)


# ---------------------------------------------------------------- matching


def norm_link(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(unquote(url).strip())
    path = re.sub(r"(index\.html?|\.html?)$", "", parts.path).rstrip("/")
    return f"{parts.netloc.lower()}{path}"


def norm_title(title: str) -> str:
    return collapse(unicodedata.normalize("NFC", title or "")).casefold()


def match(
    hexo_posts: list[dict], feeds_entries: list[dict]
) -> tuple[list[tuple[dict, dict, str]], list[dict], list[dict]]:
    """Pairs (hexo post, feeds entry, how matched), then the unmatched of each side."""
    by_link: dict[str, list[dict]] = defaultdict(list)
    for e in feeds_entries:
        by_link[norm_link(e["link"])].append(e)
    pairs: list[tuple[dict, dict, str]] = []
    used: set[int] = set()
    rest: list[dict] = []
    for p in hexo_posts:
        candidates = [e for e in by_link.get(norm_link(p["permalink"]), []) if id(e) not in used]
        if candidates:
            used.add(id(candidates[0]))
            pairs.append((p, candidates[0], "link"))
        else:
            rest.append(p)
    by_title_date: dict[tuple[str, int], list[dict]] = defaultdict(list)
    by_title: dict[str, list[dict]] = defaultdict(list)
    for e in feeds_entries:
        if id(e) in used:
            continue
        ts = e.get("published_ts")
        by_title_date[(norm_title(e["title"]), int(ts) if ts is not None else -1)].append(e)
        by_title[norm_title(e["title"])].append(e)
    hexo_only: list[dict] = []
    for p in rest:
        ms = p["date"]["ms"]
        key = (norm_title(p["title"]), int(ms // 1000) if ms is not None else -2)
        candidates = [e for e in by_title_date.get(key, []) if id(e) not in used]
        how = "title+date"
        if not candidates:
            # the same title, only once on each side: the date itself may be what differs
            same = [e for e in by_title.get(key[0], []) if id(e) not in used]
            if len(same) == 1 and sum(norm_title(q["title"]) == key[0] for q in rest) == 1 and key[0]:
                candidates, how = same, "title only"
        if candidates:
            used.add(id(candidates[0]))
            pairs.append((p, candidates[0], how))
        else:
            hexo_only.append(p)
    feeds_only = [e for e in feeds_entries if id(e) not in used]
    return pairs, hexo_only, feeds_only


# ---------------------------------------------------------------- fields


def _iso(ts: float | None) -> str:
    if ts is None:
        return "(none)"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _shift(a: float, b: float) -> str:
    delta = b - a
    hours = delta / 3600
    if abs(delta) >= 60 and abs(hours * 4 - round(hours * 4)) < 1e-6 and abs(hours) <= 14:
        return f"timezone-like shift ({hours:+g} h)"
    return f"feeds {'later' if delta > 0 else 'earlier'} by {_span(abs(delta))}"


def _span(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


def _text_diff(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    lo = max(0, i - 30)
    return f"at char {i}: hexo …{a[lo : i + 50]!r}… vs feeds …{b[lo : i + 50]!r}…"


def compare_pair(p: dict, e: dict, hexo_feed_entry: dict | None) -> dict[str, tuple[bool, str, str, str]]:
    """{field: (identical, kind of difference, hexo value, feeds value)}."""
    out: dict[str, tuple[bool, str, str, str]] = {}

    # title
    ht, ft = p["title"], e["title"]
    if ht == ft:
        out["title"] = (True, "", ht, ft)
    elif not ht.strip():
        out["title"] = (False, "hexo title empty (feeds uses body text)", ht, ft)
    elif collapse(ht) == collapse(ft):
        out["title"] = (False, "whitespace", ht, ft)
    elif collapse(html_lib.unescape(ht)) == collapse(ft):
        out["title"] = (False, "HTML entity (Hexo keeps it as typed, feeds decodes it)", ht, ft)
    elif ft.startswith(ht) or ht.startswith(ft):
        out["title"] = (False, "one is a prefix of the other", ht, ft)
    else:
        out["title"] = (False, "different text", ht, ft)

    # link
    hl, fl = p["permalink"], e["link"]
    if hl == fl:
        out["link"] = (True, "", hl, fl)
    elif p["front_matter_has"].get("permalink"):
        out["link"] = (False, "front-matter `permalink` (Hexo uses it)", hl, fl)
    elif unquote(hl) == unquote(fl):
        out["link"] = (False, "percent-encoding only", hl, fl)
    elif norm_link(hl) == norm_link(fl):
        out["link"] = (False, "index.html/.html/trailing slash", hl, fl)
    elif urlsplit(hl).netloc != urlsplit(fl).netloc:
        out["link"] = (False, "different host", hl, fl)
    elif unquote(urlsplit(hl).path).rsplit("/", 2)[-2:] == unquote(urlsplit(fl).path).rsplit("/", 2)[-2:]:
        out["link"] = (False, "same slug, different prefix (root/permalink)", hl, fl)
    else:
        out["link"] = (False, "different path", hl, fl)

    # id: what hexo-generator-feed writes as the entry id (the permalink, URL-encoded)
    hid = hexo_feed_entry["id"] if hexo_feed_entry else hl
    fid = e["id"]
    if hid == fid:
        out["id"] = (True, "", hid, fid)
    elif fid != e["link"]:
        out["id"] = (False, "feeds id is not its link (front-matter id/guid?)", hid, fid)
    elif unquote(hid) == unquote(fid):
        out["id"] = (False, "percent-encoding only", hid, fid)
    else:
        out["id"] = (False, "follows the link difference", hid, fid)

    # published / updated
    for field, hexo_key, feeds_key in (
        ("published", "date", "published_ts"),
        ("updated", "updated", "updated_ts"),
    ):
        hv = p[hexo_key]["ms"]
        hts = hv / 1000 if hv is not None else None
        fts = e.get(feeds_key)
        hshow = f"{p[hexo_key]['iso']}" if p[hexo_key]["iso"] else "(none)"
        raw = (p.get("front_matter_raw") or {}).get(hexo_key)
        if raw is not None:
            hshow += f"  (front matter: {raw!r})"
        fshow = e.get(feeds_key.replace("_ts", "")) or "(none)"
        if hts is not None and fts is not None and int(hts) == int(fts):
            out[field] = (True, "", hshow, fshow)
            continue
        has = p["front_matter_has"]
        if hts is None or fts is None:
            kind = "missing on one side"
        elif field == "updated" and not has.get("updated"):
            own_date = e.get("published_ts")
            kind = (
                "no `updated` in front matter: Hexo uses the file's mtime, feeds the date"
                if own_date is not None and int(own_date) == int(fts)
                else "no `updated` in front matter: feeds neither mtime nor its date"
            )
        elif field == "published" and not has.get("date"):
            kind = "no `date` in front matter (Hexo: file-name date or birthtime)"
        else:
            kind = _shift(hts, fts)
            if raw and re.search(r"(Z|[+-]\d\d:?\d\d)\s*$", raw):
                kind = f"explicit offset in front matter; {kind}"
        out[field] = (False, kind, hshow, fshow)

    # categories: full paths of every level
    hcats = {tuple(c) for c in p["categories"]}
    fcats = {tuple(c) for c in e.get("category_paths", [])}
    show = lambda cats: "; ".join(" / ".join(c) for c in sorted(cats)) or "(none)"  # noqa: E731
    if hcats == fcats:
        out["categories"] = (True, "", show(hcats), show(fcats))
    else:
        missing, extra = hcats - fcats, fcats - hcats
        lower = lambda cats: {tuple(x.casefold() for x in c) for c in cats}  # noqa: E731
        if lower(hcats) == lower(fcats):
            kind = "letter case (feeds merges names with the same slug)"
        elif not fcats:
            kind = "feeds has none"
        elif not hcats:
            kind = "hexo has none"
        elif missing and extra and {c[-1] for c in missing} == {c[-1] for c in extra}:
            kind = "same names, different hierarchy"
        elif missing and not extra:
            kind = "feeds lacks some"
        elif extra and not missing:
            kind = "feeds has more"
        else:
            kind = "different names"
        out["categories"] = (False, kind, show(hcats), show(fcats))

    # tags: every Hexo tag name is a term of the feeds entry
    terms = e.get("terms", [])
    hexo_tags = [t["name"] for t in p["tags"]]
    missing_tags = [t for t in hexo_tags if t not in terms]
    tshow = ", ".join(hexo_tags) or "(none)"
    if not missing_tags:
        out["tags"] = (True, "", tshow, ", ".join(terms) or "(none)")
    else:
        lower_terms = {t.casefold() for t in terms}
        kind = (
            "letter case"
            if all(t.casefold() in lower_terms for t in missing_tags)
            else "feeds lacks some"
            if len(missing_tags) < len(hexo_tags)
            else "feeds lacks all"
        )
        out["tags"] = (False, kind, tshow, ", ".join(terms) or "(none)")

    # terms: the whole set of Atom categories
    expected = list(dict.fromkeys([n for c in p["categories"] for n in c] + hexo_tags))
    if set(expected) == set(terms):
        out["terms"] = (True, "", ", ".join(expected), ", ".join(terms))
    else:
        extra_terms = set(terms) - set(expected)
        kind = (
            "feeds has extra terms"
            if extra_terms and not (set(expected) - set(terms))
            else ("feeds lacks terms" if not extra_terms else "different terms")
        )
        out["terms"] = (False, kind, ", ".join(expected) or "(none)", ", ".join(terms) or "(none)")

    # visible text, after both sides' cleaning: feeds' cleaner on Hexo's HTML too, so that what
    # differs is how a post was rendered, not what a feed may carry (an iframe, a form)
    htxt = visible_text(hexo_cleaned(p["content_html"], p.get("permalink", "")))
    ftxt = visible_text(e.get("content_html", ""))
    if htxt == ftxt:
        out["text"] = (True, "", htxt[:80], ftxt[:80])
    else:
        kind, where, lengths = _text_kind(htxt, ftxt)
        if "<math" in e.get("content_html", "") and _formulas_only(
            _hexo_text_with_tex(p["content_html"], p.get("permalink", ""), htxt), e["content_html"]
        ):
            kind = FORMULAS_ONLY
        elif _gist_only(p["content_html"], htxt, ftxt):
            kind = GIST_ONLY
        out["text"] = (False, kind, where, f"{lengths}; {lost_share(htxt, ftxt):.2%} of Hexo's lost")
    return out


FORMULAS_ONLY = "formulas only: MathML with its TeX in feeds, the TeX as written on Hexo's page"
GIST_ONLY = "{% gist %} only: a link to the gist in feeds, a script in Hexo's page"
# Differences docs/hexo.md gives as deliberate: a reader is shown what the page's script would show.
DELIBERATE = (FORMULAS_ONLY, GIST_ONLY)
_MATH_SCRIPT = re.compile(r'<script type="math/tex[^"]*">(.*?)</script>', re.DOTALL)
_GIST_SCRIPT = re.compile(r'<script src="(?:https:)?//gist\.github\.com/')
_GIST_LINK = re.compile(r"https://gist\.github\.com/\S*")


_MATHJAX_SVG = re.compile(r'<svg\b[^>]*>\s*<title id="MathJax-SVG-[^"]*">(.*?)</title>.*?</svg>', re.DOTALL)


def _hexo_text_with_tex(hexo_html: str, permalink: str, htxt: str) -> str:
    """Hexo's text with each formula as its TeX: one kramed leaves to MathJax (a ``math/tex`` script),
    one MathJax drew in Hexo (an SVG titled with its TeX: hexo-static-math)."""
    if "math/tex" not in hexo_html and "MathJax-SVG" not in hexo_html:
        return htxt
    spans = _MATH_SCRIPT.sub(_as_span, _MATHJAX_SVG.sub(_as_span, hexo_html))
    return visible_text(hexo_cleaned(spans, permalink))


def _as_span(m: re.Match[str]) -> str:
    return f"<span>{html_lib.escape(html_lib.unescape(m[1]))}</span>"


def _gist_only(hexo_html: str, htxt: str, ftxt: str) -> bool:
    """Whether the texts are the same but for feeds' links to gists where Hexo has their scripts."""
    return bool(_GIST_SCRIPT.search(hexo_html)) and collapse(_GIST_LINK.sub(" ", ftxt)) == htxt


def _formulas_only(htxt: str, feeds_html: str) -> bool:
    """Whether the texts are the same once each of feeds' formulas is read as the TeX it keeps (its
    annotation) and the ``$`` delimiters and spacing are left out: a blog whose theme renders math in
    the browser has the TeX in Hexo's feed, where feeds writes MathML."""
    root = lxml_html.fragment_fromstring(feeds_html, create_parent="div")
    for math in root.iter("{*}math", "math"):
        tex = "".join(math.xpath(".//*[local-name()='annotation']//text()"))
        tail = math.tail
        math.clear()
        math.tag, math.text, math.tail = "span", tex, tail
    ftex = visible_text(etree.tostring(root, encoding="unicode"))

    def plain(text: str) -> str:
        return re.sub(r"[\s$]", "", _plain_typography(text))

    return plain(htxt) == plain(ftex)


def lost_share(htxt: str, ftxt: str) -> float:
    """The share of Hexo's visible characters that feeds' text lacks: past the common start and end, by
    difflib's matching blocks when the rest is short, else by counts of characters (difflib takes
    minutes on two long texts that differ throughout)."""
    if not htxt:
        return 0.0
    start = 0
    while start < min(len(htxt), len(ftxt)) and htxt[start] == ftxt[start]:
        start += 1
    end = 0
    while end < min(len(htxt), len(ftxt)) - start and htxt[-1 - end] == ftxt[-1 - end]:
        end += 1
    a, b = htxt[start : len(htxt) - end], ftxt[start : len(ftxt) - end]
    if len(a) * len(b) <= 4_000_000:
        kept = sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
        return (len(a) - kept) / len(htxt)
    return sum((Counter(a) - Counter(b)).values()) / len(htxt)


def _text_kind(htxt: str, ftxt: str) -> tuple[str, str, str]:
    """(kind, where they differ, lengths) of two different visible texts."""
    lengths = f"hexo {len(htxt)} chars, feeds {len(ftxt)} chars"
    if re.sub(r"\s", "", htxt) == re.sub(r"\s", "", ftxt):
        return "whitespace placement only", _text_diff(htxt, ftxt), lengths
    a, b = _plain_typography(htxt), _plain_typography(ftxt)
    if a == b:
        return "typography only (smart quotes/dashes)", _text_diff(htxt, ftxt), lengths
    folded = " (after folding quotes/dashes)" if (a, b) != (htxt, ftxt) else ""
    where = _text_diff(a, b) + folded
    tag = re.compile(r"{%-?\s*\w+")
    if not ftxt:
        kind = "feeds body empty"
    elif not htxt:
        kind = "hexo body empty"
    elif tag.search(b) and not tag.search(a):
        kind = "Hexo tag plugin ({% … %}) shown as source by feeds"
    elif b.startswith(a[: max(1, len(a) - 1)]) or a.startswith(b):
        kind = "one is a prefix of the other"
    else:
        ratio = len(b) / max(1, len(a))
        kind = (
            "feeds much shorter" if ratio < 0.8 else "feeds much longer" if ratio > 1.25 else "differs inside"
        )
    return kind, where, lengths


# ---------------------------------------------------------------- the run


def build_report(blog: Path, dump: dict, feeds_run: dict, feeds_out: dict, hexo_feed: dict | None) -> dict:
    posts = dump.get("posts", [])
    entries = feeds_out.get("entries", [])
    pairs, hexo_only, feeds_only = match(posts, entries)
    hexo_feed_by_link: dict[str, dict] = {}
    if hexo_feed:
        for he in hexo_feed["entries"]:
            hexo_feed_by_link.setdefault(norm_link(he["link"]), he)
    identical: Counter[str] = Counter()
    diffs: dict[str, list[dict]] = defaultdict(list)
    for p, e, how in pairs:
        result = compare_pair(p, e, hexo_feed_by_link.get(norm_link(p["permalink"])))
        for field in FIELDS:
            same, kind, hv, fv = result[field]
            if same:
                identical[field] += 1
            else:
                diffs[field].append(
                    {"kind": kind, "hexo": hv, "feeds": fv, "source": p["source"], "matched_by": how}
                )
    fields = {}
    for field in FIELDS:
        kinds = Counter(d["kind"] for d in diffs[field])
        # examples: one of each kind first, then more, up to EXAMPLES
        examples: list[dict] = []
        seen: set[str] = set()
        for d in diffs[field]:
            if d["kind"] not in seen and len(examples) < EXAMPLES:
                examples.append(d)
                seen.add(d["kind"])
        for d in diffs[field]:
            if len(examples) >= EXAMPLES:
                break
            if d not in examples:
                examples.append(d)
        fields[field] = {
            "identical": identical[field],
            "different": len(diffs[field]),
            "deliberate": sum(kinds[k] for k in DELIBERATE),
            "kinds": dict(kinds.most_common()),
            "examples": examples,
            "all": diffs[field],
        }
    hexo_feed_summary = None
    if hexo_feed is not None:
        hexo_feed_summary = compare_with_hexo_feed(hexo_feed, pairs)
    summary = feeds_run.get("summary") or {}
    warnings = summary.get("warnings", []) if isinstance(summary, dict) else []
    return {
        "blog": str(blog),
        "hexo": {
            "version": dump.get("hexo_version"),
            "posts": len(posts),
            "fatal": dump.get("fatal"),
            "generated": dump.get("generated"),
            "generate_error": dump.get("generate_error"),
            "seconds": dump.get("seconds"),
            "command": dump.get("command"),
            "plugins_loaded": dump.get("plugins_loaded"),
            "plugins_status": dump.get("plugins_status"),
            "plugins_skipped": dump.get("plugins_skipped"),
            "theme": dump.get("theme") or None,
            "stub_tags": dump.get("stub_tags", []),
            "render_errors": dump.get("render_errors", []),
            "log_errors": [entry for entry in dump.get("logs", []) if entry["level"] != "warn"],
            "log_warnings": len([entry for entry in dump.get("logs", []) if entry["level"] == "warn"]),
            "config": dump.get("config"),
        },
        "feeds": {
            "built": feeds_built(feeds_run, feeds_out),
            "version": feeds_run.get("version"),
            "command": feeds_run["command"],
            "exit": feeds_run["exit"],
            "entries": len(entries),
            "category_feeds": feeds_out.get("category_feeds"),
            "error": feeds_out.get("error"),
            "stderr": feeds_run["stderr"] if feeds_run["exit"] else "",
            "summary": {k: v for k, v in summary.items() if k != "warnings"}
            if isinstance(summary, dict)
            else summary,
            "warnings": dict(Counter(w.get("kind", "?") for w in warnings)),
            "seconds": feeds_run["seconds"],
            "config": feeds_run.get("config"),
        },
        "matched": len(pairs),
        "matched_by": dict(Counter(how for _p, _e, how in pairs)),
        "hexo_only": [
            {"source": p["source"], "title": p["title"], "link": p["permalink"], "hint": _hexo_only_hint(p)}
            for p in hexo_only
        ],
        "feeds_only": [{"title": e["title"], "link": e["link"]} for e in feeds_only],
        "fields": fields,
        "hexo_generator_feed": hexo_feed_summary,
    }


def feeds_built(feeds_run: dict, feeds_out: dict) -> dict:
    """Whether feeds wrote the blog's site feed at all, and why not: a config it refused gives no feed."""
    if feeds_run["exit"] == 0 and not feeds_out.get("error"):
        return {"yes": True, "reason": f"{len(feeds_out.get('entries', []))} entries in the site feed"}
    lines = [line.strip() for line in (feeds_run.get("stderr") or "").splitlines() if line.strip()]
    reason = feeds_out.get("error") or (lines[-1] if lines else f"exit {feeds_run['exit']}")
    return {"yes": False, "reason": f"exit {feeds_run['exit']}: {reason[:300]}"}


def _hexo_only_hint(p: dict) -> str:
    source = p["source"]
    if not source.lower().endswith(".md"):
        return "not a .md file"
    if source.startswith("_drafts/") or not p.get("published", True):
        return "a draft"
    return ""


def compare_with_hexo_feed(hexo_feed: dict, pairs: list[tuple[dict, dict, str]]) -> dict:
    """feeds' site feed against the atom.xml hexo-generator-feed wrote, entry by entry.

    A hexo-generator-feed entry is tied to its Hexo post by link, and so to the feeds entry
    that post was matched with."""
    feeds_for = {norm_link(p["permalink"]): e for p, e, _how in pairs}
    same: Counter[str] = Counter()
    matched = 0
    for he in hexo_feed["entries"]:
        e = feeds_for.get(norm_link(he["link"]))
        if e is None:
            continue
        matched += 1
        same["title"] += he["title"] == e["title"]
        same["link"] += he["link"] == e["link"]
        same["id"] += he["id"] == e["id"]
        for f in ("published", "updated"):
            a, b = he.get(f + "_ts"), e.get(f + "_ts")
            same[f] += a is not None and b is not None and int(a) == int(b)
        same["categories"] += set(he["terms"]) <= set(e["terms"])
        hexo_text = visible_text(hexo_cleaned(he["content_html"], he["link"]))
        same["text"] += hexo_text == visible_text(e["content_html"])
    return {
        "entries": len(hexo_feed["entries"]),
        "matched": matched,
        "identical": dict(same),
        "bozo": hexo_feed.get("head", {}).get("bozo_exception", ""),
    }


def render_text(report: dict) -> str:
    h, f = report["hexo"], report["feeds"]
    lines = [f"# {report['blog']}", ""]
    lines.append(
        f"hexo {h['version']}: {h['posts']} posts ({h['seconds']} s)"
        + ("" if h["generated"] else f"; hexo generate failed: {h['generate_error']}")
    )
    if h.get("fatal"):
        lines.append(f"  HEXO FAILED: {h['fatal'][:1500]}")
    lines.append(f"  plugins loaded: {', '.join(h['plugins_loaded'] or [])}")
    if h.get("theme"):
        t = h["theme"]
        lines.append(f"  theme loaded: {t['name']} {t['version']} ({t['from']})")
    failed = {k: v for k, v in (h["plugins_status"] or {}).items() if v.startswith("failed")}
    if failed:
        lines.append(
            "  plugins that failed to install (left out): "
            + "; ".join(f"{k} ({v[8:80]})" for k, v in failed.items())
        )
    if h["plugins_skipped"]:
        lines.append(
            "  blog plugins left out: "
            + ", ".join(
                n if why == "cannot change posts" else f"{n} ({why})" for n, why in h["plugins_skipped"]
            )
        )
    if h["stub_tags"]:
        lines.append(f"  unknown tags stubbed (their inner text kept): {', '.join(h['stub_tags'])}")
    if h["render_errors"]:
        lines.append(
            f"  posts re-rendered after an error: {len(h['render_errors'])}, e.g. "
            f"{h['render_errors'][0]['source']}: {h['render_errors'][0]['message'][:150]}"
        )
    if h["log_errors"]:
        lines.append(f"  hexo logged {len(h['log_errors'])} errors:")
        for entry in h["log_errors"][:EXAMPLES]:
            lines.append(f"    {entry['message'][:200]}")
    lines.append(f"feeds: {f.get('version')}")
    lines.append(f"  feeds built: {'yes' if f['built']['yes'] else 'no'}, {f['built']['reason']}")
    lines.append(
        f"  {f['entries']} entries in the site feed, {f['category_feeds']} category feeds, "
        f"exit {f['exit']} ({f['seconds']} s)"
    )
    if isinstance(f["summary"], dict):
        lines.append(f"  summary: {json.dumps(f['summary'].get('posts'), ensure_ascii=False)}")
    if f["warnings"]:
        lines.append("  warnings: " + ", ".join(f"{k} {v}" for k, v in f["warnings"].items()))
    if f["exit"] or f.get("error"):
        lines.append(f"  FEEDS FAILED: {f.get('error') or ''} {f['stderr'][-1500:]}")
    lines.append(
        f"matched: {report['matched']} ({', '.join(f'{k} {v}' for k, v in report['matched_by'].items())}); "
        f"only in hexo: {len(report['hexo_only'])}; only in feeds: {len(report['feeds_only'])}"
    )
    hf = report.get("hexo_generator_feed")
    if hf:
        lines.append(
            f"hexo-generator-feed atom.xml: {hf['entries']} entries, "
            f"{hf['matched']} tied to a matched feeds entry; "
            "identical: " + ", ".join(f"{k} {v}" for k, v in hf["identical"].items())
        )
    lines += ["", "field        identical  different   (of matched)"]
    for field in FIELDS:
        fd = report["fields"][field]
        lines.append(f"{field:<12} {fd['identical']:>9}  {fd['different']:>9}" + _deliberate_note(fd))
    for side, items in (("only in hexo", report["hexo_only"]), ("only in feeds", report["feeds_only"])):
        if items:
            lines += ["", f"## {side} ({len(items)})"]
            for item in items[:EXAMPLES]:
                hint = f"  [{item['hint']}]" if item.get("hint") else ""
                lines.append(f"  - {item.get('source', '')} {item['title']!r} {item['link']}{hint}")
            if len(items) > EXAMPLES:
                lines.append(f"  … and {len(items) - EXAMPLES} more")
    for field in FIELDS:
        fd = report["fields"][field]
        if not fd["different"]:
            continue
        note = FIELD_NOTES.get(field)
        lines += ["", f"## {field}: {fd['different']} different" + (f" ({note})" if note else "")]
        lines.append("  kinds: " + "; ".join(f"{k} ×{v}" for k, v in fd["kinds"].items()))
        for d in fd["examples"]:
            lines.append(f"  - [{d['kind']}] {d['source']}")
            lines.append(f"      hexo:  {_clip(d['hexo'])}")
            lines.append(f"      feeds: {_clip(d['feeds'])}")
    return "\n".join(lines) + "\n"


def _deliberate_note(fd: dict) -> str:
    """How many of a field's differences are ones docs/hexo.md gives as deliberate, if any."""
    if not fd.get("deliberate"):
        return ""
    same = fd["identical"] + fd["deliberate"]
    return f"   ({fd['deliberate']} deliberate: {same} counting them as the same)"


def _clip(value: Any, width: int = 300) -> str:
    text = str(value)
    return text if len(text) <= width else text[:width] + "…"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("blog", type=Path, help="the Hexo blog folder (with _config.yml and source/_posts)")
    ap.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep it (scratch site, dumps, feeds output)"
    )
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument(
        "--hexo-mode",
        action="store_true",
        help="run `feeds build --hexo BLOG --output TMP --json` instead of writing a config",
    )
    ap.add_argument(
        "--keep-theme",
        action="store_true",
        help="load the blog's theme (its themes/ copy, else hexo-theme-NAME from npm) so that Hexo renders "
        "its tags, and give feeds the same theme (content.theme); default: theme: false on both sides",
    )
    ap.add_argument(
        "--no-generate", action="store_true", help="skip `hexo generate` (no hexo-generator-feed output)"
    )
    ap.add_argument(
        "--retry-plugins", action="store_true", help="try again to install plugins that failed before"
    )
    ap.add_argument("--feeds", default="feeds", help="the feeds command (default: feeds on PATH)")
    ap.add_argument(
        "--all-differences", action="store_true", help="with --json, list every difference, not only examples"
    )
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = ap.parse_args(argv)

    blog = args.blog.resolve()
    if not (blog / "source" / "_posts").is_dir() and not (blog / "_config.yml").exists():
        print(f"{blog}: not a Hexo blog (no _config.yml, no source/_posts)", file=sys.stderr)
        return 2
    log = (
        (lambda msg: None)
        if args.quiet
        else (lambda msg: print(f"[hexo_compare] {msg}", file=sys.stderr, flush=True))
    )
    if args.keep:
        work = args.keep.resolve()
        if work == blog or blog in work.parents:
            print("--keep must be outside the blog folder", file=sys.stderr)
            return 2
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
    else:
        Path("/tmp/hexo-oracle").mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="run-", dir="/tmp/hexo-oracle"))
    try:
        dump = hexo_side.run_hexo(
            blog,
            work,
            keep_theme=args.keep_theme,
            generate=not args.no_generate,
            retry_failed=args.retry_plugins,
            log=log,
        )
        hexo_feed = None
        atom = Path(dump.get("public_dir") or work / "hexo-site" / "public") / "atom.xml"
        if dump.get("generated") and atom.exists():
            head, entries = feeds_side.read_atom(atom)
            hexo_feed = {"head": head, "entries": entries}
        feeds_run = feeds_side.run_feeds(
            blog, work, hexo_mode=args.hexo_mode, feeds_cmd=args.feeds.split(), log=log, theme=args.keep_theme
        )
        feeds_run["version"] = feeds_side.feeds_version(args.feeds.split())
        feeds_out = feeds_side.read_output(Path(feeds_run["output"]))
        report = build_report(blog, dump, feeds_run, feeds_out, hexo_feed)
        report["work_dir"] = str(work) if args.keep else None
        if args.json:
            if not args.all_differences:
                for fd in report["fields"].values():
                    fd.pop("all", None)
            print(json.dumps(report, ensure_ascii=False, indent=1))
        else:
            print(render_text(report), end="")
        return 0 if not report["hexo"].get("fatal") and feeds_run["exit"] in (0, 1) else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
