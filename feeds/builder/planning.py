"""Which feeds to write, where they go, what they say about themselves, and what goes into each.

A plan is the site feed plus one feed per category node (and, when asked, per
tag and per author), each with its newest posts; a job is one file of a plan
in one format, with a fingerprint of every input, so a later build can tell
without rendering whether the file would change.  Tags and authors are grouped
by the category tree's own code (one level deep), so their folders are slugged,
made safe and checked for shared spellings the same way.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter

from ..config import Config
from ..models import Category, FeedInfo, FeedJob, Post, newest_first, order_key
from ..source import author_paths, build_tree, by_collection, category_paths, full_url, slugger, tag_paths
from ..urls import absolute
from .names import feed_url, file_name, page_url

log = logging.getLogger(__name__)

KINDS = ("category", "tag", "author")
_PATHS = {"category": category_paths, "tag": tag_paths, "author": author_paths}
_NOUNS = {"category": "categories", "tag": "tags", "author": "authors"}
_REL = attrgetter("rel")


@dataclass(frozen=True)
class FeedPlan:
    """One feed to write: where, what it says about itself, and which posts, newest first."""

    folder: tuple[str, ...]  # slugs under the output root; () for the site feed
    info_title: str
    label: str
    posts: tuple[Post, ...]
    author: str = ""  # an author feed's author; else the site's
    kind: str = "site"  # site | category | tag | author
    path: tuple[str, ...] = ()  # the group's names, parent first; () for the site feed
    count: int = 0  # every post of the group (or site), not only the newest that the feed shows
    older: tuple[Post, ...] = ()  # with feeds.archive: the posts past feeds.limit, newest first
    # With feeds.archive, a category's, tag's or author's feed: the indices of its posts (``posts``,
    # then ``older``) among the site feed's (see jobs.make_jobs); () when not known.
    places: tuple[int, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Planned:
    """The feeds to write, and how many a rule kept from being written, by rule."""

    plans: list[FeedPlan]
    skipped: dict[str, int] = field(default_factory=dict)  # depth | min_posts | shared_folder -> feeds
    # With archives: each post's key in the feeds' order (see archive.Layouts), as the site feed
    # lists its posts (a category's feed finds its own by its plan's places).
    keys: list[tuple[float, str]] = field(default_factory=list)


def plan_feeds(config: Config, posts: Sequence[Post]) -> list[FeedPlan]:
    """The site feed and one per category node (tag, author), each with its newest ``feeds.limit`` posts."""
    return plan_all(config, posts).plans


def plan_all(config: Config, posts: Sequence[Post]) -> Planned:
    """:func:`plan_feeds`, and what ``categories.depth`` and ``feeds.min_posts`` left out."""
    limit = config.feeds.limit
    posts, collections = by_collection(posts) if config.posts.dialect == "jekyll" else (posts, {})
    keys: list[tuple[float, str]] = []
    if config.feeds.archive:
        newest, keys = _ordered(posts, config.feeds.order_by)
    else:
        newest = newest_first(posts, config.feeds.order_by)
    older = tuple(newest[limit:]) if config.feeds.archive else ()
    plans = [FeedPlan((), config.site.title, "", tuple(newest[:limit]), count=len(newest), older=older)]
    skipped: Counter[str] = Counter()
    taken: set[tuple[str, ...]] = {
        ()
    }  # folders, case-folded: a tag named like the categories folder must not overwrite it
    for kind in kinds(config):
        for group in groups(config, kind, newest):
            folder = (*kind_dir(config, kind), *group.slugs)
            why = skip_reason(config, kind, group)
            if why is None and tuple(s.casefold() for s in folder) in taken:
                log.warning(
                    "%s %r: its feed folder %s is taken; not written", kind, group.label, "/".join(folder)
                )
                why = "shared_folder"
            if why is not None:
                skipped[why] += 1
                continue
            taken.add(tuple(s.casefold() for s in folder))
            plans.append(_group_plan(config, kind, folder, group, limit))
    for name, documents in sorted(collections.items()):
        plans += _collection_plans(config, name, newest_first(documents, config.feeds.order_by), taken)
    return Planned(plans, dict(skipped), keys)


def _ordered(posts: Sequence[Post], by: str) -> tuple[list[Post], list[tuple[float, str]]]:
    """Newest first, as :func:`newest_first`, and their keys in that order, which archive pages are
    cut by.

    The keys are worked out here, in the order the posts were read: worked out again for the
    pages, in the feeds' order, they reached 100,000 posts' dates at random in memory (0.25 s),
    and looked up by path there 0.13 s.
    """
    keys = [order_key(p, by) for p in posts]
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)
    return [posts[i] for i in order], [keys[i] for i in order]


def _collection_plans(
    config: Config, name: str, newest: Sequence[Post], taken: set[tuple[str, ...]]
) -> list[FeedPlan]:
    """A Jekyll collection's feed (jekyll-feed's ``feed/<name>.xml``) and one per category of its
    documents (``feed/<name>/<category>.xml``)."""
    limit, folder = config.feeds.limit, (*category_dir(config), name)
    if tuple(s.casefold() for s in folder) in taken:
        log.warning(
            "collection %r: its feed %s is taken by a category's; not written", name, "/".join(folder)
        )
        return []
    title = f"{config.site.title} · {name[:1].upper()}{name[1:]}"
    plans = [
        FeedPlan(folder, title, name, tuple(newest[:limit]), kind="category", path=(name,), count=len(newest))
    ]
    for group in groups(config, "category", newest):
        plan = _group_plan(config, "category", (*folder, *group.slugs), group, limit)
        # The group's places are among the collection's documents, not the site feed's posts.
        titled = f"{title} · {group.label}"
        plans.append(replace(plan, info_title=titled, path=(name, *group.path), places=()))
    return plans


def kinds(config: Config) -> tuple[str, ...]:
    """The kinds of feed sets the config asks for: categories always, tags and authors when on."""
    return tuple(
        k for k, on in zip(KINDS, (True, config.feeds.tags, config.feeds.authors), strict=True) if on
    )


def groups(config: Config, kind: str, newest: Sequence[Post]) -> list[Category]:
    """Every category node, tag or author of ``newest`` (newest first) with its posts."""
    mapping = {"category": config.categories.map, "tag": config.tags.map, "author": config.authors.map}[kind]
    slug = slugger(config, kind)
    paths, noun, places = _PATHS[kind], _NOUNS[kind], config.feeds.archive
    return build_tree(newest, mapping, ordered=True, slug=slug, paths=paths, noun=noun, places=places)


def skip_reason(config: Config, kind: str, group: Category) -> str | None:
    """Why ``group`` gets no feed (``depth``, ``min_posts``), or None."""
    depth = config.categories.depth
    if kind == "category" and depth and len(group.path) > depth:
        return "depth"
    if len(group.posts) < config.feeds.min_posts:
        return "min_posts"
    if kind == "tag" and not _tag_wanted(config, group.label):
        return "tags_chosen"
    return None


def _tag_wanted(config: Config, name: str) -> bool:
    """Whether a tag gets a feed: ``tags.only`` (when it lists any), less ``tags.skip``, whose name
    matches ``tags.pattern`` (jekyll-feed's rules for its tag feeds)."""
    tags = config.tags
    if (tags.only and name not in tags.only) or name in tags.skip:
        return False
    return not tags.pattern or re.fullmatch(tags.pattern, name) is not None


def _group_plan(config: Config, kind: str, folder: tuple[str, ...], group: Category, limit: int) -> FeedPlan:
    label = group.label
    shown = f"#{label}" if kind == "tag" else label
    return FeedPlan(
        folder=folder,
        info_title=f"{config.site.title} · {shown}",
        label=shown,
        posts=group.posts[:limit],
        author=label if kind == "author" else "",
        kind=kind,
        path=group.path,
        count=len(group.posts),
        older=group.posts[limit:] if config.feeds.archive else (),
        places=group.places,
    )


def selected_posts(plans: Iterable[FeedPlan], among: int | None = None) -> list[Post]:
    """Every post some plan shows, once, in the order first shown (a post is the same object in
    every plan that shows it, so updating a path already seen changes nothing).

    ``among``: how many posts the plans were made from; once all of them are seen no plan can
    add one.  With archives the site's feed (the first plan) lists every post, taken as they
    are: going on through the other feeds' 300,000 places at 100,000 posts took 0.3 s of a
    build that added one, and telling the site feed's own apart 0.13 s.
    """
    plans = list(plans)
    if plans and len(plans[0].posts) + len(plans[0].older) == among:  # the site's feed lists them all
        return [*plans[0].posts, *plans[0].older]
    seen: dict[str, Post] = {}
    for plan in plans:
        if len(seen) == among:
            break
        seen.update(zip(map(_REL, plan.posts), plan.posts, strict=True))
        seen.update(zip(map(_REL, plan.older), plan.older, strict=True))
    return list(seen.values())


def category_dir(config: Config) -> tuple[str, ...]:
    """The folders category feeds go under: ``categories``, or Hexo's ``category_dir``."""
    return kind_dir(config, "category")


def kind_dir(config: Config, kind: str) -> tuple[str, ...]:
    """The folders a kind's feeds go under: ``categories.dir``, ``tags.dir`` or ``authors.dir``."""
    folder = {"category": config.categories.dir, "tag": config.tags.dir, "author": config.authors.dir}[kind]
    return tuple(part for part in folder.split("/") if part)


def header_key(plan: FeedPlan) -> str:
    """Everything of ``plan`` that :func:`feed_info` reads: with the config and the format, what
    decides a feed's header.  A fingerprint is made from it, so that the headers of the feeds a
    build leaves as they were are never built (1,274 of them: with their reprs, 52 of 650 ms of a
    build after one edit at 10,000 posts, under the profiler).  Keep the two in step."""
    return repr((plan.folder, plan.info_title, plan.label, plan.author))


def feed_info(config: Config, plan: FeedPlan, fmt: str) -> FeedInfo:
    """A feed's header: from the config, ``fmt`` and the plan's fields :func:`header_key` names."""
    site = config.site
    if plan.label:
        description = f"{plan.label} — {site.description or site.title}"
    else:
        description = site.description or site.title
    return FeedInfo(
        title=plan.info_title,
        link=page_url(config, plan.folder),
        self_url=feed_url(config, plan.folder, file_name(config, fmt)),
        description=description,
        language=site.language,
        author=plan.author or site.author or site.title,
        icon=_icon(site.icon, site.url),
        favicon=_icon(site.favicon, site.url),
        hubs=config.websub.hubs,
    )


def _icon(icon: str, site_url: str) -> str | None:
    """The icon's URL: as given when absolute, else a path on the site, as Hexo's full_url_for has it."""
    if not icon:
        return None
    if icon.startswith(("http://", "https://", "//")):
        return absolute(icon, site_url)
    return full_url(site_url, icon)


def partition(jobs: Sequence[FeedJob], parts: int) -> list[list[FeedJob]]:
    """The jobs in at most ``parts`` groups of similar work, each done by one worker from start to end.

    A worker renders every post its feeds show, so feeds that share posts
    belong together: a category's feeds (both formats) and its subcategories'
    share nearly all theirs.  Subtrees two levels down are the units, dealt
    largest first to the group with least work (work: posts to render plus
    files to write).  The other feeds (the site's, and every category's in a
    flat tree) follow, largest first: each joins the group that already
    renders at least half of its posts, else the group with least work.  A
    post shown in two groups is rendered twice, which costs far less than a
    second round of workers.
    """
    if parts <= 1 or len(jobs) < 2:
        return [list(jobs)] if jobs else []
    units: dict[str, list[FeedJob]] = {}
    shared: list[FeedJob] = []
    for job in jobs:
        folder = job.name.split("/")[:-1]
        (units.setdefault("/".join(folder[:3]), []) if len(folder) >= 3 else shared).append(job)
    groups: list[list[FeedJob]] = [[] for _ in range(parts)]
    posts: list[set[str]] = [set() for _ in range(parts)]

    def work(i: int) -> int:
        return len(posts[i]) + len(groups[i])

    def place(i: int, unit: Sequence[FeedJob]) -> None:
        groups[i].extend(unit)
        posts[i].update(rel for job in unit for rel in job.posts)

    for unit in sorted(units.values(), key=lambda u: -len({rel for job in u for rel in job.posts})):
        place(min(range(parts), key=work), unit)
    for job in sorted(shared, key=lambda j: -len(j.posts)):
        best = max(range(parts), key=lambda g: (len(posts[g].intersection(job.posts)), -work(g)))
        if 2 * len(posts[best].intersection(job.posts)) < len(set(job.posts)):
            best = min(range(parts), key=work)
        place(best, [job])
    return [group for group in groups if group]


def partition_by_date(
    jobs: Sequence[FeedJob], parts: int, key: Callable[[FeedJob], tuple[float, str]]
) -> list[list[FeedJob]]:
    """The jobs in at most ``parts`` runs of similar work, cut from their order by ``key`` (newest first).

    For archived feeds, where every post shows in a page of each feed it is
    in: grouped by feed (as :func:`partition` does), every group would render
    nearly every post, and a cold build of 100,000 posts cleaned them four times
    over (68 s against 6 s without archives).  A post's pages in its feeds hold
    posts of about its own date, so runs of dates share few posts: only those
    of a page that straddles two runs are rendered twice.
    """
    ordered = sorted(jobs, key=key)
    if parts <= 1 or len(ordered) < 2:
        return [ordered] if ordered else []
    total = sum(len(job.posts) + 1 for job in ordered)
    groups: list[list[FeedJob]] = [[]]
    done = 0
    for job in ordered:
        if done >= total * len(groups) / parts and len(groups) < parts:
            groups.append([])
        groups[-1].append(job)
        done += len(job.posts) + 1
    return [group for group in groups if group]
