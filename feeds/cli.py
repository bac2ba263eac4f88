"""Command line: thin commands that parse arguments, call one library function and print."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .builder import NO_PROGRESS, Advance, BuildReport, Progress, build
from .config import Config, effective, load_with_sources, locate, with_overrides
from .errors import ConfigError, FeedsError, LockError, SourceError
from .output import write_atomic

EXIT_SKIPPED = 1
EXIT_USAGE = 2
EXIT_TEMPFAIL = 75  # sysexits.h EX_TEMPFAIL: another build holds the output; try again later


class UsageProblem(click.ClickException):
    """A bad config or a missing source: exit 2, as click does for bad arguments."""

    exit_code = EXIT_USAGE


def _setup_logging(verbose: int = 0) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("feeds")
    root.handlers[:] = [handler]
    root.propagate = False
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)


def _load(config_path: Path | None, hexo: Path | None = None, **overrides: Any) -> Config:
    return _load_with_sources(config_path, hexo, **overrides)[0]


def _load_with_sources(
    config_path: Path | None, hexo: Path | None, **overrides: Any
) -> tuple[Config, dict[str, str]]:
    jekyll = click.get_current_context().meta.get(_JEKYLL)
    path, hexo_file, jekyll_file = locate(config_path, hexo, Path.cwd(), jekyll)
    try:
        config, sources = load_with_sources(path, hexo_file, jekyll_file)
        return with_overrides(config, **overrides), sources
    except ConfigError as e:
        raise UsageProblem(str(e)) from e


_JEKYLL = "feeds.jekyll"  # where --jekyll leaves its folder in the command's context


def _remember_jekyll(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[_JEKYLL] = value


def _config_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="The config file [default: config.yaml, or a Hexo blog's or Jekyll site's _config.yml "
        "when there is none].",
    )(command)


def _hexo_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--hexo",
        type=click.Path(path_type=Path, exists=True),
        help="A Hexo blog's folder (or its _config.yml) to read the site from.",
    )(command)


def _site_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--hexo, and --jekyll (kept in the context, so that every command's signature stays as it is)."""
    command = click.option(
        "--jekyll",
        type=click.Path(path_type=Path, exists=True),
        expose_value=False,
        callback=_remember_jekyll,
        help="A Jekyll site's folder (or its _config.yml) to read the site from.",
    )(command)
    return _hexo_option(command)


def _config_options(command: Callable[..., Any]) -> Callable[..., Any]:
    return _config_option(_site_options(command))


def _version_message() -> str:
    """``feeds 0.2.0 (Python 3.11.7)``: a bug report needs both, and cron may run another Python."""
    python = sys.version.split(" ", 1)[0]  # as platform.python_version(), without importing platform
    return f"%(prog)s %(version)s (Python {python})"


def run() -> NoReturn:
    """The ``feeds`` command (and ``python -m feeds``): :func:`main`, then an exit that skips teardown.

    At exit Python would free the libraries and caches a build loaded, object by
    object, some 30 ms of a cold build, for memory the system takes back whole.
    Every file the command wrote is closed and in place by then; what it
    printed is flushed here.
    """
    try:
        main()
        code: object = 0
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # a message, as sys.exit("...") would print it
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away, a closed stream
            stream.flush()
    os._exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feeds", message=_version_message())
def main() -> None:
    """Feeds for every category of a Hexo blog or a folder of posts.

    RSS 2.0, Atom 1.0 and JSON Feed 1.1: one site feed and one per category
    (per tag and author when asked), an OPML list and an index page; written
    quietly, atomically and incrementally, so a cron job can run it often.
    "feeds COMMAND --help" tells more about each command.

    \b
    Example:
        feeds build                             # config.yaml here, or the Hexo blog in this folder
        feeds build --quiet --wait 300          # from cron
        feeds convert post.md --format rss -o feed.xml
    """


@main.command("build")
@_config_option
@click.option("--quiet", "-q", is_flag=True, help="Print only warnings and errors (for cron).")
@click.option(
    "--wait",
    type=float,
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another build on the same output to finish, then exit 75.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any post was skipped.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary instead of the line.")
@_site_options
@click.option("--source", type=click.Path(path_type=Path), help="Posts folder (overrides the config).")
@click.option("--output", type=click.Path(path_type=Path), help="Output folder (overrides the config).")
@click.option("--fetch/--no-fetch", "fetch", default=None, help="Resolve thumbnails over HTTP.")
@click.option("--offline", is_flag=True, help="No network: cached thumbnail data only, no WebSub ping.")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
def build_command(
    config_path: Path | None,
    quiet: bool,
    wait: float,
    strict: bool,
    as_json: bool,
    hexo: Path | None,
    source: Path | None,
    output: Path | None,
    fetch: bool | None,
    offline: bool,
    verbose: int,
) -> None:
    """Write every feed the config describes, and only what changed.

    Reads --config, else config.yaml here, else the Hexo blog in this folder.
    Prints one summary line; warnings go to stderr as "path: reason".

    Exit status: 0 done; 1 a post was skipped under --strict; 2 bad config or
    source; 75 another build holds the output folder (try again later).

    \b
    Example:
        feeds build                            # config.yaml, or the Hexo blog in this folder
        feeds build --quiet --wait 300         # from cron: prints only what needs a look
        feeds build --hexo ~/blog              # a Hexo blog, as its _config.yml says
        feeds build --jekyll ~/site            # a Jekyll site, as its _config.yml says
        # a crontab line: every ten minutes
        */10 * * * *  cd /srv/blog && feeds build --quiet --wait 300
    """
    _setup_logging(verbose)
    config = _load(config_path, hexo, source=source, output=output, fetch_enabled=fetch)
    bars: Progress = NO_PROGRESS if quiet or as_json or not sys.stderr.isatty() else _Bars()
    try:
        report = build(config, offline=offline, wait=wait, progress=bars)
    except SourceError as e:
        raise UsageProblem(str(e)) from e
    except LockError as e:
        click.echo(f"feeds: {e}", err=True)
        sys.exit(EXIT_TEMPFAIL)
    except FeedsError as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        click.echo(json.dumps(summary_json(report), ensure_ascii=False))
    elif not quiet:
        click.echo(summary_line(report, config))
    if strict and report.skipped:
        sys.exit(EXIT_SKIPPED)


class _Bars:
    """Progress bars on a terminal (stderr, so stdout stays one summary line)."""

    @contextmanager
    def phase(self, label: str, total: int) -> Iterator[Advance]:
        if total < 50:
            yield lambda n: None
            return
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
            yield bar.update


def summary_json(report: BuildReport) -> dict[str, Any]:
    return {
        "posts": {
            "read": report.posts_read,
            "skipped": report.skipped,
            "changed": report.changed,
            "drafts": report.drafts,
            "protected": report.protected,
            "hidden": report.hidden,
            "excluded": dict(report.excluded),
        },
        "feeds": {
            "written": report.feeds_written,
            "unchanged": report.feeds_unchanged,
            "removed": report.feeds_removed,
            "not_written": dict(report.not_written),
        },
        "thumbnails": {
            "fetched": report.thumbnails_fetched,
            "cached": report.thumbnails_cached,
            "failed": report.thumbnails_failed,
        },
        "files": report.files,
        "pages": {"linked": report.pages_linked},
        "websub": {"sent": report.pings_sent, "failed": report.pings_failed},
        "seconds": {**report.seconds, "total": report.total_seconds},
        "errors": [str(e) for e in report.errors],
        "warnings": [{"path": n.path, "kind": n.kind, "message": n.text} for n in report.warnings],
    }


def summary_line(report: BuildReport, config: Config) -> str:
    line = (
        f"{report.posts_read} posts read, {report.skipped} skipped, "
        f"{report.feeds_written} feeds written, {report.feeds_unchanged} unchanged"
    )
    if report.feeds_removed:
        line += f", {report.feeds_removed} removed"
    if report.protected:
        shown = "left out" if config.filters.protected == "omit" else "abstract only"
        line += f", {report.protected} protected ({shown})"
    if report.hidden:
        line += f", {report.hidden} hidden"
    others = {rule: n for rule, n in report.excluded.items() if rule not in ("hidden", "protected")}
    line += _counted(others, "posts excluded") + _counted(report.not_written, "feeds not written")
    if config.fetch.enabled:
        line += (
            f", thumbnails: {report.thumbnails_fetched} fetched, {report.thumbnails_cached} cached, "
            f"{report.thumbnails_failed} failed"
        )
    if report.pages_linked:
        line += f", {report.pages_linked} pages given feed links"
    if report.pings_sent or report.pings_failed:
        line += f", WebSub: {report.pings_sent} pings sent, {report.pings_failed} failed"
    return f"{line}, {report.total_seconds:.2f} s"


def _counted(counts: dict[str, int], what: str) -> str:
    """``, 3 posts excluded (feed: false 1, filters.exclude_tags 2)``, or nothing when none were."""
    from .builder import rule_name

    total = sum(counts.values())
    if not total:
        return ""
    each = ", ".join(f"{rule_name(rule)} {n}" for rule, n in counts.items() if n)
    return f", {total} {what} ({each})"


@main.command("convert")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path, allow_dash=True)
)
@click.option(
    "--format", "fmt", type=click.Choice(["rss", "atom", "json"]), default="atom", show_default=True
)
@click.option("--url", default="https://example.com/", show_default=True, help="The site's base URL.")
@click.option("--title", default=None, help="Feed title (default: the first path's folder name).")
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or - for stdout.")
def convert_command(paths: tuple[Path, ...], fmt: str, url: str, title: str | None, output: str) -> None:
    """One feed from a few posts, with no config file.

    Every post in the files and folders given (or one from standard input: -),
    newest first, to standard output or to the file -o names.

    Exit status: 0 done; 1 when the paths hold no post at all (no feed is written).

    \b
    Example:
        feeds convert source/_posts/hello.md --format rss --url https://me.example -o feed.xml
        feeds convert notes/ --title Notes -o notes.atom
        cat post.md | feeds convert - --format json --url https://me.example
    """
    _setup_logging()
    first = paths[0].resolve()
    default_title = first.name if first.is_dir() else first.parent.name
    try:  # no config file: the one-off conversion needs none
        config = with_overrides(Config(), site_url=url, site_title=title or default_title or "feeds")
    except ConfigError as e:
        raise UsageProblem(str(e)) from e
    from .builder import STDIN, convert  # not loaded by cron's `feeds build`

    stdin = sys.stdin.buffer.read() if STDIN in paths else None
    converted = convert(config, paths, fmt, stdin)
    for error in converted.errors:
        click.echo(str(error), err=True)
    data = converted.data
    if data is None:
        named = ", ".join("standard input" if p == STDIN else str(p) for p in paths)
        click.echo(f"feeds: no post to convert in {named}; no feed written", err=True)
        sys.exit(EXIT_SKIPPED)
    if output == "-":
        sys.stdout.buffer.write(data)
    else:
        try:
            write_atomic(Path(output), data)
        except FeedsError as e:
            raise click.ClickException(str(e)) from e


@main.command("categories")
@_config_options
@click.option(
    "--kind",
    type=click.Choice(["category", "tag", "author"]),
    default="category",
    show_default=True,
    help="What to list.",
)
def categories_command(config_path: Path | None, hexo: Path | None, kind: str) -> None:
    """List each category, tag or author: post count and feed files.

    Tab-separated: name, post count, slug path, feed files. A row the build
    writes no feed for has "-" for its files and a fifth column saying why
    (a filter, categories.depth, feeds.min_posts).

    \b
    Example:
        feeds categories                       # config.yaml, or the Hexo blog in this folder
        feeds categories --config config.yaml --kind tag
    """
    _setup_logging()
    config = _load(config_path, hexo)
    try:
        from .builder import list_categories

        found = list_categories(config, kind)
    except SourceError as e:
        raise UsageProblem(str(e)) from e
    for error in found.errors:
        click.echo(str(error), err=True)
    for item in found.rows:
        files = "  ".join(item.files) or "-"
        why = f"\t{item.why}" if item.why else ""
        click.echo(f"{item.label}\t{item.count}\t{item.slug_path}\t{files}{why}")
    if found.protected or found.hidden:  # on stderr: stdout stays one row per line for scripts
        shown = "left out" if config.filters.protected == "omit" else "in feeds by their abstract only"
        click.echo(f"feeds: {found.protected} posts protected ({shown}), {found.hidden} hidden", err=True)


@main.command("config")
@_config_options
def config_command(config_path: Path | None, hexo: Path | None) -> None:
    """Print every setting in effect, and where each value came from.

    One "key = value" a line, then where it came from: config.yaml, a Hexo
    blog's _config.yml (and its key), or the default.

    \b
    Example:
        feeds config                           # config.yaml, or the Hexo blog in this folder
        feeds config --hexo ~/blog
    """
    _setup_logging()
    config, sources = _load_with_sources(config_path, hexo)
    for key, value in effective(config).items():
        shown = json.dumps(str(value) if isinstance(value, Path) else value, ensure_ascii=False)
        click.echo(f"{key} = {shown}\t# {sources.get(key, 'default')}")
