"""Translations: every user-visible string of the views goes through ``_()``/``N_()``, the
template po/templates/wifimgr.pot is what LuCI's i18n scan (build/i18n-scan.pl: xgettext
over the JS, ``title``/``description`` of menu.d and acl.d) produces for this tree —
``make i18n LUCI_SRC=…`` regenerates it — and every shipped po/<lang>/wifimgr.po translates
all of it (no entry missing, empty or left in English, placeholders as in the msgid, every
plural form), which the OpenWrt recipe (luci.mk) turns into luci-i18n-wifimgr-<lang> packages
with po2lmo. Pure Python: runs in CI (`make test`)."""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import jslint

from support import ROOT

POT = ROOT / "po" / "templates" / "wifimgr.pot"

# Plural-Forms of every shipped language, as gettext (and LuCI's own base.po) defines them.
# LuCI's cbi.js runs this text as JavaScript (`new Function('n', forms + 'return +plural')`),
# so it must end with ';'. A new language adds its line here (copy it from
# modules/luci-base/po/<lang>/base.po of an openwrt/luci checkout).
PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
}

# msgids every language keeps as they are (protocol, mode and chip terms, units): the msgstr
# must repeat the msgid exactly. Any other msgstr equal to its msgid is an English leftover.
SAME_EVERYWHERE = {
    "%s, SNR %s dB", "AP", "AP MLD", "CPU %s °C", "DFS", "Firmware", "MLO / WiFi 7", "MLO AP",
    "MLO STA", "Puncturing", "STA", "TX", "TX / RX", "WDS", "WPA2 (PSK)", "WPA2/WPA3",
    "WPA3 (SAE)", "relayd",
    "%s: %s",  # linkpolicy.js "verdict: why": a pure placeholder format, no words to translate
}
# ... and the words a language spells like English (LuCI's German says "Client", "Status")
SAME_IN = {
    "de": {"Band", "Client", "Client → AP", "Clients", "Kernel:", "Link", "Links", "Monitor",
           "Repeater", "Router", "Signal", "Status", "optional"},
    "cs": set(),
}

# the language directories luci.mk knows (LUCI_LANG.<dir> in luci.mk of openwrt/luci daf2e0bc):
# a po/<dir> it does not know is silently left out of the build (`$(if $(LUCI_LANG.$(lang))`)
LUCI_LANGS = {
    "ar", "bg", "bn_BD", "ca", "cs", "da", "de", "el", "es", "fa", "fi", "fil", "fr", "ga", "he",
    "hi", "hu", "it", "ja", "ko", "lt", "mr", "ms", "nb_NO", "nl", "pl", "pt", "pt_BR", "ro",
    "ru", "sk", "sv", "ta", "tr", "uk", "vi", "yua", "zh_Hans", "zh_Hant",
}

Key = str | tuple[str, str]


class Entry:
    __slots__ = ("forms", "fuzzy", "line")

    def __init__(self, forms: list[str], fuzzy: bool, line: int):
        self.forms, self.fuzzy, self.line = forms, fuzzy, line


def parse_entries(text: str) -> tuple[dict[str, str], dict[Key, Entry]]:
    """(header fields, msgid or (msgid, msgid_plural) → Entry with every msgstr form)."""
    entries: dict[Key, Entry] = {}
    header: dict[str, str] = {}
    cur: dict[str, str] = {}
    state = {"last": None, "fuzzy": False, "line": 0}

    def flush() -> None:
        if "msgid" in cur:
            idx = [int(k[7:-1]) for k in cur if k.startswith("msgstr[")]
            # msgstr[i] by i: a form skipped in the numbering is an empty one
            forms = [cur.get(f"msgstr[{i}]", "") for i in range(max(idx) + 1)] if idx else []
            if "msgstr" in cur:
                forms = [cur["msgstr"]]
            if not cur["msgid"]:
                for field in (cur.get("msgstr") or "").split("\n"):
                    name, _sep, value = field.partition(":")
                    if _sep:
                        header[name.strip()] = value.strip()
            else:
                key = (cur["msgid"], cur["msgid_plural"]) if "msgid_plural" in cur else cur["msgid"]
                entries[key] = Entry(forms, state["fuzzy"], state["line"])
        cur.clear()
        state["fuzzy"] = False

    for no, line in enumerate([*text.splitlines(), ""], 1):
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if m:
            if m.group(1) == "msgid":
                if cur:
                    fuzzy = state["fuzzy"]
                    flush()
                    state["fuzzy"] = fuzzy
                state["line"] = no
            state["last"] = m.group(1)
            cur[m.group(1)] = ast.literal_eval(f'"{m.group(2)}"')
        elif line.startswith('"') and state["last"]:
            cur[state["last"]] += ast.literal_eval(line)
        elif line.startswith("#,") and "fuzzy" in line:
            state["fuzzy"] = True
        elif not line.strip():
            flush()
            state["last"] = None
    return header, entries


def parse_po(text: str) -> dict[Key, str]:
    """msgid (or (msgid, msgid_plural)) → msgstr (msgstr[0] for plurals), header dropped."""
    return {k: (e.forms[0] if e.forms else "") for k, e in parse_entries(text)[1].items()}


# one conversion of LuCI's String.prototype.format (cbi.js), which reads them left to right
# and stops at the first '%' that is not one: a later conversion is then never replaced
_CONV = re.compile(r"%('.|0|\x20)?(-)?(\d+)?(\.\d+)?(%|b|c|d|u|f|o|s|x|X|q|h|j|t|m)")
_FORMAT = re.compile(r"([^%]*)" + _CONV.pattern)


def conversions(s: str) -> list[str]:
    """The %-conversions cbi.js substitutes in ``s``, in order (``%%`` excluded), followed by
    any it would never reach because an earlier '%' is not a conversion (marked '!')."""
    out, rest = [], s
    while (m := _FORMAT.match(rest)) is not None:
        if m.group(6) != "%":
            out.append(m.group(0)[len(m.group(1)):])
        rest = rest[m.end():]
    out += ["!" + c.group(0) for c in _CONV.finditer(rest) if c.group(5) != "%"]
    return out


def _formula(forms: str) -> str:
    """Plural-Forms without blanks and parentheses: LuCI's `plural=((n==1) ? 0 : …);` and
    gettext's `plural=(n==1) ? 0 : …;` are the same rule."""
    return re.sub(r"[\s()]", "", forms)


def language_problems(lang: str, text: str, pot: dict[Key, Entry]) -> list[str]:
    """Everything wrong with po/<lang>/wifimgr.po (given as text) against the template."""
    header, po = parse_entries(text)
    out: list[str] = []
    forms = PLURAL_FORMS.get(lang)
    if forms is None:
        out.append(f"no Plural-Forms known for {lang!r}: add it to PLURAL_FORMS")
    elif _formula(header.get("Plural-Forms", "")) != _formula(forms):
        out.append(f"header Plural-Forms is {header.get('Plural-Forms')!r}, want {forms!r}")
    if header.get("Language") != lang:
        out.append(f"header Language is {header.get('Language')!r}, want {lang!r}")
    nplurals = int(re.search(r"nplurals=(\d+)", forms).group(1)) if forms else 0
    same = SAME_EVERYWHERE | SAME_IN.get(lang, set())

    def show(key: Key) -> str:
        return repr(key[0] if isinstance(key, tuple) else key)

    missing = [k for k in pot if k not in po]
    if missing:
        out.append(f"{len(missing)} missing msgid(s): " + ", ".join(map(show, missing)))
    stale = [k for k in po if k not in pot]
    if stale:
        out.append(f"{len(stale)} msgid(s) not in the template (run `make i18n`): "
                   + ", ".join(map(show, stale)))
    for key, e in po.items():
        if key not in pot:
            continue
        where = f"line {e.line} {show(key)}"
        if e.fuzzy:
            out.append(f"{where}: fuzzy (review it, then drop the flag)")
        if isinstance(key, tuple):
            if len(e.forms) != nplurals:
                out.append(f"{where}: {len(e.forms)} plural form(s), {lang} has {nplurals}")
            want = conversions(key[1])
        else:
            if len(e.forms) != 1:
                out.append(f"{where}: plural forms for a singular msgid")
            want = conversions(key)
        for i, s in enumerate(e.forms):
            if not s.strip():
                out.append(f"{where}: empty msgstr" + (f"[{i}]" if isinstance(key, tuple) else ""))
                continue
            if conversions(s) != want:
                out.append(f"{where}: placeholders {conversions(s)} in {s!r}, msgid has {want}")
            if s != s.strip():
                out.append(f"{where}: msgstr starts or ends with a blank: {s!r}")
        if isinstance(key, str) and e.forms and e.forms[0]:
            if key in same and e.forms[0] != key:
                out.append(f"{where}: kept as is in {lang} (allow-list), but translated as "
                           f"{e.forms[0]!r}")
            elif key not in same and e.forms[0] == key:
                out.append(f"{where}: left in English (translate it, or list it in "
                           f"SAME_IN[{lang!r}] if {lang} really spells it so)")
        elif isinstance(key, tuple) and e.forms and set(e.forms) <= set(key):
            out.append(f"{where}: left in English")
    return out


def shipped_languages() -> list[Path]:
    return sorted(p for p in (ROOT / "po").iterdir() if p.is_dir() and p.name != "templates")


def expected_msgids() -> set[Key]:
    want: set[Key] = set()
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
    run = "run `make i18n LUCI_SRC=…`"
    assert sorted(map(str, want - have)) == [], f"{run}: these are missing from wifimgr.pot"
    assert sorted(map(str, have - want)) == [], f"{run}: these are stale in wifimgr.pot"
    assert "Networks" in have and ("%d client", "%d clients") in have


def test_every_language_translates_the_whole_template():
    """No template msgid missing, empty, fuzzy or left in English in a shipped language;
    placeholders as in the msgid; every plural form. The message lists, per language, what to
    translate (after a merge: `make i18n LUCI_SRC=…`, then these msgids)."""
    pot = parse_entries(POT.read_text(encoding="utf-8"))[1]
    langs = shipped_languages()
    assert {p.name for p in langs} >= {"de", "cs"}
    report = {}
    for lang in langs:
        text = (lang / "wifimgr.po").read_text(encoding="utf-8")
        problems = language_problems(lang.name, text, pot)
        if problems:
            report[f"po/{lang.name}/wifimgr.po"] = problems
    assert report == {}, "\n" + "\n".join(f"{f}:\n  " + "\n  ".join(p) for f, p in report.items())


def test_the_allow_lists_name_real_template_strings():
    """The allow-lists stay short and honest: each entry is a template msgid and is used."""
    pot = set(parse_po(POT.read_text(encoding="utf-8")))
    for lang, words in [("*", SAME_EVERYWHERE), *SAME_IN.items()]:
        assert sorted(words - pot) == [], lang
    assert not SAME_EVERYWHERE & set().union(*SAME_IN.values())
    assert len(SAME_EVERYWHERE | set().union(*SAME_IN.values())) < 0.1 * len(pot)


def test_the_check_fails_on_a_broken_translation():
    """Control: the language check reports an entry removed, emptied, left in English or
    changed where it must not be, a broken placeholder, a plural form missing, a fuzzy entry
    and a wrong Plural-Forms — naming the msgid."""
    pot = parse_entries(POT.read_text(encoding="utf-8"))[1]
    for lang in ("de", "cs"):
        _controls(lang, pot)
    # a '%' that is no conversion hides every later one from cbi.js's format()
    assert conversions("50 % (%d)") == ["!%d"] and conversions("%d%% of %s") == ["%d", "%s"]
    assert conversions("channel utilisation %") == [] and conversions("%.1f %h") == ["%.1f", "%h"]


def _controls(lang: str, pot: dict[Key, Entry]) -> None:
    """The mutations of the control test, on one shipped language."""
    good = (ROOT / "po" / lang / "wifimgr.po").read_text(encoding="utf-8")
    assert language_problems(lang, good, pot) == []
    blocks = good.split("\n\n")

    def without(msgid: str) -> str:
        return "\n\n".join(b for b in blocks if f'\nmsgid "{msgid}"\n' not in f"\n{b}\n")

    def edit(msgid: str, old: str, new: str) -> str:
        """``old`` → ``new`` in the msgstr lines of ``msgid``'s entry."""
        def fix(b: str) -> str:
            if f'\nmsgid "{msgid}"\n' not in f"\n{b}\n":
                return b
            return "\n".join(x.replace(old, new) if x.startswith("msgstr") else x
                             for x in b.split("\n"))
        return "\n\n".join(map(fix, blocks))

    def without_line(msgid: str, prefix: str) -> str:
        return "\n\n".join("\n".join(x for x in b.split("\n") if not x.startswith(prefix))
                           if f'\nmsgid "{msgid}"\n' in f"\n{b}\n" else b for b in blocks)

    def fails(text: str, *words: str) -> None:
        problems = language_problems(lang, text, pot)
        assert any(all(w in p for w in words) for p in problems), (words, problems)

    fails(without("Networks"), "1 missing", "'Networks'")
    fails(without("%d client"), "1 missing", "'%d client'")
    fails(edit("Networks", 'msgstr "', 'msgstr "" # "'), "'Networks'", "empty")
    fails(edit("%d client", 'msgstr[1] "', 'msgstr[1] "" # "'), "'%d client'", "empty")
    fails(good.replace('\nmsgid "Networks"', '\n#, fuzzy\nmsgid "Networks"'), "'Networks'",
          "fuzzy")
    fails(edit("Use channel %d on %s?", "%d", "%s"), "'Use channel %d on %s?'", "placeholders")
    fails(edit("Use channel %d on %s?", "%d", "%"), "'Use channel %d on %s?'", "placeholders")
    fails(edit("Running (PID %d)", "%d", "%d %s"), "'Running (PID %d)'", "placeholders")
    fails(edit("Running (PID %d)", "%d", ""), "'Running (PID %d)'", "placeholders")
    fails(edit("%d client", "%d", "%s"), "'%d client'", "placeholders")
    fails(edit("%d client", "msgstr[1]", "msgstr[9]"), "'%d client'", "empty msgstr[1]")
    last = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[lang]).group(1)) - 1
    fails(without_line("%d client", f"msgstr[{last}]"), "'%d client'", "plural form(s)")
    fails(edit("Channel", parse_po(good)["Channel"], "Channel"), "'Channel'", "English")
    fails(edit("WDS", 'msgstr "WDS"', 'msgstr "Wds"'), "'WDS'", "kept as is")
    plural = good[good.index('msgid "%d client"'):].split("\n\n")[0]
    english = re.sub(r'(msgstr\[\d\] )".*"', r'\1"%d clients"', plural)
    fails(good.replace(plural, english), "'%d client'", "English")
    fails(good.replace("Plural-Forms: ", "Plural-Forms: x"), "Plural-Forms")
    fails(good.replace(PLURAL_FORMS[lang], PLURAL_FORMS[lang].rstrip(";")), "Plural-Forms")


def test_the_recipe_builds_the_translations_with_luci_mk():
    mk = (ROOT / "Makefile").read_text(encoding="utf-8")
    # luci.mk derives luci-i18n-<LUCI_BASENAME>-<lang> from LUCI_NAME (default: the directory
    # name) and compiles po/<lang>/*.po with po2lmo into /usr/lib/lua/luci/i18n/*.<lang>.lmo
    assert "LUCI_NAME:=$(PKG_NAME)" in mk
    assert mk.index("LUCI_NAME:=") < mk.index("include $(TOPDIR)/feeds/luci/luci.mk")
    assert "define Package/luci-i18n" not in mk          # luci.mk's own, not a copy


def test_every_shipped_language_is_one_luci_mk_builds():
    """luci.mk builds luci-i18n-wifimgr-<lang> only for a po/<lang> it has a LUCI_LANG.<lang>
    for. Against the checkout's luci.mk when WIFIMGR_LUCI_SRC is set (maintainer check, which
    also holds PLURAL_FORMS against LuCI's own base.po), against the list pinned above
    otherwise."""
    langs = set(LUCI_LANGS)
    src = os.environ.get("WIFIMGR_LUCI_SRC")
    if src:
        mk = (Path(src) / "luci.mk").read_text(encoding="utf-8")
        langs = set(re.findall(r"^LUCI_LANG\.(\w+)=", mk, re.M))
        assert langs >= {p.name for p in shipped_languages()}
        for lang, forms in PLURAL_FORMS.items():      # the rule LuCI's own base.po uses
            base = Path(src) / "modules" / "luci-base" / "po" / lang / "base.po"
            header = parse_entries(base.read_text(encoding="utf-8"))[0]
            assert _formula(header["Plural-Forms"]) == _formula(forms), lang
    unknown = sorted(p.name for p in shipped_languages() if p.name not in langs)
    assert unknown == [], f"luci.mk builds no luci-i18n package for po/{unknown}"
    assert {"cs", "de"} <= langs
