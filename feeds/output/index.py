"""``feeds.html``: one page a person opens to find any feed and subscribe to it.

The category tree (then tags and authors) with each feed's post count, the
date of its newest post and a link to each of its files; the site feed in the
head for browsers' and readers' autodiscovery.  One self-contained file: the
CSS and a few lines of JavaScript are inline, nothing is loaded from anywhere
else, and the page works without the script (which only adds the filter box:
hidden until the script shows it, since without the script it would do
nothing).  Links are relative, so the page works wherever the output folder
is served, or opened from disk.

Every name comes from posts and goes through :func:`html.escape`; the bytes
depend only on the listings, so an unchanged site rewrites nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html import escape

from ..text import xml_safe
from ..urls import quote_segment
from .listing import GROUPS, LABELS, MEDIA_TYPES, FeedFile, Listing, Node, tree

_STYLE = """\
:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}
body{max-width:50rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
ul{list-style:none;margin:0;padding-left:1.25rem}main>section>ul{padding-left:0}
li{margin:.3rem 0}.name{font-weight:600;overflow-wrap:anywhere}
.meta{color:GrayText;font-size:.9em}.links a{margin-right:.6em;white-space:nowrap}
#search input{font:inherit;width:100%;max-width:24rem;box-sizing:border-box;padding:.3rem}
@media print{#search{display:none}a{color:inherit;text-decoration:none}
a::after{content:" <" attr(data-url) ">";font-size:.8em}li{break-inside:avoid}}
"""

# Shows the filter box, then on each keystroke hides every feed whose path does not contain the
# words typed, keeping the parents of those that do so the tree still reads as a tree.
_SCRIPT = """\
(function () {
  var form = document.getElementById("search"), box = document.getElementById("filter");
  var count = document.getElementById("shown");
  var items = Array.prototype.slice.call(document.querySelectorAll("main li"));
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase(), n = 0;
    items.forEach(function (li) { li.hidden = q !== ""; });
    items.forEach(function (li) {
      if (q === "" || li.getAttribute("data-name").indexOf(q) < 0) return;
      n += 1;
      for (var e = li; e; e = e.parentElement.closest("li")) e.hidden = false;
    });
    count.textContent = q ? n + " of " + items.length + " feeds" : "";
  });
})();
"""


def render_index(
    title: str, description: str, language: str, listings: Sequence[Listing], opml: str = ""
) -> bytes:
    """The page's bytes: ``title``, ``description`` and ``language`` are the site's; ``opml``, the
    subscription list's name under the output folder when one is written, offered as one import."""
    forests = tree(listings)
    site = [node.listing for node in forests.get("site", [])]
    parts = [
        "<!DOCTYPE html>\n",
        f'<html lang="{_a(language)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_t(title)} · feeds</title>\n",
        *(_alternate(x.title, f) for x in site for f in x.files),
        f"<style>\n{_STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{_t(title)}</h1>\n",
        f"<p>{_t(description)}</p>\n" if description else "",
        f"<p>{len(listings)} feeds, each in {_formats(listings)}.{_import(opml)}</p>\n</header>\n",
        '<form id="search" role="search" hidden><label for="filter">Filter feeds</label><br>',
        '<input id="filter" type="search" autocomplete="off"> <output id="shown"></output></form>\n',
        "<main>\n",
    ]
    for kind, nodes in forests.items():
        heading = "Site" if kind == "site" else GROUPS[kind]
        parts.append(f'<section id="{kind}">\n<h2>{heading}</h2>\n<ul>\n')
        parts.extend(line for node in nodes for line in _item(node))
        parts.append("</ul>\n</section>\n")
    parts.append(f"</main>\n<script>\n{_SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(parts).encode("utf-8", "surrogateescape")


def _item(node: Node) -> Iterator[str]:
    x = node.listing
    date = x.newest.date().isoformat() if x.newest is not None else ""
    when = f' · newest <time datetime="{date}">{date}</time>' if date else ""
    links = " ".join(
        f'<a href="{_a(href(f.name))}" type="{MEDIA_TYPES[f.fmt]}" data-url="{_a(f.url)}">'
        f"{LABELS.get(f.fmt, f.fmt)}</a>"
        for f in x.files
    )
    posts = f"{x.posts} post{'' if x.posts == 1 else 's'}"
    name = " / ".join(x.path).lower() or x.title.lower()
    yield (
        f'<li data-name="{_a(name)}"><span class="name">{_t(x.name)}</span> '
        f'<span class="meta">{posts}{when}</span> <span class="links">{links}</span>'
    )
    if node.children:
        yield "\n<ul>\n"
        for child in node.children:
            yield from _item(child)
        yield "</ul>\n"
    yield "</li>\n"


def _import(opml: str) -> str:
    if not opml:
        return ""
    return f' <a href="{_a(href(opml))}" type="text/x-opml" id="opml">All of them as one OPML list</a>.'


def _alternate(title: str, f: FeedFile) -> str:
    return (
        f'<link rel="alternate" type="{MEDIA_TYPES[f.fmt]}" title="{_a(title)}" href="{_a(href(f.name))}">\n'
    )


def _formats(listings: Sequence[Listing]) -> str:
    found = dict.fromkeys(LABELS.get(f.fmt, f.fmt) for x in listings for f in x.files)
    return " and ".join(found)


def href(name: str) -> str:
    """A file's link relative to the output folder, each segment percent-encoded."""
    return "/".join(quote_segment(part) for part in name.split("/"))


def _t(text: str) -> str:
    return escape(xml_safe(text), quote=False)


def _a(text: str) -> str:
    return escape(xml_safe(text), quote=True)
