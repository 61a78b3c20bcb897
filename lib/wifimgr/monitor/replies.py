"""Reads served from the monitor's sample (docs/monitor.md "Reads from the sample").

rpcd starts the plugin for every call. While a page is open, the monitor — which reads the router
every ``interval`` anyway — also makes the replies of the read methods that page polls
(:data:`SERVED`) from the same sample, by calling the methods' own handlers on a system whose
commands run once per sample (:func:`memo`). The plugin then answers such a call from
``<state_dir>/monitor/replies/<method>.json`` with no command spawned and nothing imported but
``json``, ``os`` and this module (:func:`serve_text`), when:

* the reply is fresh: at most ``interval`` (+ :data:`GRACE_S` for the sample to be written) old
  on the system's clock;
* nothing it depends on changed since: the configuration files, the apply health check's
  pending job, the steering daemon's decision, and no half-done write (the commit journal) —
  their ``mtime`` is recorded with the reply (:func:`stamps`); a write through the API removes
  every reply at once (:func:`invalidate`).

Otherwise the method reads live, as before. Every reply of these methods says which:
``source: "sample"|"live"`` and ``age`` (seconds; 0 when live).

The monitor makes a reply only for the methods someone read in the last :data:`WANT_S` seconds
(each call leaves ``<method>.want``): with no page open the monitor costs what it did.
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from ..platform import System

SERVED = ("status", "networks", "clients", "radios", "diagnostics", "linkpolicy")
#: their handlers, as the registry (:mod:`wifimgr.surface.api`) names them — the monitor is below
#: the surface and must not import it; tests/monitor/test_replies.py keeps the two equal
HANDLERS = {
    "status": "overview.status:status",
    "networks": "radios.inventory:networks",
    "clients": "clients.stations:clients",
    "radios": "radios.inventory:radios",
    "diagnostics": "overview.diagnostics:diagnostics",
    "linkpolicy": "steering.methods:linkpolicy",
}
#: a method read within this many seconds gets its reply made with every sample
WANT_S = 120
#: seconds beyond ``interval`` a reply stays fresh (the next sample takes time to be written)
GRACE_S = 2.0
SUBDIR = os.path.join("monitor", "replies")


def folder(state_dir: str) -> str:
    return os.path.join(state_dir, SUBDIR)


# ---------------------------------------------------------------------------------------
# the reader: the plugin's fast path (json and os only)
# ---------------------------------------------------------------------------------------

def _twin_clock(sim_dir: str) -> Callable[[], float]:
    """The twin's clock without importing the twin (``Twin.now``: frozen, or real time plus an
    offset; tests/monitor/test_replies.py checks that both agree)."""
    import time

    def now() -> float:
        with open(os.path.join(sim_dir, "twin.json"), encoding="utf-8") as fh:
            c = json.load(fh)["clock"]
        if c.get("frozen_at") is not None:
            return float(c["frozen_at"])
        return time.time() + float(c.get("offset", 0.0))
    return now


def locate() -> tuple[str, Callable[[], float]]:
    """(state_dir, clock) of the system this process would open (``host.system.get_system``),
    without opening it: ``/tmp/wifimgr`` and the real time on a router, the twin's."""
    sim = os.environ.get("WIFIMGR_SIM")
    if sim:
        sim = os.path.abspath(sim)
        return os.path.join(sim, "tmp", "wifimgr"), _twin_clock(sim)
    import time

    return "/tmp/wifimgr", time.time  # noqa: S108 - System.state_dir on the router


def want(state_dir: str, name: str, now: float) -> None:
    """Record that ``name`` was read now (the monitor makes its reply while it is wanted)."""
    path = os.path.join(folder(state_dir), name + ".want")
    try:
        with open(path, "w", encoding="ascii") as fh:
            fh.write(repr(now))
    except FileNotFoundError:
        try:
            os.makedirs(folder(state_dir), exist_ok=True)
            with open(path, "w", encoding="ascii") as fh:
                fh.write(repr(now))
        except OSError:
            pass
    except OSError:
        pass


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def serve_text(name: str, args: dict[str, Any] | None, state_dir: str,
               clock: Callable[[], float]) -> str | None:
    """The JSON text of ``name``'s reply from the sample, or None (read live). Records the
    demand in either case."""
    if name not in SERVED or any(k != "ubus_rpc_session" for k in (args or {})):
        return None
    try:
        now = clock()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    want(state_dir, name, now)
    try:
        with open(os.path.join(folder(state_dir), name + ".json"), encoding="utf-8") as fh:
            head = fh.readline()
            body = fh.read()
        meta = json.loads(head)
        age = now - float(meta["t"])
        if not 0 <= age <= float(meta["fresh_s"]):
            return None
        for path, mtime in meta["stamps"]:
            if _mtime(path) != mtime:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not body.startswith("{") or len(body) < 3:
        return None
    return '{"source":"sample","age":' + repr(round(age, 1)) + "," + body[1:].rstrip("\n")


def serve(name: str, args: dict[str, Any] | None, state_dir: str,
          clock: Callable[[], float]) -> dict[str, Any] | None:
    text = serve_text(name, args, state_dir, clock)
    return None if text is None else json.loads(text)


def plugin_text(name: str, args: dict[str, Any] | None) -> str | None:
    """The rpcd plugin's fast path: the reply text for the default system, or None."""
    state_dir, clock = locate()
    return serve_text(name, args, state_dir, clock)


def invalidate(state_dir: str) -> None:
    """A write went through: no reply of an older configuration may be served."""
    import contextlib

    d = folder(state_dir)
    try:
        names = os.listdir(d)
    except OSError:
        return
    for n in names:
        if n.endswith(".json"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(d, n))


# ---------------------------------------------------------------------------------------
# the writer: the monitor
# ---------------------------------------------------------------------------------------

def wanted(system: System) -> list[str]:
    """The methods read within the last :data:`WANT_S` seconds."""
    now = system.clock()
    out = []
    for name in SERVED:
        try:
            with open(os.path.join(folder(system.state_dir), name + ".want"),
                      encoding="ascii") as fh:
                t = float(fh.read().strip() or "nan")
        except (OSError, ValueError):
            continue
        if -GRACE_S <= now - t <= WANT_S:
            out.append(name)
    return out


def stamp_paths(system: System) -> list[str]:
    """What the served methods read besides the commands: when one of these changed after the
    sample, its replies are not served."""
    conf = getattr(system.uci, "confdir", None) or "/etc/config"
    paths = [os.path.join(conf, n) for n in ("wireless", "network", "wifimgr", "dhcp")]
    paths += [os.path.join(system.persist_dir, "commit.journal"),
              os.path.join(system.persist_dir, "health", "pending.json"),
              os.path.join(system.persist_dir, "health", "last.json"),
              os.path.join(system.persist_dir, "health", "rollback.json"),
              os.path.join(system.persist_dir, "outside.json"),
              os.path.join(system.state_dir, "applied", "wireless"),
              os.path.join(system.state_dir, "steering", "last.json")]
    if system.sim is not None:
        paths.append(system.sim.state_path)        # anything the twin was told to do
    return paths


def stamps(system: System) -> list[list[Any]]:
    return [[p, _mtime(p)] for p in stamp_paths(system)]


class _MemoRunner:
    """Runs each argv once (the sample and every reply made from it share the outputs)."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.cache: dict[tuple[Any, ...], Any] = {}

    def run(self, argv: Sequence[str], *, timeout: float = 10.0, input: str | None = None):
        key = (*argv, "\0", input)
        if key not in self.cache:
            self.cache[key] = self.inner.run(argv, timeout=timeout, input=input)
        return self.cache[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _MemoBus:
    def __init__(self, inner: Any):
        self.inner = inner
        self.cache: dict[tuple[str, str, str], Any] = {}

    def call(self, obj: str, method: str, args: dict[str, Any] | None = None, *,
             timeout: float = 5.0) -> dict[str, Any]:
        key = (obj, method, json.dumps(args or {}, sort_keys=True))
        if key not in self.cache:
            try:
                self.cache[key] = (True, self.inner.call(obj, method, args, timeout=timeout))
            except Exception as exc:  # the same failure for every reader of this sample
                self.cache[key] = (False, exc)
        ok, val = self.cache[key]
        if not ok:
            raise val
        return val

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def memo(system: System) -> System:
    """``system`` whose commands and bus calls run at most once (for one sample)."""
    from ..platform import System as _System

    return _System(uci=system.uci, bus=_MemoBus(system.bus), run=_MemoRunner(system.run),
                   fs=system.fs, clock=system.clock, state_dir=system.state_dir,
                   persist_dir=system.persist_dir, detach_apply=system.detach_apply,
                   sim=system.sim, extra={**system.extra, "parsed": {}})


#: written by the monitor's own sample (the health check and its rollback, the config watch):
#: may change during the sample
_OWN = (os.path.join("health", "pending.json"), os.path.join("health", "last.json"),
        os.path.join("health", "rollback.json"), "outside.json")


def make(system: System, t: float, interval: float, names: Sequence[str],
         before: list[list[Any]]) -> list[str]:
    """Make and write the replies of ``names`` (the handlers themselves, on ``system`` — the
    sample's :func:`memo` system); the names written. ``before``: :func:`stamps` taken before the
    sample — when something else changed meanwhile (a write), nothing is written. A handler
    that fails leaves no reply (the call reads live and reports the error itself)."""
    import importlib

    from ..host.context import Context
    from ..platform.fs import atomic_write

    marks = stamps(system)
    if any(a != b and not a[0].endswith(_OWN) for a, b in zip(before, marks, strict=True)):
        invalidate(system.state_dir)
        return []
    os.makedirs(folder(system.state_dir), exist_ok=True)
    done = []
    for name in names:
        path = os.path.join(folder(system.state_dir), name + ".json")
        module_name, func_name = HANDLERS[name].split(":")
        try:
            fn = getattr(importlib.import_module(f"wifimgr.{module_name}"), func_name)
            reply = fn(Context(system=system, method=name))
            body = json.dumps(reply, separators=(",", ":"))
        except Exception:
            import contextlib

            with contextlib.suppress(OSError):
                os.unlink(path)
            continue
        meta = {"t": t, "fresh_s": interval + GRACE_S, "stamps": marks}
        atomic_write(path, (json.dumps(meta, separators=(",", ":")) + "\n" + body).encode())
        done.append(name)
    return done
