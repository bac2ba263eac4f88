"""A Hexo site's YAML files read as Hexo's yaml renderer reads them (feeds/siteyaml.py).

Every expectation below is what node printed for the same text with js-yaml 4.3.2 and
js-yaml-js-types 1.0.1 after hexo-front-matter 4.2.1's escape, as Hexo 8's yaml renderer reads
it: ``tools/yaml_oracle/yaml_oracle.js`` run by hand on CASES (a RegExp printed as
``{"$regexp": source, "$flags": flags}``, a Date as ``{"$date": ISO}``, a number JSON cannot
hold as ``{"$number": ...}``; undefined and functions as JSON.stringify leaves them).
"""

from __future__ import annotations

import logging
import math
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from feeds.siteyaml import JSRegExp, load_site_file
from feeds.yamltext import YAMLProblem

CASES = {
    "tab_indented_section": (
        "html_minifier:\n\tcollapseWhitespace: true\n"
        "\tignoreCustomComments: [ !!js/regexp /^\\s*more/]\n\tremoveComments: true\ntitle: Blog\n"
    ),
    "tabs_nested": "a:\n\tb:\n\t\tc: 1\n\td: [x, y]\n",
    "tab_block_scalar": "text: |\n\tline one\n\t\tline two\nnext: 1\n",
    "tab_first_line": "\ta: 1\n",
    "tab_after_key": "a:\tb\nc: \t1\n",
    "regexp_flags": "r: !!js/regexp /Hello\\s+World/gi\n",
    "regexp_bare": "r: !!js/regexp ^abc$\n",
    "regexp_quoted": "r: !!js/regexp '/a b/m'\n",
    "regexp_in_list": (
        "pwa:\n  routes:\n    - pattern: !!js/regexp /hm.baidu.com/\n      strategy: networkOnly\n"
        "    - pattern: !!js/regexp /.*\\.(js|css)$/\n"
    ),
    "regexp_unterminated": "r: !!js/regexp /abc\n",
    "regexp_bad_flag": "r: !!js/regexp /abc/x\n",
    "regexp_four_flags": "r: !!js/regexp /abc/gimg\n",
    "undefined": (
        "a: 1\nb: !!js/undefined\nc:\n  - 1\n  - !!js/undefined\n  - 3\nd: !!js/undefined anything\n"
    ),
    "function": (
        "a: 1\nhook: !!js/function 'function (x) { return x + 1 }'\nnested:\n"
        "  f: !!js/function () => 1\n  keep: yes\nlist: [!!js/function 'function () {}', 2]\n"
    ),
    "scalars": (
        "yes: yes\nno: no\non: on\noctal_like: 010\noctal: 0o17\nhex: 0x1F\nbin: 0b101\nunderscore: 1_000\n"
        "float: 1.5e3\nlead_dot: .5\nneg_lead_dot: -.5\ninf: -.Inf\nnan: .NaN\nnull1: ~\nnull2: Null\n"
        "empty:\ntrue_upper: TRUE\nsexagesimal: 1:20\nplus: +12\nzero: -0\nexp: 1e3\nversion: 1.10\n"
    ),
    "keys": "1: one\ntrue: t\n~: n\n2.5: f\n? [a, b]\n: list\n0x10: hex\n",
    "merge": "base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\n",
    "dates": "d: 2024-01-02\nt: 2024-01-02 03:04:05 +08:00\nshort: 2024-1-2\n",
    "not_yaml": "title: Blog\nurl: [unclosed\npermalink: x\n",
    "unknown_tag": "a: !foo bar\n",
    "duplicate": "a: 1\na: 2\n",
}
ORACLE: dict[str, dict[str, Any]] = {
    "tab_indented_section": {
        "value": {
            "html_minifier": {
                "collapseWhitespace": True,
                "ignoreCustomComments": [{"$regexp": "^\\s*more", "$flags": ""}],
                "removeComments": True,
            },
            "title": "Blog",
        },
        "functions": [],
    },
    "tabs_nested": {"value": {"a": {"b": {"c": 1}, "d": ["x", "y"]}}, "functions": []},
    "tab_block_scalar": {"value": {"text": "line one\n  line two\n", "next": 1}, "functions": []},
    "tab_first_line": {"error": "end of the stream or a document separator is expected (1:3)"},
    "tab_after_key": {"value": {"a": "b", "c": 1}, "functions": []},
    "regexp_flags": {"value": {"r": {"$regexp": "Hello\\s+World", "$flags": "gi"}}, "functions": []},
    "regexp_bare": {"value": {"r": {"$regexp": "^abc$", "$flags": ""}}, "functions": []},
    "regexp_quoted": {"value": {"r": {"$regexp": "a b", "$flags": "m"}}, "functions": []},
    "regexp_in_list": {
        "value": {
            "pwa": {
                "routes": [
                    {"pattern": {"$regexp": "hm.baidu.com", "$flags": ""}, "strategy": "networkOnly"},
                    {"pattern": {"$regexp": ".*\\.(js|css)$", "$flags": ""}},
                ]
            }
        },
        "functions": [],
    },
    "regexp_unterminated": {
        "error": "cannot resolve a node with !<tag:yaml.org,2002:js/regexp> explicit tag (1:20)"
    },
    "regexp_bad_flag": {
        "error": "cannot resolve a node with !<tag:yaml.org,2002:js/regexp> explicit tag (1:22)"
    },
    "regexp_four_flags": {
        "error": "cannot resolve a node with !<tag:yaml.org,2002:js/regexp> explicit tag (1:25)"
    },
    "undefined": {"value": {"a": 1, "c": [1, None, 3]}, "functions": []},
    "function": {
        "value": {"a": 1, "nested": {"keep": "yes"}, "list": [None, 2]},
        "functions": ["hook", "nested.f", "list.0"],
    },
    "scalars": {
        "value": {
            "yes": "yes",
            "no": "no",
            "on": "on",
            "octal_like": 10,
            "octal": 15,
            "hex": 31,
            "bin": 5,
            "underscore": "1_000",
            "float": 1500,
            "lead_dot": 0.5,
            "neg_lead_dot": "-.5",
            "inf": {"$number": "-Infinity"},
            "nan": {"$number": "NaN"},
            "null1": None,
            "null2": None,
            "empty": None,
            "true_upper": True,
            "sexagesimal": "1:20",
            "plus": 12,
            "zero": 0,
            "exp": 1000,
            "version": 1.1,
        },
        "functions": [],
    },
    "keys": {
        "value": {"1": "one", "16": "hex", "true": "t", "null": "n", "2.5": "f", "a,b": "list"},
        "functions": [],
    },
    "merge": {"value": {"base": {"x": 1, "y": 2}, "child": {"x": 1, "y": 3}}, "functions": []},
    "dates": {
        "value": {
            "d": {"$date": "2024-01-02T00:00:00.000Z"},
            "t": {"$date": "2024-01-01T19:04:05.000Z"},
            "short": "2024-1-2",
        },
        "functions": [],
    },
    "not_yaml": {"error": "missed comma between flow collection entries (3:1)"},
    "unknown_tag": {"error": "unknown tag !<!foo> (1:12)"},
    "duplicate": {"error": "duplicated mapping key (2:1)"},
}
# Where feeds reads on and Hexo stops: a repeated key keeps its last value (PyYAML's and yaml-rs's way)
# rather than refusing a site over a slip that changes nothing feeds reads.
LENIENT = {"duplicate": {"a": 2}}


def as_oracle(value: Any) -> Any:
    """feeds' value in the oracle's notation."""
    if isinstance(value, JSRegExp):
        return {"$regexp": str(value), "$flags": value.flags}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$number": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return {"$date": moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")}
    if isinstance(value, date):
        return {"$date": f"{value.isoformat()}T00:00:00.000Z"}
    if isinstance(value, dict):
        return {k: as_oracle(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_oracle(v) for v in value]
    return value


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_site_yaml_file_reads_as_hexo_reads_it(name: str, caplog: pytest.LogCaptureFixture) -> None:
    expected = ORACLE[name]
    if name in LENIENT:
        assert "error" in expected
        assert load_site_file(CASES[name], "_config.yml") == LENIENT[name]
        return
    if "error" in expected:
        with pytest.raises(YAMLProblem) as raised:
            load_site_file(CASES[name], "_config.yml")
        assert raised.value.line is not None  # the message names the line, as Hexo's does
        return
    with caplog.at_level(logging.WARNING, logger="feeds.siteyaml"):
        value = load_site_file(CASES[name], "_config.yml")
    assert as_oracle(value) == expected["value"]
    warned = {m.split(": ", 1)[1].split(" is a JavaScript function")[0] for m in caplog.messages}
    assert warned == {re.sub(r"\.(\d+)", r"[\1]", key) for key in expected["functions"]}
    assert all(m.startswith("_config.yml: ") for m in caplog.messages)  # the file, then the key


def test_a_regexp_keeps_its_flags_and_reads_as_its_source() -> None:
    value = load_site_file(CASES["regexp_flags"], "_config.yml")["r"]
    assert isinstance(value, str) and value == "Hello\\s+World" and value.flags == "gi"
    assert re.search(value, "Hello   World")  # a pattern Python can use, for the simple ones


def test_aliases_are_read_once_however_often_they_are_used() -> None:
    """A file of nested aliases (a billion laughs) is not walked once per use."""
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    value = load_site_file(text, "_config.yml")
    assert value["i"][0][0][0][0][0][0][0][0] == ["x"] * 10


def test_a_line_of_the_error_is_the_line_in_the_file() -> None:
    with pytest.raises(YAMLProblem) as raised:
        load_site_file(CASES["not_yaml"], "_config.yml")
    assert raised.value.line == 3
