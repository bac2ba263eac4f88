"""Reading ``config.yaml`` (and a Hexo ``_config.yml``) into a :class:`~feeds.config.model.Config`.

It exists to keep the YAML's shape away from the rest of the code: the file is read once, sections
are merged over Hexo's, each value is converted to its field's type (durations, paths, YAML 1.1
booleans), relative paths are resolved against the file's folder, and an unknown key is reported
with its dotted name and the nearest known key.  ``effective`` and ``with_overrides`` are the two
ways back out: every setting as a dotted key, and a copy with command-line flags applied.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..urls import canonical_site_url
from ..yamltext import YAMLProblem, load
from .model import _SECTIONS, Config
from .validate import validate

_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "Path": (str,),
}
_TYPE_WORDS = {
    "str": "a string",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "Path": "a path",
}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def load_config(path: Path | None, hexo: Path | None = None, jekyll: Path | None = None) -> Config:
    """Load and validate a config file; relative paths resolve against its folder.

    ``path=None`` gives the defaults relative to the current folder, which is
    what ``feeds convert`` uses.  ``hexo`` names a Hexo ``_config.yml`` to read
    the site from (as does a ``hexo:`` key in the file), ``jekyll`` a Jekyll
    site's (or a ``jekyll:`` key); the file's own keys win.
    """
    return load_with_sources(path, hexo, jekyll)[0]


def locate(
    given: Path | None, hexo: Path | None, here: Path, jekyll: Path | None = None
) -> tuple[Path | None, Path | None, Path | None]:
    """Which config file and which Hexo or Jekyll ``_config.yml`` to read, from what the command line named.

    ``--hexo DIR`` (or ``--jekyll DIR``) reads that site (with ``--config`` on
    top when given); else ``--config``; else ``config.yaml`` here; else, in a
    site's folder with no ``config.yaml``, its ``_config.yml``: a Jekyll site's
    when ``_posts/`` sits beside it (Hexo keeps posts in ``source/_posts/``), else
    a Hexo blog's.  Nothing found: ``config.yaml``, so the error names the file
    a newcomer should write.
    """
    if jekyll is not None:
        return given, None, jekyll / "_config.yml" if jekyll.is_dir() else jekyll
    if hexo is not None:
        return given, hexo / "_config.yml" if hexo.is_dir() else hexo, None
    if given is not None:
        return given, None, None
    if not (here / "config.yaml").exists() and (here / "_config.yml").is_file():
        if (here / "_posts").is_dir() and not (here / "source" / "_posts").is_dir():
            return None, None, here / "_config.yml"
        return None, here / "_config.yml", None
    return here / "config.yaml", None, None


def load_with_sources(
    path: Path | None, hexo: Path | None = None, jekyll: Path | None = None
) -> tuple[Config, dict[str, str]]:
    """The config, and for each key that was set, where its value came from (``feeds config``)."""
    raw: dict[str, Any] = _read(path) if path is not None else {}
    base = path.resolve().parent if path is not None else Path.cwd()
    sources = {key: path.name for key in _dotted(raw) if key not in _SITE_KEYS} if path is not None else {}
    hexo, jekyll = _named_site(raw, path, base, hexo, jekyll)
    site = jekyll or hexo
    if site is not None:
        try:
            site_raw, site_sources = _from_site(site, jekyll is not None)
        except ConfigError as e:
            raise ConfigError(e.reason, key=e.key, path=site) from None
        raw = _merged(site_raw, raw)
        sources = {**site_sources, **sources}
    try:
        config = _build(Config, raw, "")
        config = _resolve_paths(_canonical_url(config), base)
        validate(config)
    except ConfigError as e:
        raise ConfigError(e.reason, key=e.key, path=path or site) from None
    return config, sources


_SITE_KEYS = ("hexo", "jekyll")  # keys of config.yaml that name a site's _config.yml to read under it


def _named_site(
    raw: dict[str, Any], path: Path | None, base: Path, hexo: Path | None, jekyll: Path | None
) -> tuple[Path | None, Path | None]:
    """The Hexo or Jekyll ``_config.yml`` to read: the command line's, else the one config.yaml names."""
    named = {key: raw.pop(key) for key in _SITE_KEYS if key in raw}
    for key, value in named.items():
        if not isinstance(value, str):
            raise ConfigError(f"expected the path of {key.title()}'s _config.yml", key=key, path=path)
    if len(named) > 1:
        raise ConfigError("name a Hexo or a Jekyll site, not both", key="jekyll", path=path)
    if hexo is None and jekyll is None:
        if "hexo" in named:
            hexo = base / named["hexo"]
        elif "jekyll" in named:
            jekyll = base / named["jekyll"]
    return hexo, jekyll


def _from_site(site: Path, is_jekyll: bool) -> tuple[dict[str, Any], dict[str, str]]:
    if is_jekyll:
        from .jekyll import from_jekyll  # only for Jekyll sites

        return from_jekyll(site, _read(site))
    from .hexo import from_hexo  # only for Hexo sites

    return from_hexo(site, _read(site, hexo_site=True))


def _read(path: Path, hexo_site: bool = False) -> dict[str, Any]:
    """A config file's mapping; ``hexo_site``: a Hexo site's ``_config.yml``, read by Hexo's YAML rules
    (a Jekyll site's is read as YAML, as Ruby's parser reads the forms such files use)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read config: {e.strerror or e}", path=path) from e
    except UnicodeDecodeError as e:
        raise ConfigError("config is not UTF-8", path=path) from e
    try:
        if hexo_site:  # PyYAML with js-yaml's types: loaded only for a Hexo site, not on every cron run
            from ..siteyaml import load_site_file

            raw = load_site_file(text, str(path)) or {}
        else:
            raw = load(text) or {}
    except YAMLProblem as e:
        raise ConfigError(f"not valid YAML: {e}", path=path) from e
    if not isinstance(raw, dict):
        raise ConfigError("the config must be a mapping of keys to values", path=path)
    return raw


def _merged(under: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``under``, section by section."""
    out = dict(under)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key in _SECTIONS:
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _dotted(raw: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    for key, value in raw.items():
        if key in _SECTIONS and isinstance(value, dict):
            keys.extend(f"{key}.{inner}" for inner in value)
        else:
            keys.append(str(key))
    return keys


def effective(config: Config) -> dict[str, Any]:
    """Every setting as a dotted key, in the order ``config.yaml`` documents them."""
    values: dict[str, Any] = {}
    for f in fields(config):
        value = getattr(config, f.name)
        if f.name in _SECTIONS:
            values.update({f"{f.name}.{inner.name}": getattr(value, inner.name) for inner in fields(value)})
        else:
            values[f.name] = value
    return values


def _build(cls: Any, raw: dict[str, Any], prefix: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = f"{prefix}{key}"
        if not isinstance(key, str) or key not in known:
            near = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean '{prefix}{near[0]}'?)" if near else ""
            raise ConfigError(f"unknown key{hint}; known keys: {', '.join(sorted(known))}", key=dotted)
        values[key] = _convert(known[key], value, dotted)
    return cls(**values)


def _convert(f: Any, value: Any, dotted: str) -> Any:
    type_name = f.type if isinstance(f.type, str) else f.type.__name__
    if f.name in _SECTIONS and type_name == _SECTIONS[f.name].__name__:  # not feeds.tags, a flag
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise ConfigError("expected a mapping of keys to values", key=dotted)
        return _build(_SECTIONS[f.name], value, dotted + ".")
    if type_name.startswith("tuple"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("expected a list of strings", key=dotted)
        return tuple(value)
    if type_name.startswith("dict"):
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str | int) for v in value.values()):
            raise ConfigError("expected a mapping of names to strings", key=dotted)
        return {str(k): str(v) for k, v in value.items()}
    if f.name == "ttl":
        return _duration(value, dotted)
    if type_name == "bool" and isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        return _YAML11_BOOLS[value.lower()]  # `yes`/`no`: booleans in YAML 1.1, words in YAML 1.2
    expected = _TYPES[type_name]
    ok = isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected)
    if not ok:
        raise ConfigError(f"expected {_TYPE_WORDS[type_name]}, got {value!r}", key=dotted)
    if type_name == "Path":
        return Path(value)
    if type_name == "float":
        return float(value)
    return value


_YAML11_BOOLS = {"yes": True, "no": False, "on": True, "off": False, "y": True, "n": False}


def _duration(value: Any, dotted: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    m = _DURATION.match(str(value)) if isinstance(value, str) else None
    if not m:
        raise ConfigError(f"expected a duration such as 7d, 12h, 30m or seconds, got {value!r}", key=dotted)
    return float(m.group(1)) * _UNITS[m.group(2)]


def _resolve_paths(config: Config, base: Path) -> Config:
    return replace(
        config,
        source=base / config.source,
        output=base / config.output,
        cache=base / config.cache,
    )


def with_overrides(config: Config, **changes: Any) -> Config:
    """A validated copy with CLI flags applied: top-level keys, or ``site_*``/``fetch_*`` for sections."""
    sections: dict[str, dict[str, Any]] = {"site": {}, "fetch": {}}
    top: dict[str, Any] = {}
    for key, value in changes.items():
        if value is None:
            continue
        section, _, name = key.partition("_")
        if section in sections and name:
            sections[section][name] = value
        else:
            top[key] = value
    for section, values in sections.items():
        if values:
            top[section] = replace(getattr(config, section), **values)
    result = _canonical_url(replace(config, **top))
    validate(result)
    return result


def _canonical_url(config: Config) -> Config:
    """The site URL once, as Hexo's links start with it, so every writer (feeds, OPML, index, pages)
    builds on the same host: lower case, no default port, an internationalised host in Unicode."""
    try:
        url = canonical_site_url(config.site.url)
    except ValueError as e:
        raise ConfigError(
            f"must be an absolute http(s) URL such as https://example.com/: {config.site.url!r} {e}",
            key="site.url",
        ) from e
    return config if url == config.site.url else replace(config, site=replace(config.site, url=url))
