"""UCI text: the configuration model and libuci's file syntax, pure (no OS access).

:class:`Package` (ordered :class:`Section` s of options and lists) is the data model shared by
every store (:mod:`wifimgr.platform.uci`) and by the layers above. :func:`parse` reads libuci's
file syntax (quoting, named and anonymous sections with libuci's ``cfgNNxxxx`` names,
``@type[n]`` addressing, lists) and :meth:`Package.to_text` writes it; :func:`commit_ops` turns
the difference between two packages into libuci calls.

Values are ``str`` (option) or ``list[str]`` (list). Bytes that are not UTF-8 survive a
parse/to_text round trip through ``surrogateescape``.
"""

from __future__ import annotations

import copy
import re

from ..core.errors import UciError
from ..core.record import field, record

Value = str | list[str]

_NAME_RE = re.compile(r"^[A-Za-z0-9_]+$")
_TYPE_RE = re.compile(r"^[\x21-\x7e]+$")  # libuci: printable, no spaces, for types
_INDEX_RE = re.compile(r"^@([^\[\]]*)\[(-?\d+)\]$")


def valid_name(name: str) -> bool:
    """Section and option names: ``[A-Za-z0-9_]+`` (libuci ``uci_validate_name``)."""
    return bool(_NAME_RE.match(name))


def valid_type(name: str) -> bool:
    return bool(_TYPE_RE.match(name)) and "'" not in name and '"' not in name


def _djbhash(h: int, text: str) -> int:
    if h == 0xFFFFFFFF:
        h = 5381
    for b in text.encode("utf-8", "surrogateescape"):
        # libuci hashes a signed char; non-ASCII bytes are negative there
        c = b - 256 if b > 127 else b
        h = ((h << 5) + h + c) & 0xFFFFFFFF
    return h & 0x7FFFFFFF


@record
class Section:
    type: str
    name: str
    anonymous: bool = False
    options: dict[str, Value] = field(default_factory=dict)

    def get(self, option: str, default: Value | None = None) -> Value | None:
        return self.options.get(option, default)

    def get_str(self, option: str, default: str | None = None) -> str | None:
        """A scalar value; a list is joined with spaces (as ``uci get`` prints it)."""
        v = self.options.get(option)
        if v is None:
            return default
        return " ".join(v) if isinstance(v, list) else v

    def get_list(self, option: str) -> list[str]:
        """A list value; a scalar is split on whitespace (netifd's reading of ``device``)."""
        v = self.options.get(option)
        if v is None:
            return []
        return list(v) if isinstance(v, list) else v.split()

    def get_bool(self, option: str, default: bool = False) -> bool:
        v = self.get_str(option)
        if v is None:
            return default
        return v.strip().lower() in ("1", "on", "true", "yes", "enabled")

    def set(self, option: str, value: Value | bool | int | None) -> None:
        """Set an option (``None`` or ``""`` deletes it, as ``uci set x=''`` does; bool →
        ``1``/``0``; int → decimal)."""
        if not valid_name(option):
            raise UciError(f"invalid option name {option!r}", field=option)
        if value is None or value == "":
            self.options.pop(option, None)
            return
        if isinstance(value, bool):
            value = "1" if value else "0"
        elif isinstance(value, int):
            value = str(value)
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise UciError(f"list {option!r} must hold strings", field=option)
            value = list(value)
        elif not isinstance(value, str):
            raise UciError(f"value of {option!r} must be a string or a list", field=option)
        self.options[option] = value


class Package:
    """One UCI config (``/etc/config/<name>``): an ordered list of sections."""

    def __init__(self, name: str, sections: list[Section] | None = None):
        self.name = name
        self.sections: list[Section] = sections or []

    def __repr__(self) -> str:
        return f"Package({self.name!r}, {len(self.sections)} sections)"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Package)
            and self.name == other.name
            and self.sections == other.sections
        )

    def copy(self) -> Package:
        return copy.deepcopy(self)

    # -- lookup ---------------------------------------------------------------------------
    def get(self, ref: str) -> Section | None:
        """Section by name (``radio0``, ``cfg033579``) or by ``@type[n]`` / ``@type[-1]``."""
        m = _INDEX_RE.match(ref)
        if m:
            typ, idx = m.group(1), int(m.group(2))
            cands = [s for s in self.sections if not typ or s.type == typ]
            try:
                return cands[idx]
            except IndexError:
                return None
        for s in self.sections:
            if s.name == ref:
                return s
        return None

    def __getitem__(self, ref: str) -> Section:
        s = self.get(ref)
        if s is None:
            raise KeyError(f"{self.name}.{ref}")
        return s

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and self.get(ref) is not None

    def of_type(self, type_: str) -> list[Section]:
        return [s for s in self.sections if s.type == type_]

    def index(self, ref: str) -> int:
        s = self[ref]
        return next(i for i, x in enumerate(self.sections) if x is s)

    # -- changes --------------------------------------------------------------------------
    def add(self, type_: str, name: str | None = None, *, position: int | None = None) -> Section:
        """Add a named section (or an anonymous one when ``name`` is None)."""
        if not valid_type(type_):
            raise UciError(f"invalid section type {type_!r}")
        if name is not None:
            if not valid_name(name):
                raise UciError(f"invalid section name {name!r}", field="section")
            if self.get(name) is not None:
                raise UciError(f"section {self.name}.{name} already exists", field="section")
            sec = Section(type_, name, anonymous=False)
        else:
            sec = Section(type_, "", anonymous=True)
        if position is None:
            self.sections.append(sec)
        else:
            self.sections.insert(position, sec)
        if sec.anonymous:
            self.rename_anonymous()
        return sec

    def remove(self, ref: str) -> Section:
        s = self[ref]
        self.sections = [x for x in self.sections if x is not s]
        return s

    def move(self, ref: str, position: int) -> None:
        """Reorder a section like ``uci reorder`` (position clamped to the list)."""
        s = self.remove(ref)
        position = max(0, min(position, len(self.sections)))
        self.sections.insert(position, s)

    def unique_name(self, prefix: str) -> str:
        """First free ``<prefix><n>`` (n from 0), e.g. ``wifinet2`` as LuCI names new ifaces."""
        n = 0
        while self.get(f"{prefix}{n}") is not None:
            n += 1
        return f"{prefix}{n}"

    def rename_anonymous(self) -> None:
        """Give anonymous sections the names libuci would give them on load."""
        for i, s in enumerate(self.sections, start=1):
            if s.anonymous:
                s.name = anonymous_name(s, i)

    # -- text -----------------------------------------------------------------------------
    def to_text(self) -> str:
        """The file as ``uci commit`` writes it (``uci export`` without the package line)."""
        out: list[str] = []
        for s in self.sections:
            out.append(f"\nconfig {s.type}")
            if not s.anonymous:
                out.append(f" '{quote(s.name)}'")
            out.append("\n")
            for opt, val in s.options.items():
                if isinstance(val, list):
                    out.extend(f"\tlist {opt} '{quote(v)}'\n" for v in val)
                else:
                    out.append(f"\toption {opt} '{quote(val)}'\n")
        out.append("\n")
        return "".join(out)

    def show(self, *, export_names: bool = True) -> list[str]:
        """Lines like ``uci -X show <pkg>`` (``export_names=False`` → ``@type[n]`` like plain
        ``uci show``)."""
        lines: list[str] = []
        counters: dict[str, int] = {}
        for s in self.sections:
            idx = counters.get(s.type, 0)
            counters[s.type] = idx + 1
            ref = s.name if (export_names or not s.anonymous) else f"@{s.type}[{idx}]"
            lines.append(f"{self.name}.{ref}={s.type}")
            for opt, val in s.options.items():
                if isinstance(val, list):
                    shown = " ".join(f"'{quote(v)}'" for v in val)
                else:
                    shown = f"'{quote(val)}'"
                lines.append(f"{self.name}.{ref}.{opt}={shown}")
        return lines


def anonymous_name(section: Section, position: int) -> str:
    """libuci's name for an anonymous section: ``cfg`` + the section's 1-based position in the
    package (2 hex digits) + the djb hash of its *type* (4 hex digits).

    libuci (openwrt/uci ``list.c``: ``uci_alloc_section`` counts every section,
    ``uci_add_section`` calls ``uci_fixup_section`` right away, before the parser has added any
    option) therefore names the two anonymous zones of a default firewall config
    ``cfg02dc81`` and ``cfg03dc81``."""
    h = _djbhash(0xFFFFFFFF, section.type)
    return f"cfg{position:02x}{h % (1 << 16):04x}"


def quote(value: str) -> str:
    """Escape a value for single quotes the way libuci's ``uci_escape`` does."""
    return value.replace("'", "'\\''")


# ---------------------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------------------


class _Lexer:
    """Tokenizer for one logical line of UCI syntax (libuci ``parse_str`` rules)."""

    def __init__(self, lines: list[str], lineno: int, source: str):
        self.lines = lines
        self.i = lineno  # index of the current line
        self.text = lines[lineno]
        self.pos = 0
        self.source = source

    def error(self, msg: str) -> UciError:
        return UciError(f"{self.source}:{self.i + 1}: {msg}")

    def _next_line(self) -> None:
        self.i += 1
        if self.i >= len(self.lines):
            raise self.error("unterminated quote or line continuation at end of file")
        self.text = self.lines[self.i]
        self.pos = 0

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def at_end(self) -> bool:
        self.skip_ws()
        return self.pos >= len(self.text) or self.text[self.pos] in "#\n\r"

    def token(self) -> str | None:
        self.skip_ws()
        if self.at_end():
            return None
        out: list[str] = []
        t = self.text
        while self.pos < len(t):
            c = t[self.pos]
            if c in " \t\r\n":
                break
            if c == "#":
                break
            if c == "'":
                self.pos += 1
                while True:
                    end = self.text.find("'", self.pos)
                    if end < 0:
                        out.append(self.text[self.pos :])  # keeps the line's newline
                        self._next_line()
                        continue
                    out.append(self.text[self.pos : end])
                    self.pos = end + 1
                    break
                t = self.text
                continue
            if c == '"':
                self.pos += 1
                while True:
                    if self.pos >= len(self.text):
                        self._next_line()  # the newline itself was appended as a char
                        continue
                    ch = self.text[self.pos]
                    if ch == '"':
                        self.pos += 1
                        break
                    if ch == "\\":
                        if self.pos + 1 >= len(self.text) or self.text[self.pos + 1] == "\n":
                            self._next_line()
                            continue
                        out.append(self.text[self.pos + 1])
                        self.pos += 2
                        continue
                    out.append(ch)
                    self.pos += 1
                t = self.text
                continue
            if c == "\\":
                if self.pos + 1 >= len(t) or t[self.pos + 1] in "\r\n":
                    self._next_line()
                    t = self.text
                    continue
                out.append(t[self.pos + 1])
                self.pos += 2
                continue
            out.append(c)
            self.pos += 1
        return "".join(out)


# the shapes `uci commit` writes: handled without the full lexer (which stays the reference)
_FAST_OPT = re.compile(r"^[ \t]*(option|list)[ \t]+([A-Za-z0-9_]+)[ \t]+'([^'\\\n]*)'[ \t]*\n?$")
_FAST_CFG = re.compile(r"^[ \t]*config[ \t]+([A-Za-z0-9_-]+)(?:[ \t]+'([A-Za-z0-9_]*)')?[ \t]*\n?$")


def _set_option(section: Section, cmd: str, option: str, value: str) -> None:
    """One ``option`` or ``list`` line into ``section``."""
    if cmd == "list":
        prev = section.options.get(option)
        if isinstance(prev, list):
            prev.append(value)
        elif isinstance(prev, str):
            section.options[option] = [prev, value]
        else:
            section.options[option] = [value]
    # libuci's uci_set: an empty value deletes the option (``option x ''`` reads as absent)
    elif value:
        section.options[option] = value
    else:
        section.options.pop(option, None)


def parse(text: str, name: str, *, source: str | None = None) -> Package:
    """Parse UCI file text into a :class:`Package` (raises :class:`UciError` with line)."""
    src = source or name
    lines = text.splitlines(keepends=True) or [""]
    pkg = Package(name)
    current: Section | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _FAST_OPT.match(line)
        if m and current is not None:
            _set_option(current, *m.groups())
            i += 1
            continue
        m = _FAST_CFG.match(line)
        if m and not m.group(2):
            current = Section(m.group(1), "", anonymous=True)
            pkg.sections.append(current)
            i += 1
            continue
        if not line.strip():
            i += 1
            continue
        lx = _Lexer(lines, i, src)
        cmd = lx.token()
        if cmd is None:
            i = lx.i + 1
            continue
        if cmd == "package":
            arg = lx.token()
            if arg is None:
                raise lx.error("'package' needs a name")
            current = None
        elif cmd == "config":
            typ = lx.token()
            if typ is None or not valid_type(typ):
                raise lx.error(f"invalid or missing section type {typ!r}")
            sname = lx.token()
            if sname is not None and sname != "" and not valid_name(sname):
                raise lx.error(f"invalid section name {sname!r}")
            if sname:
                existing = pkg.get(sname)
                if existing is not None and not existing.anonymous:
                    # libuci merges a repeated named section into the first one
                    existing.type = typ
                    current = existing
                else:
                    current = Section(typ, sname)
                    pkg.sections.append(current)
            else:
                current = Section(typ, "", anonymous=True)
                pkg.sections.append(current)
        elif cmd in ("option", "list"):
            if current is None:
                raise lx.error(f"'{cmd}' outside of a config section")
            opt = lx.token()
            if opt is None or not valid_name(opt):
                raise lx.error(f"invalid option name {opt!r}")
            val = lx.token()
            _set_option(current, cmd, opt, "" if val is None else val)
        else:
            raise lx.error(f"unknown command {cmd!r}")
        if not lx.at_end():
            raise lx.error("unexpected text after the arguments")
        i = lx.i + 1
    pkg.rename_anonymous()
    return pkg


def commit_ops(current: Package, wanted: Package) -> list[tuple] | None:
    """libuci calls (``delete``/``set`` without the package argument) that turn ``current``
    into ``wanted``, matching sections by name (anonymous ones by the name libuci gives them
    on load). pyuci 0.8.1 has no ``add`` and its ``reorder`` always fails ("Internal uci
    error": it checks a value it never sets), so sections are put in order by deleting and
    re-creating the tail that is out of place — libuci appends new sections. None when that
    would mean creating an anonymous section."""
    keep = {s.name: s for s in wanted.sections}
    in_place = [s.name for s in current.sections
                if s.name in keep and keep[s.name].type == s.type]
    n = 0
    while n < min(len(in_place), len(wanted.sections)) and \
            in_place[n] == wanted.sections[n].name:
        n += 1
    head, tail = wanted.sections[:n], wanted.sections[n:]
    if any(s.anonymous for s in tail):
        return None
    head_names = {s.name for s in head}
    ops: list[tuple] = [("delete", s.name) for s in current.sections
                        if s.name not in head_names]
    for s in head:
        old = current[s.name].options
        ops.extend(("delete", s.name, opt) for opt in old if opt not in s.options)
        ops.extend(("set", s.name, opt, tuple(v) if isinstance(v, list) else v)
                   for opt, v in s.options.items() if old.get(opt) != v)
    for s in tail:
        ops.append(("set", s.name, s.type))
        ops.extend(("set", s.name, opt, tuple(v) if isinstance(v, list) else v)
                   for opt, v in s.options.items())
    return ops
