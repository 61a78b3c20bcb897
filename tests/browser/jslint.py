"""A small lint over the LuCI views: no value can reach the DOM as HTML.

LuCI's ``E()``/``dom.create()``, ``dom.append()`` and ``dom.content()`` insert a *string* child
that is not inside an array with ``innerHTML`` (luci.js ``append``: ``node.innerHTML =
`${children}```), and ``ui.showModal()`` / ``ui.addNotification()`` pass their title the same
way. Array items, by contrast, become text nodes. So a child argument is safe only when it is,
syntactically:

* an array literal (optionally ``.concat(...)``-ed), or a ``.map(...)`` / ``.filter(...)`` call
  (which always yields an array),
* a node: a call of ``E``/``dom.create``, of ``wm.text`` (the one text helper), or of a helper
  listed in ``NODE_HELPERS`` (each returns an element, checked by ``test_text_lint``),
* a string literal or ``_('literal')`` written in the source (the author's, not the backend's),
* ``null``/``undefined``/``''``, or a ternary whose both branches are safe.

Anything else (a member like ``x.ssid``, ``_('… %s').format(x)``, ``a + b``, ``a || b``, a
variable) fails. ``innerHTML``/``outerHTML``/``insertAdjacentHTML``/``document.write``/
``dom.parse`` and ``E('<…')`` are refused outright. Pure Python (CI has no node)."""

from __future__ import annotations

import re

#: DOM calls that return a node (helpers of the views are followed into their bodies instead)
NODE_HELPERS = ("document.createTextNode", "document.createElementNS")
#: helpers that return their argument (a control they mark): safe when the argument is
PASS_THROUGH = ("wm.writeControl", "this.writeControl", "self.writeControl")

_PUNCT = re.compile(r"=>|===|!==|==|!=|<=|>=|&&|\|\||\+\+|--|[-+*/%=<>!&|^~?:;,.(){}\[\]]")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_NUM = re.compile(r"\d[\w.]*")
_REGEX_BEFORE = set("(,=:[!&|?{};+-*%<>~^") | {"return", "typeof", "case", "&&", "||", "=>",
                                               "==", "===", "!=", "!==", "<=", ">="}


class Tok:
    __slots__ = ("kind", "line", "text")

    def __init__(self, kind: str, text: str, line: int):
        self.kind, self.text, self.line = kind, text, line

    def __repr__(self) -> str:
        return f"{self.kind}:{self.text}"


def tokenize(src: str) -> list[Tok]:
    out: list[Tok] = []
    i, n, line = 0, len(src), 1
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += src.count("\n", i, j)
            i = j
        elif c in "'\"`":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(Tok("str", src[i:j + 1], line))
            line += src.count("\n", i, j)
            i = j + 1
        elif c == "/" and (not out or out[-1].text in _REGEX_BEFORE):
            j, klass = i + 1, False
            while j < n and (klass or src[j] != "/"):
                if src[j] == "\\":
                    j += 1
                elif src[j] == "[":
                    klass = True
                elif src[j] == "]":
                    klass = False
                j += 1
            j += 1
            while j < n and src[j].isalpha():
                j += 1
            out.append(Tok("re", src[i:j], line))
            i = j
        elif m := _IDENT.match(src, i):
            out.append(Tok("id", m.group(), line))
            i = m.end()
        elif m := _NUM.match(src, i):
            out.append(Tok("num", m.group(), line))
            i = m.end()
        elif m := _PUNCT.match(src, i):
            out.append(Tok("p", m.group(), line))
            i = m.end()
        else:
            raise ValueError(f"line {line}: cannot tokenize {src[i:i + 20]!r}")
    return out


_OPEN, _CLOSE = {"(": ")", "[": "]", "{": "}"}, {")", "]", "}"}


def _match(toks: list[Tok], i: int) -> int:
    """Index of the bracket closing the one at ``i``."""
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j].text
        if toks[j].kind == "p" and t in _OPEN:
            depth += 1
        elif toks[j].kind == "p" and t in _CLOSE:
            depth -= 1
            if depth == 0:
                return j
    raise ValueError(f"line {toks[i].line}: unbalanced {toks[i].text}")


def split_args(toks: list[Tok], open_i: int) -> list[list[Tok]]:
    """The comma-separated arguments of the call whose '(' is at ``open_i``."""
    close = _match(toks, open_i)
    args, cur, j = [], [], open_i + 1
    while j < close:
        t = toks[j]
        if t.kind == "p" and t.text in _OPEN:
            k = _match(toks, j)
            cur.extend(toks[j:k + 1])
            j = k + 1
            continue
        if t.kind == "p" and t.text == ",":
            args.append(cur)
            cur = []
        else:
            cur.append(t)
        j += 1
    if cur:
        args.append(cur)
    return args


def _top_level(expr: list[Tok], text: str) -> list[int]:
    """Positions of the token ``text`` outside brackets."""
    out, j = [], 0
    while j < len(expr):
        t = expr[j]
        if t.kind == "p" and t.text in _OPEN:
            j = _match(expr, j) + 1
            continue
        if t.kind == "p" and t.text == text:
            out.append(j)
        j += 1
    return out


def _chain(expr: list[Tok]) -> list[tuple] | None:
    """``a.b(…).c(…)`` / ``[…].concat(…)`` as segments ("name", text) / ("call", open, close)
    / ("array",); None when the expression is anything but such a chain."""
    segs: list[tuple] = []
    j = 0
    if expr and expr[0].kind == "p" and expr[0].text == "[":
        j = _match(expr, 0) + 1
        segs.append(("array",))
    elif expr and expr[0].kind == "p" and expr[0].text == "(":
        j = _match(expr, 0) + 1
        segs.append(("group",))
    elif expr and expr[0].kind == "id":
        segs.append(("name", expr[0].text))
        j = 1
    else:
        return None
    while j < len(expr):
        t = expr[j]
        if t.kind == "p" and t.text == "." and j + 1 < len(expr) and expr[j + 1].kind == "id":
            segs.append(("name", expr[j + 1].text))
            j += 2
        elif t.kind == "p" and t.text == "(":
            k = _match(expr, j)
            segs.append(("call", j, k))
            j = k + 1
        else:
            return None
    return segs


def safe(expr: list[Tok], variables: dict[str, bool] | None = None,
         functions: dict | None = None) -> bool:
    """Whether ``expr`` is text-safe as a child; ``variables``: names whose every assignment
    in the file is itself safe (an array or a node)."""
    if not expr:
        return True
    if expr[0].kind == "p" and expr[0].text == "(" and _match(expr, 0) == len(expr) - 1:
        return safe(expr[1:-1], variables, functions)
    q = _top_level(expr, "?")
    if q:
        c = next((x for x in _top_level(expr, ":") if x > q[0]), None)
        return c is not None and safe(expr[q[0] + 1:c], variables, functions) and \
            safe(expr[c + 1:], variables, functions)
    if len(expr) == 1:
        t = expr[0]
        return (t.kind == "str" and not t.text.startswith("`")) or \
            t.text in ("null", "undefined") or bool(variables and variables.get(t.text))
    segs = _chain(expr)
    if segs and segs[0][0] == "array":  # [ … ] or [ … ].concat(…)…
        return all(s[0] == "call" or s[1] in ("concat", "map", "filter") for s in segs[1:]) \
            and segs[-1][0] in ("array", "call")
    if not segs or segs[-1][0] != "call":
        return False
    if len(segs) >= 3 and segs[-2] in (("name", "map"), ("name", "filter")):
        return True                    # Array.prototype.map/filter: always an array
    if len(segs) >= 3 and segs[-2] == ("name", "concat"):
        dot = max(i for i, t in enumerate(expr[:segs[-1][1]]) if t.text == ".")
        prefix = expr[:dot]            # an array (not a string) that is safe itself
        return len(prefix) > 1 and prefix[-1].text == ")" and \
            safe(prefix, variables, functions) and prefix[0].text != "_"
    calls = [s for s in segs if s[0] == "call"]
    if len(calls) != 1 or segs[0][0] != "name":
        return False
    head = ".".join(s[1] for s in segs[:-1])
    if head in ("E", "dom.create") or head in NODE_HELPERS:
        return True
    if head in PASS_THROUGH:
        inner = expr[segs[-1][1] + 1:segs[-1][2]]
        return bool(inner) and safe(inner, variables, functions)
    if functions is not None and head in functions:
        return functions[head]()
    if head == "_":
        inner = expr[segs[-1][1] + 1:segs[-1][2]]
        return len(inner) == 1 and inner[0].kind == "str"
    return False


#: call → which argument positions carry children / titles
_SINKS = {"dom.content": (1,), "dom.append": (1,), "ui.showModal": (0, 1),
          "ui.addNotification": (0, 1), "ui.addTimeLimitedNotification": (0, 1)}
_FORBIDDEN = ("innerHTML", "outerHTML", "insertAdjacentHTML")


def _rhs(toks: list[Tok], j: int) -> list[Tok]:
    """The expression starting at ``j`` up to a top-level ``;``, ``,`` or closing bracket."""
    out = []
    while j < len(toks):
        t = toks[j]
        if t.kind == "p" and t.text in _OPEN:
            k = _match(toks, j)
            out.extend(toks[j:k + 1])
            j = k + 1
            continue
        if t.kind == "p" and (t.text in (";", ",") or t.text in _CLOSE):
            break
        out.append(t)
        j += 1
    return out


def safe_variables(toks: list[Tok], functions: dict | None = None) -> dict[str, bool]:
    """Names whose every assignment (``x = …``, ``var x = …``) in the file is text-safe."""
    seen: dict[str, bool] = {}
    for j in range(1, len(toks) - 1):
        if toks[j].kind == "p" and toks[j].text == "=" and toks[j - 1].kind == "id" and \
                (j < 2 or toks[j - 2].text != "."):
            name = toks[j - 1].text
            ok = safe(_rhs(toks, j + 1), None, functions)
            seen[name] = seen.get(name, True) and ok
    return seen


def function_returns(toks: list[Tok]) -> dict[str, list[list[Tok]]]:
    """``name: function(…) {…}`` and ``function name(…) {…}`` → the expressions of the
    ``return`` statements of their own body (nested functions skipped)."""
    out: dict[str, list[list[Tok]]] = {}
    for j, t in enumerate(toks):
        name = None
        if t.text == "function" and j + 1 < len(toks) and toks[j + 1].kind == "id":
            name, k = toks[j + 1].text, j + 2
        elif t.text == "function" and j >= 2 and toks[j - 1].text == ":" and \
                toks[j - 2].kind == "id":
            name, k = toks[j - 2].text, j + 1
        if name is None or k >= len(toks) or toks[k].text != "(":
            continue
        body = _match(toks, k) + 1
        if body >= len(toks) or toks[body].text != "{":
            continue
        end, m, rets = _match(toks, body), body + 1, []
        while m < end:
            if toks[m].text == "function":
                m = _match(toks, m + 1 if toks[m + 1].text == "(" else m + 2)
                m = _match(toks, m + 1) + 1     # skip the nested body
                continue
            if toks[m].text == "return":
                rets.append(_rhs(toks, m + 1))
            m += 1
        out[name] = rets
    return out


class Scope:
    """What the calls in one file resolve to: its own functions and methods (``this.x``,
    ``self.x``, ``x``), common.js through ``wm.x``, wizards.js through ``wizards.x``."""

    def __init__(self, sources: dict[str, str]):
        self.toks = {k: tokenize(v) for k, v in sources.items()}
        self.returns = {k: function_returns(v) for k, v in self.toks.items()}
        self.memo: dict[tuple[str, str], bool] = {}

    def aliases(self, module: str) -> list[tuple[tuple[str, ...], str]]:
        """``'require wifimgr.x as y'`` directives of the module: (("y",), "x")."""
        out: list[tuple[tuple[str, ...], str]] = [(("this", "self", ""), module),
                                                  (("wm",), "common"), (("wizards",), "wizards")]
        for tok in self.toks.get(module, []):
            m = re.fullmatch(r"""['"]require\s+wifimgr\.(\w+)\s+as\s+(\w+)['"]""", tok.text)
            if tok.kind == "str" and m:
                out.append(((m.group(2),), m.group(1)))
        return out

    def functions(self, module: str) -> dict:
        table: dict = {}
        for alias, mod in self.aliases(module):
            for fn in self.returns.get(mod, {}):
                for a in alias:
                    table[f"{a}.{fn}" if a else fn] = (lambda m=mod, f=fn: self.returns_safe(m, f))
        return table

    def returns_safe(self, module: str, fn: str) -> bool:
        key = (module, fn)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = False                  # recursion: not proven
        funcs = self.functions(module)
        variables = safe_variables(self.toks[module], funcs)
        ok = all(safe(r, variables, funcs) for r in self.returns[module][fn])
        self.memo[key] = ok
        return ok


def lint(src: str, name: str = "<js>", scope: Scope | None = None,
         module: str | None = None) -> list[str]:
    """Problems in one file; ``scope``/``module`` resolve calls of helpers (see Scope)."""
    if scope is None:
        module = module or "main"
        scope = Scope({module: src})
    assert module is not None
    toks = scope.toks[module]
    functions = scope.functions(module)
    variables = safe_variables(toks, functions)
    problems: list[str] = []
    for i, t in enumerate(toks):
        prev = toks[i - 1].text if i else ""
        if t.kind == "id" and t.text in _FORBIDDEN:
            problems.append(f"{name}:{t.line}: {t.text} is never used on view data")
            continue
        if t.kind == "id" and t.text in ("parse", "write") and prev == "." and i > 1 and \
                toks[i - 2].text in ("dom", "document"):
            problems.append(f"{name}:{t.line}: {toks[i - 2].text}.{t.text} parses HTML")
            continue
        if t.kind != "id" or prev == "." or i + 1 >= len(toks) or toks[i + 1].text != "(":
            dotted = None
        else:
            dotted = t.text
        if dotted is None and t.kind == "id" and prev != "." and i + 3 < len(toks) and \
                toks[i + 1].text == "." and toks[i + 2].kind == "id" and toks[i + 3].text == "(":
            dotted, open_i = f"{t.text}.{toks[i + 2].text}", i + 3
        elif dotted is not None:
            open_i = i + 1
        if dotted is None:
            continue
        if dotted in ("E", "dom.create"):
            args = split_args(toks, open_i)
            if args and args[0] and args[0][0].kind == "str" and args[0][0].text[1:2] == "<":
                problems.append(f"{name}:{t.line}: {dotted}('<…') parses HTML")
            if len(args) == 2 and not (args[1] and args[1][0].text == "{"):
                kids = args[1]
            elif len(args) >= 3:
                kids = args[2]
            else:
                continue
            if not safe(kids, variables, functions):
                problems.append(f"{name}:{t.line}: {dotted}() child is not text-safe: "
                                f"{' '.join(x.text for x in kids)[:90]}")
        elif dotted in _SINKS:
            args = split_args(toks, open_i)
            for pos in _SINKS[dotted]:
                if pos < len(args) and not safe(args[pos], variables, functions):
                    problems.append(f"{name}:{t.line}: {dotted}() argument {pos + 1} is not "
                                    f"text-safe: {' '.join(x.text for x in args[pos])[:90]}")
    return problems


# ------------------------------------------------------------------ translations
#: words a UI shows as they are in every language (standards' names, units, protocol fields)
TECHNICAL = {"SSID", "BSSID", "EML", "MLMR", "EMLSR", "EMLMR", "MLSR", "MLO", "dBm", "MHz",
             "CAC", "WiFi", "EEPROM", "TX", "RX", "TID", "n", "a", "L", "ch", "s", "ms",
             "BE", "BK", "VI", "VO", "MCS", "NSS", "Mbit", "luci", "app", "wifimgr", "dfs",
             "DFS", "A", "TTLM", "Neg", "link"}
_WORD = re.compile(r"[A-Za-z]{1,}")


def _literal_text(tok: Tok) -> str:
    return tok.text[1:-1]


def _needs_translation(tok: Tok) -> bool:
    if tok.kind != "str" or tok.text.startswith("`"):
        return False
    words = _WORD.findall(_literal_text(tok))
    return any(w not in TECHNICAL for w in words)


def untranslated(src: str, name: str = "<js>") -> list[str]:
    """User-visible string literals not passed through ``_()``/``N_()``: the children of
    E() (directly or as items of a children array) and the items of header lists (an array
    literal holding ``_()`` items). Technical words (TECHNICAL) may stay as they are."""
    toks = tokenize(src)
    out: list[str] = []

    def check_items(expr: list[Tok]) -> None:
        if len(expr) == 1 and _needs_translation(expr[0]):
            out.append(f"{name}:{expr[0].line}: {expr[0].text} is shown untranslated")
        elif expr and expr[0].text == "[" and _match(expr, 0) == len(expr) - 1:
            for item in split_args(expr, 0):
                check_items(item)

    for i, t in enumerate(toks):
        prev = toks[i - 1].text if i else ""
        if t.kind == "id" and t.text == "E" and prev != "." and i + 1 < len(toks) and \
                toks[i + 1].text == "(":
            args = split_args(toks, i + 1)
            kids = args[2] if len(args) >= 3 else (args[1] if len(args) == 2 and args[1]
                                                   and args[1][0].text != "{" else None)
            if kids:
                check_items(kids)
        if t.kind == "p" and t.text == "[":
            end = _match(toks, i)
            items = split_args(toks, i)
            if any(it and it[0].text == "_" for it in items) and end + 1 < len(toks) and \
                    toks[end + 1].text == ".":
                for it in items:
                    check_items(it)
    return sorted(set(out))


def msgids(src: str) -> set[str | tuple[str, str]]:
    """The msgids xgettext finds in a view (``_('s')`` → s, ``N_(n, 's', 'p')`` → (s, p)),
    whitespace collapsed as LuCI's i18n-scan.pl does."""
    import ast

    def lit(tok: Tok) -> str:
        return " ".join(ast.literal_eval(tok.text).split())

    toks = tokenize(src)
    found: set[str | tuple[str, str]] = set()
    for i, t in enumerate(toks):
        if t.kind != "id" or (i and toks[i - 1].text == ".") or i + 1 >= len(toks) or \
                toks[i + 1].text != "(":
            continue
        if t.text == "_":
            args = split_args(toks, i + 1)
            if args and len(args[0]) == 1 and args[0][0].kind == "str":
                found.add(lit(args[0][0]))
        elif t.text == "N_":
            args = split_args(toks, i + 1)
            if len(args) >= 3 and all(len(a) == 1 and a[0].kind == "str" for a in args[1:3]):
                found.add((lit(args[1][0]), lit(args[2][0])))
    return found
