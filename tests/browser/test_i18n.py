"""Translations: every user-visible string of the views goes through ``_()``/``N_()``, the
template po/templates/wifimgr.pot is what LuCI's i18n scan (build/i18n-scan.pl: xgettext
over the JS, ``title``/``description`` of menu.d and acl.d) produces for this tree —
``make i18n LUCI_SRC=…`` regenerates it — and every po/<lang>/wifimgr.po follows it, which
the OpenWrt recipe (luci.mk) turns into luci-i18n-wifimgr-<lang> packages with po2lmo.
Pure Python: runs in CI."""

from __future__ import annotations

import ast
import json
import re

import jslint

from support import ROOT

POT = ROOT / "po" / "templates" / "wifimgr.pot"


def parse_po(text: str) -> dict[str | tuple[str, str], str]:
    """msgid (or (msgid, msgid_plural)) → msgstr (msgstr[0] for plurals), header dropped."""
    entries: dict[str | tuple[str, str], str] = {}
    cur: dict[str, str] = {}
    last = None

    def flush() -> None:
        if cur.get("msgid"):
            key = (cur["msgid"], cur["msgid_plural"]) if "msgid_plural" in cur else cur["msgid"]
            entries[key] = cur.get("msgstr", cur.get("msgstr[0]", ""))
        cur.clear()

    for line in [*text.splitlines(), ""]:
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if m:
            if m.group(1) == "msgid" and cur:
                flush()
            last = m.group(1)
            cur[last] = ast.literal_eval(f'"{m.group(2)}"')
        elif line.startswith('"') and last:
            cur[last] += ast.literal_eval(line)
        elif not line.strip():
            flush()
            last = None
    return entries


def expected_msgids() -> set[str | tuple[str, str]]:
    want: set[str | tuple[str, str]] = set()
    for path in sorted((ROOT / "luci-static").rglob("*.js")):
        want |= jslint.msgids(path.read_text(encoding="utf-8"))
    for path in [*(ROOT / "luci-static" / "menu.d").glob("*.json"),
                 *(ROOT / "rpcd" / "acl.d").glob("*.json")]:
        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k in ("title", "description") and isinstance(v, str):
                        want.add(" ".join(v.split()))
                    walk(v)
        walk(json.loads(path.read_text(encoding="utf-8")))
    return want


def test_every_visible_string_goes_through_the_translation():
    problems = []
    for path in sorted((ROOT / "luci-static" / "resources").rglob("*.js")):
        problems += jslint.untranslated(path.read_text(encoding="utf-8"), path.name)
    assert problems == []
    # control: the check sees a literal shown as it is
    assert jslint.untranslated("E('td', {}, [ 'Disconnect', x ])")
    assert jslint.untranslated("[ _('Band'), 'Signal' ].map(f)")
    assert not jslint.untranslated("E('td', {}, [ 'SSID', _('Disconnect') ])")


def test_no_msgid_starts_or_ends_with_a_blank():
    """LuCI's _() looks a string up with its blanks trimmed and returns the translation without
    them: spacing belongs outside the translated text."""
    for key in expected_msgids():
        for s in (key if isinstance(key, tuple) else (key,)):
            assert s == s.strip(), repr(s)
    for path in sorted((ROOT / "luci-static").rglob("*.js")):
        src = path.read_text(encoding="utf-8")
        assert not re.search(r"_\('(\s[^']*|[^']*\s)'\)", src), path.name


def test_the_template_is_current():
    have = set(parse_po(POT.read_text(encoding="utf-8")))
    want = expected_msgids()
    assert want - have == set(), "run `make i18n LUCI_SRC=…`: missing from wifimgr.pot"
    assert have - want == set(), "run `make i18n LUCI_SRC=…`: stale in wifimgr.pot"
    assert "Networks" in have and ("%d client", "%d clients") in have


def test_every_language_follows_the_template():
    pot = set(parse_po(POT.read_text(encoding="utf-8")))
    langs = [p for p in (ROOT / "po").iterdir() if p.is_dir() and p.name != "templates"]
    assert langs, "no translation yet: luci.mk builds no luci-i18n package"
    for lang in langs:
        po = parse_po((lang / "wifimgr.po").read_text(encoding="utf-8"))
        assert set(po) == pot, lang.name
        assert any(po.values()), f"{lang.name}: nothing translated"


def test_the_recipe_builds_the_translations_with_luci_mk():
    mk = (ROOT / "Makefile").read_text(encoding="utf-8")
    # luci.mk derives luci-i18n-<LUCI_BASENAME>-<lang> from LUCI_NAME (default: the directory
    # name) and compiles po/<lang>/*.po with po2lmo into /usr/lib/lua/luci/i18n/*.<lang>.lmo
    assert "LUCI_NAME:=$(PKG_NAME)" in mk
    assert mk.index("LUCI_NAME:=") < mk.index("include $(TOPDIR)/feeds/luci/luci.mk")
    assert "define Package/luci-i18n" not in mk          # luci.mk's own, not a copy
