"""The ubus objects real LuCI calls while it starts, answered as rpcd and luci-base answer them,
so the real LuCI runtime (``make test-luci``) runs against ``make run`` unchanged:

* ``uci`` — rpcd's uci plugin (openwrt/rpcd ``uci.c``) over the twin's UCI store: ``configs``,
  ``get``/``state`` (``values`` with ``.anonymous``/``.type``/``.name``/``.index``, ``type`` and
  ``match`` filters, ``value`` for one option), ``changes``, and the staged writes ``set``,
  ``add``, ``delete``, ``revert``, ``commit`` (per session, as rpcd keeps a savedir per
  session). Every config needs the ``uci`` read (write) grant of the session's ACL, else
  status 6; a missing config, section or option is status 4.
* ``luci getFeatures`` — luci-base's ucode plugin: what the router has (the BPI-R4 twin).
* ``file list`` — rpcd's file plugin, for LuCI's ``preload`` class probe: the entries of a
  directory under ``/www`` as the dev server serves it (status 4 when there is none), behind
  the ``file`` scope grant.
"""

from __future__ import annotations

import os

from ..core.errors import UciError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar

    from ..platform.ucitext import Package
    from .sessions import Session

OK, INVALID, NOT_FOUND, DENIED, NOT_SUPPORTED = 0, 2, 4, 6, 8


class Status(Exception):
    """A ubus status other than OK, ending the call."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def _value(v: Any) -> Any:
    return list(v) if isinstance(v, list) else v


def _dump_section(sec, index: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {".anonymous": sec.anonymous, ".type": sec.type, ".name": sec.name}
    if index is not None:
        out[".index"] = index
    for k, v in sec.options.items():
        out[k] = _value(v)
    return out


def _matches(sec, match: dict[str, Any] | None, type_: str | None) -> bool:
    if type_ and sec.type != type_:
        return False
    for k, want in (match or {}).items():
        have = sec.options.get(k)
        if isinstance(have, list):
            if str(want) not in have:
                return False
        elif have != str(want):
            return False
    return True


class Uci:
    """rpcd's ``uci`` object: staged changes per session, committed to ``store``."""

    signature: ClassVar = {m: {} for m in ("configs", "get", "state", "changes", "set", "add",
                                           "delete", "revert", "commit", "rename", "order",
                                           "apply", "confirm", "rollback")}

    def __init__(self, store):
        self.store = store
        #: session id → config → list of ["set"|"add"|"remove"|"list-add", section, option?, value?]
        self.staged: dict[str, dict[str, list[list[Any]]]] = {}

    # ------------------------------------------------------------------ helpers
    def _load(self, sid: str, config: str) -> Package | None:
        try:
            pkg = self.store.load(config)
        except UciError:
            return None
        for change in self.staged.get(sid, {}).get(config, []):
            self._replay(pkg, change)
        return pkg

    @staticmethod
    def _replay(pkg: Package, change: list[Any]) -> None:
        op, section = change[0], change[1]
        if op == "add":
            if pkg.get(section) is None:
                pkg.add(change[2], section)
        elif op == "set" and len(change) == 3:
            sec = pkg.get(section)
            if sec is not None:
                sec.type = change[2]
        elif op == "set":
            sec = pkg.get(section)
            if sec is not None:
                sec.set(change[2], change[3])
        elif op == "remove" and len(change) == 2:
            if pkg.get(section) is not None:
                pkg.remove(section)
        elif op == "remove":
            sec = pkg.get(section)
            if sec is not None:
                sec.set(change[2], None)

    def __call__(self, sess: Session, method: str, args: dict[str, Any]
                 ) -> tuple[int, dict[str, Any] | None]:
        fn: Callable | None = getattr(self, "_" + method, None)
        if fn is None:
            return NOT_SUPPORTED, None
        try:
            return fn(sess, args)
        except Status as st:
            return st.code, None

    @staticmethod
    def _config(sess: Session, args: dict[str, Any], level: str) -> str:
        """The ``config`` argument, once the session holds the uci grant for it."""
        config = args.get("config")
        if not isinstance(config, str) or not config:
            raise Status(INVALID)
        if not sess.grants.allows_scope("uci", config, level):
            raise Status(DENIED)
        return config

    def _package(self, sess: Session, args: dict[str, Any], level: str) -> tuple[str, Package]:
        config = self._config(sess, args, level)
        pkg = self._load(sess.sid, config)
        if pkg is None:
            raise Status(NOT_FOUND)
        return config, pkg

    # ------------------------------------------------------------------ reads
    def _configs(self, sess: Session, args: dict[str, Any]):
        names = sorted(n for n in os.listdir(self.store.confdir)
                       if not n.startswith(".") and self.store.exists(n))
        return OK, {"configs": names}

    def _get(self, sess: Session, args: dict[str, Any]):
        _, pkg = self._package(sess, args, "read")
        section, option = args.get("section"), args.get("option")
        if isinstance(section, str):
            sec = pkg.get(section)
            if sec is None:
                return NOT_FOUND, None
            if isinstance(option, str):
                if option not in sec.options:
                    return NOT_FOUND, None
                return OK, {"value": _value(sec.options[option])}
            return OK, {"values": _dump_section(sec, None)}
        match = args.get("match") if isinstance(args.get("match"), dict) else None
        type_ = args.get("type") if isinstance(args.get("type"), str) else None
        values = {}
        for i, sec in enumerate(pkg.sections):
            if _matches(sec, match, type_):
                values[sec.name] = _dump_section(sec, i)
        return OK, {"values": values}

    _state = _get

    def _changes(self, sess: Session, args: dict[str, Any]):
        staged = self.staged.get(sess.sid, {})
        config = args.get("config")
        if isinstance(config, str):
            self._config(sess, args, "read")
            return OK, {"changes": [list(c) for c in staged.get(config, [])]}
        return OK, {"changes": {c: [list(x) for x in v] for c, v in staged.items()
                                if v and sess.grants.allows_scope("uci", c, "read")}}

    # ------------------------------------------------------------------ staged writes
    def _stage(self, sess: Session, config: str, change: list[Any]) -> None:
        self.staged.setdefault(sess.sid, {}).setdefault(config, []).append(change)

    def _set(self, sess: Session, args: dict[str, Any]):
        config, pkg = self._package(sess, args, "write")
        section, values = args.get("section"), args.get("values")
        if not isinstance(section, str) or not isinstance(values, dict):
            return INVALID, None
        if pkg.get(section) is None:
            return NOT_FOUND, None
        for k, v in values.items():
            if isinstance(v, list):
                self._stage(sess, config, ["set", section, k, [str(x) for x in v]])
            else:
                self._stage(sess, config, ["set", section, k,
                                           "1" if v is True else "0" if v is False else str(v)])
        return OK, None

    def _add(self, sess: Session, args: dict[str, Any]):
        config, _ = self._package(sess, args, "write")
        type_, name = args.get("type"), args.get("name")
        if not isinstance(type_, str):
            return INVALID, None
        if not isinstance(name, str):
            name = f"cfg{os.urandom(3).hex()}"      # rpcd/libuci: a generated name
        self._stage(sess, config, ["add", name, type_])
        for k, v in (args.get("values") or {}).items():
            self._stage(sess, config, ["set", name, k, v if isinstance(v, list) else str(v)])
        return OK, {"section": name}

    def _delete(self, sess: Session, args: dict[str, Any]):
        config, pkg = self._package(sess, args, "write")
        section, option = args.get("section"), args.get("option")
        if not isinstance(section, str) or pkg.get(section) is None:
            return NOT_FOUND, None
        if isinstance(option, str):
            self._stage(sess, config, ["remove", section, option])
        else:
            self._stage(sess, config, ["remove", section])
        return OK, None

    def _revert(self, sess: Session, args: dict[str, Any]):
        config = self._config(sess, args, "write")
        self.staged.get(sess.sid, {}).pop(config, None)
        return OK, None

    def _commit(self, sess: Session, args: dict[str, Any]):
        with self.store.lock():
            config, pkg = self._package(sess, args, "write")
            self.store.commit(pkg)
        self.staged.get(sess.sid, {}).pop(config, None)
        return OK, None


class Luci:
    """luci-base's ``luci`` object, the one method LuCI calls at start-up."""

    signature: ClassVar = {"getFeatures": {}}

    def __call__(self, sess: Session, method: str, args: dict[str, Any]):
        if method != "getFeatures":
            return 3, None
        wifi = {"cli": True, "11ac": True, "11ax": True, "11be": True, "11r": True, "acs": True,
                "eap": True, "mesh": False, "ocv": True, "owe": True, "sae": True,
                "suiteb192": True, "wep": False, "wps": False}
        return OK, {"firewall": False, "firewall4": True, "opkg": False, "apk": True,
                    "bonding": False, "mii_tool": False, "offloading": True,
                    "br2684ctl": False, "swconfig": False, "zram": False, "sysntpd": True,
                    "ipv6": True, "dropbear": True, "cabundle": True, "relayd": False,
                    "wifi": True, "ufpd": False, "vrf": False, "netifd_vrf": False,
                    "hostapd": dict(wifi), "wpasupplicant": dict(wifi),
                    "dnsmasq": {"dhcp": True, "dhcpv6": True, "dnssec": False, "ipset": False,
                                "nftset": True, "tftp": True}}


class File:
    """rpcd's ``file`` object, ``list`` only: the directories the dev server serves as /www."""

    signature: ClassVar = {"list": {"path": "string"}}

    def __init__(self, static_roots: Callable[[], list[str]]):
        #: the directories served as /luci-static/ (= /www/luci-static/ on a router)
        self.static_roots = static_roots

    def __call__(self, sess: Session, method: str, args: dict[str, Any]):
        if method != "list":
            return NOT_SUPPORTED, None
        path = args.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            return INVALID, None
        if not sess.grants.allows_scope("file", path, "list"):
            return DENIED, None
        rel = os.path.normpath(path)
        if not rel.startswith("/www/luci-static/"):
            return NOT_FOUND, None
        rel = rel[len("/www/luci-static/"):]
        entries: dict[str, dict[str, Any]] = {}
        found = False
        for root in self.static_roots():
            d = os.path.realpath(os.path.join(root, rel))
            if not d.startswith(os.path.realpath(root)) or not os.path.isdir(d):
                continue
            found = True
            for name in sorted(os.listdir(d)):
                full = os.path.join(d, name)
                st = os.stat(full)
                entries.setdefault(name, {
                    "name": name, "type": "directory" if os.path.isdir(full) else "file",
                    "size": st.st_size, "mode": st.st_mode, "atime": int(st.st_atime),
                    "mtime": int(st.st_mtime), "ctime": int(st.st_ctime),
                    "inode": st.st_ino, "uid": st.st_uid, "gid": st.st_gid})
        if not found:
            return NOT_FOUND, None
        return OK, {"entries": list(entries.values())}
