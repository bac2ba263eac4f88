"""Formulas as MathML a feed reader can show, with the TeX kept as its annotation.

A blog that renders math (markdown-it-katex, hexo-filter-mathjax, a theme's
``math:`` setting…) sends its readers formulas; a feed reader runs no script,
so each ``$…$`` becomes MathML here, converted by latex2mathml (pure Python,
maintained, no JavaScript or network), inside ``<semantics>`` with the source
as ``<annotation encoding="application/x-tex">``.  A formula it cannot convert
stays as its TeX in a ``code`` element, with a warning: no word is lost.
"""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache

log = logging.getLogger(__name__)

_OPEN = "<math "
_LEFT_OVER = re.compile(r">\\[A-Za-z]")


@lru_cache(maxsize=1024)
def mathml(tex: str, display: bool = False) -> str:
    """``tex`` as a ``<math>`` element (``display``: a block formula), or as ``<code>`` when it fails."""
    source = tex.strip()
    try:
        from latex2mathml.converter import convert  # only blogs with math pay for loading it

        converted = convert(source, display="block" if display else "inline")
    except Exception as e:  # the library raises many kinds (its own, IndexError, KeyError) on bad TeX
        log.warning("a formula stays as TeX (MathML conversion failed: %s): %.80s", str(e) or repr(e), source)
        return _as_code(source, display)
    if _LEFT_OVER.search(converted):  # a command the library does not know, printed as a name
        log.warning("a formula stays as TeX (a command MathML conversion does not know): %.80s", source)
        return _as_code(source, display)
    start = converted.find(">", converted.find(_OPEN)) + 1
    end = converted.rfind("</math>")
    if start <= 0 or end < start:
        return _as_code(source, display)
    inner = converted[start:end]
    annotation = f'<annotation encoding="application/x-tex">{html.escape(source, quote=False)}</annotation>'
    if not inner.startswith("<mrow>"):
        inner = f"<mrow>{inner}</mrow>"  # <semantics> takes one presentation element, then annotations
    return f"{converted[:start]}<semantics>{inner}{annotation}</semantics></math>"


def _as_code(source: str, display: bool) -> str:
    code = f"<code>{html.escape(source, quote=False)}</code>"
    return f"<pre>{code}</pre>" if display else code


# What the sanitiser lets through of MathML: presentation elements, and the annotation that keeps the
# TeX (annotation-xml, which can carry HTML or SVG, and every scripting attribute stay out).
_TAG_NAMES = """math semantics annotation mrow mi mn mo ms mtext mspace mfrac msqrt mroot msub msup msubsup
munder mover munderover mtable mtr mtd mstyle merror mpadded mphantom menclose mmultiscripts mprescripts none
mfenced"""
TAGS = frozenset(_TAG_NAMES.split())
ATTRIBUTES: dict[str, set[str]] = {
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "form", "largeop", "movablelimits"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant"},
    "mi": {"mathvariant"},
    "mn": {"mathvariant"},
    "mtext": {"mathvariant"},
    "mspace": {"width"},
    "mtable": {"columnalign", "rowspacing", "columnspacing"},
    "mtd": {"columnalign", "columnspan", "rowspan"},
    "mfrac": {"linethickness"},
    "menclose": {"notation"},
    "mpadded": {"width", "height", "depth", "lspace", "voffset"},
    "mfenced": {"open", "close", "separators"},
    "munder": {"accentunder"},
    "mover": {"accent"},
    "munderover": {"accent", "accentunder"},
}
