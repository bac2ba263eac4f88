"""Formulas as MathML a feed reader can show, with the TeX kept as its annotation.

A blog that renders math (markdown-it-katex, hexo-filter-mathjax, a theme's
``math:`` setting…) sends its readers formulas; a feed reader runs no script,
so each ``$…$`` becomes MathML here, converted by latex2mathml (pure Python,
maintained, no JavaScript or network), inside ``<semantics>`` with the source
as ``<annotation encoding="application/x-tex">``.  A formula it cannot convert
stays as its TeX in a ``code`` element, with a warning: no word is lost.

KaTeX also reads the short names of MediaWiki's texvc (``\\empty``, ``\\R``,
``\\larr``…), which latex2mathml does not know: they are spelt out first, as is
``\\not=`` (``\\neq``), which it would draw as a slash beside the sign, and ``\\dots``
is centred before an operator or a relation, as amsmath sets it.
"""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache

log = logging.getLogger(__name__)

_OPEN = "<math "
# texvc's names as KaTeX defines them: name, then what it stands for (A for \mathrm{A}, R for \mathbb{R})
_TEXVC_NAMES = """darr downarrow dArr Downarrow Darr Downarrow lang langle rang rangle uarr uparrow
uArr Uparrow
Uarr Uparrow alef aleph alefsym aleph bull bullet clubs clubsuit Dagger ddagger diamonds diamondsuit
empty emptyset exist exists harr leftrightarrow hArr Leftrightarrow Harr Leftrightarrow hearts heartsuit
image Im infin infty isin in larr leftarrow lArr Leftarrow Larr Leftarrow lrarr leftrightarrow
lrArr Leftrightarrow Lrarr Leftrightarrow plusmn pm rarr rightarrow rArr Rightarrow Rarr Rightarrow
real Re sdot cdot sect S spades spadesuit sub subset sube subseteq supe supseteq thetasym vartheta
weierp wp"""
_TEXVC_ROMAN = "Alpha A Beta B Chi X Epsilon E Eta H Iota I Kappa K Mu M Nu N Omicron O Rho P Tau T Zeta Z"
_TEXVC_SETS = "N N R R Z Z cnums C Complex C natnums N reals R Reals R"


def _texvc() -> dict[str, str]:
    def pairs(table: str) -> list[tuple[str, str]]:
        words = table.split()
        return list(zip(words[::2], words[1::2], strict=True))

    names = {name: f"\\{meaning}" for name, meaning in pairs(_TEXVC_NAMES)}
    names |= {name: f"\\mathrm{{{letter}}}" for name, letter in pairs(_TEXVC_ROMAN)}
    return names | {name: f"\\mathbb{{{letter}}}" for name, letter in pairs(_TEXVC_SETS)}


_TEXVC = _texvc()
_COMMAND = re.compile(r"\\([A-Za-z]+)")
# \not before a sign with a negated character of its own: that character, as KaTeX writes it (latex2mathml
# lays a slash beside the sign instead, which reads "⧸=")
_NEGATED = {"=": "\\neq ", "<": "\\nless ", ">": "\\ngtr "}
_NOT_SIGN = re.compile(r"\\not\s*([=<>])")


# amsmath's \dots (KaTeX's too): centred dots before a binary operator or a relation (a + \dots + b),
# low ones before anything else (a, \dots, b)
_DOTS = re.compile(r"\\dots(?![A-Za-z])\s*(\\[A-Za-z]+|.?)")
_BINARY = frozenset("+-=<>*:")
_BINARY_NAMES = """
not le leq ge geq lt gt ne neq equiv approx sim simeq cong propto in ni notin subset subseteq supset
supseteq cup cap pm mp times div cdot ast star circ bullet oplus ominus otimes odot wedge vee land
lor to rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow iff implies impliedby
mid parallel perp ll gg prec succ preceq succeq setminus sum prod coprod bigcup bigcap bigvee
bigwedge biguplus bigotimes bigoplus bigodot bigsqcup mapsto longmapsto longrightarrow
Longrightarrow longleftarrow Longleftarrow longleftrightarrow Longleftrightarrow hookrightarrow
doteq mathbin mathrel And"""
_BINARY_COMMANDS = frozenset(_BINARY_NAMES.split())


def _dots(m: re.Match[str]) -> str:
    after = m[1]
    name = after[1:] if after.startswith("\\") else ""
    centred = after in _BINARY or name in _BINARY_COMMANDS or name.startswith("not")
    return ("\\cdots " if centred else "\\ldots ") + after


# KaTeX's environments that latex2mathml lacks, as one it has with the same rows and columns (an
# environment it lacks leaves its `&` as text)
_ENVIRONMENTS = {
    "aligned": "split",
    "alignedat": "split",
    "gathered": "matrix",
    "gather": "matrix",
    "gather*": "matrix",
    "dcases": "cases",
    "darray": "array",
}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(aligned(?:at)?|gathered|gather\*?|dcases|darray)\}")


def _environment(m: re.Match[str]) -> str:
    return f"\\{m[1]}{{{_ENVIRONMENTS[m[2]]}}}"


def _spelt_out(tex: str) -> str:
    if "\\" not in tex:
        return tex
    tex = _COMMAND.sub(lambda m: _TEXVC.get(m[1], m[0]), tex)
    if "\\begin{alignedat}" in tex:
        tex = re.sub(r"(\\begin\{alignedat\})\s*\{\d+\}", r"\1", tex)
    tex = _ENVIRONMENT.sub(_environment, tex)
    return _DOTS.sub(_dots, _NOT_SIGN.sub(lambda m: _NEGATED[m[1]], tex))


# Signs latex2mathml writes with another character than TeX's own, which KaTeX writes: `*` is the centred
# asterisk operator (\ast), \cdot the dot operator, \bar's accent the modifier macron, \vec's the combining
# arrow, \sim the tilde operator, \perp the up tack
_SIGNS = (
    ("<mo>&#x0002A;</mo>", "<mo>&#x02217;</mo>"),
    ("<mo>&#x000B7;</mo>", "<mo>&#x022C5;</mo>"),
    (">&#x000AF;</mo></mover>", ">&#x002C9;</mo></mover>"),
    ('<mo stretchy="true">&#x02192;</mo></mover>', '<mo stretchy="false">&#x020D7;</mo></mover>'),
    ("<mi>&#x0007E;</mi>", "<mo>&#x0223C;</mo>"),
    ("<mi>&#x027C2;</mi>", "<mo>&#x022A5;</mo>"),
)
_LEFT_OVER = re.compile(r">\\[A-Za-z]|>&<")  # a command's name, a column's `&`: not understood


@lru_cache(maxsize=1024)
def mathml(tex: str, display: bool = False) -> str:
    """``tex`` as a ``<math>`` element (``display``: a block formula), or as ``<code>`` when it fails."""
    source = tex.strip()
    try:
        from latex2mathml.converter import convert  # only blogs with math pay for loading it

        converted = convert(_spelt_out(source), display="block" if display else "inline")
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
    for theirs, katexs in _SIGNS:
        inner = inner.replace(theirs, katexs)
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
