"""No value from outside becomes HTML: the view code hands E()/dom.content()/dom.append()/
ui.showModal()/ui.addNotification() only arrays, nodes and literals (see jslint.py), and never
touches innerHTML. Pure Python: runs in CI without a browser."""

from __future__ import annotations

import jslint
import pytest

from support import ROOT

RESOURCES = ROOT / "luci-static" / "resources"


def view_sources() -> dict[str, str]:
    out = {}
    for path in sorted(RESOURCES.rglob("*.js")):
        out[path.stem] = path.read_text(encoding="utf-8")
    return out


def test_no_view_code_hands_a_bare_string_to_the_dom():
    sources = view_sources()
    assert {"common", "wizards", "networks", "radios", "clients", "diagnostics",
            "linkpolicy"} <= set(sources)
    scope = jslint.Scope(sources)
    problems = []
    for module, src in sources.items():
        problems += jslint.lint(src, module, scope, module)
    assert problems == []


def _lint(snippet: str) -> list[str]:
    """Lint a snippet as if it were a view next to the real common.js."""
    common = (RESOURCES / "wifimgr" / "common.js").read_text(encoding="utf-8")
    scope = jslint.Scope({"common": common, "view": snippet})
    return jslint.lint(snippet, "view", scope, "view")


@pytest.mark.parametrize("bad", [
    "E('td', {}, x.ssid)",
    "E('td', x.ssid)",
    "E('td', { 'class': 'td' }, _('Remove %s?').format(n.ssid))",
    "E('pre', {}, (lp.log || []).join('\\n'))",
    "E('td', {}, a ? x.ssid : E('em', {}, 'hidden'))",
    "E('td', {}, n.ssid || _('(no SSID)'))",
    "E('td', {}, 'L' + l.link_id)",
    "dom.content(out, r.message)",
    "dom.append(node, line)",
    "ui.showModal(_('Remove %s?').format(n.ssid), [])",
    "ui.addNotification(null, wm.errorText(r), 'error')",
    "node.innerHTML = text",
    "node.insertAdjacentHTML('beforeend', t)",
    "E('<div>' + x + '</div>')",
    "dom.parse(s)",
    "var v = x.ssid; E('td', {}, v)",
    "function f(s) { return s + '!'; } E('td', {}, f(x))",
    "E('td', {}, 'x'.concat(y))",
])
def test_the_lint_catches_each_way_a_string_becomes_html(bad):
    """Control: every one of these is an injection under LuCI's dom.append (a string child
    outside an array goes to innerHTML), and the lint reports it."""
    assert _lint(bad), bad


@pytest.mark.parametrize("good", [
    "E('td', {}, [ x.ssid ])",
    "E('td', {}, [ _('Remove %s?').format(n.ssid) ])",
    "E('td', {}, wm.text(x.ssid))",
    "E('td', {}, E('code', {}, [ c.mac ]))",
    "E('td', {}, _('Disconnect'))",
    "E('td', {}, 'SSID')",
    "E('td', {}, list.map(function(x) { return x.ssid; }))",
    "E('td', {}, [ a ].concat(rows.map(function(x) { return x; })))",
    "E('td', {}, a ? E('em', {}, 'hidden') : [ x.ssid ])",
    "var v = [ x.ssid ]; E('td', {}, v)",
    "function f(s) { return E('b', {}, [ s ]); } E('td', {}, f(x))",
    "ui.showModal([ title ], [ E('p', {}, [ t ]) ])",
    "E('input', { 'value': x.ssid, 'title': x.ssid })",
])
def test_the_lint_accepts_text_safe_forms(good):
    assert _lint(good) == [], good


def test_lint_follows_helpers_across_files():
    """``wm.x(...)`` resolves to common.js: a helper that returns a string is caught."""
    scope = jslint.Scope({
        "common": "return baseclass.extend({ label: function(s) { return s + ' dBm'; }, "
                  "pill: function(b) { return E('span', {}, [ b ]); } });",
        "view": "E('td', {}, wm.pill(x)); E('td', {}, wm.label(x));",
    })
    problems = jslint.lint(None, "view", scope, "view")
    assert len(problems) == 1 and "wm . label" in problems[0]


def test_the_text_helper_makes_a_text_node():
    scope = jslint.Scope(view_sources())
    assert scope.returns_safe("common", "text")
    assert scope.returns_safe("common", "bandPill") and scope.returns_safe("common", "sparkline")
    assert not scope.returns_safe("common", "errorText")      # a string: must be wrapped
    assert not scope.returns_safe("common", "mbps")
