"""Apply jobs: make committed changes live by ``wifi reload`` or a reboot, and report progress.

* reload: ``wifi reload`` runs now (it returns once netifd took the new config; interfaces come
  up afterwards), the applied snapshot is updated, ``apply_status`` watches the interfaces.
* reboot: the job record goes to ``System.persist_dir`` (it must survive the reboot: one small
  write to the flash per reboot; later updates go to ``state_dir``, tmpfs) and a
  fully detached worker (new session, no inherited fds — rpcd waits for EOF on the plugin's
  stdout/stderr) sleeps two seconds so the reply reaches the browser, then reboots.
  With ``defer_reboot`` the change only stays pending; the ``reboot`` method applies it later.
* other configs changed by a write (network, firewall, dhcp) get their service reloaded.

Job records are bounded: each directory keeps the last :data:`JOBS_KEPT`. ``persist_dir``
(``/etc/wifimgr``) is not in the sysupgrade keep list, so none outlives a firmware upgrade.
"""

from __future__ import annotations

import json
import os
import sys
import time

from ..core.errors import InvalidArgument, NotFound
from ..platform import state
from ..platform.fs import atomic_write
from . import applied
from .applied import _pending_path, pending_reboot

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context
    from ..platform import System

SERVICE_RELOAD = {
    "network": ["/etc/init.d/network", "reload"],
    "firewall": ["/etc/init.d/firewall", "reload"],
    "dhcp": ["/etc/init.d/dnsmasq", "restart"],
}
REBOOT_DELAY_S = 2.0
JOB_TIMEOUT_S = 180.0


#: job records kept per directory (older ones are pruned on every write)
JOBS_KEPT = 10


def _jobs_dir(system: System, persistent: bool) -> str:
    return os.path.join(system.persist_dir if persistent else system.state_dir, "jobs")


def _job_path(system: System, job_id: str, persistent: bool) -> str:
    return os.path.join(_jobs_dir(system, persistent), f"{job_id}.json")


def _save(system: System, job: dict[str, Any], *, persistent: bool = False) -> None:
    """Write a job record. Only a reboot job's first record goes to the flash
    (``persist_dir``: it is read after the boot); every later update of any job, and every
    reload job, lives in ``state_dir`` (tmpfs on the router: no flash wear, gone at boot).
    ``load_job`` prefers the ``state_dir`` copy."""
    atomic_write(_job_path(system, job["id"], persistent), json.dumps(job).encode())
    prune_jobs(system, persistent)


def prune_jobs(system: System, persistent: bool, keep: int = JOBS_KEPT) -> list[str]:
    """Keep the newest ``keep`` records (ids begin with the creation time in ms, hex) and
    remove the temp files of a killed write; the names removed."""
    from ..platform.fs import remove_stale_temps

    directory = _jobs_dir(system, persistent)
    removed = remove_stale_temps(directory)
    names = [n for n in state.listdir(directory) if n.endswith(".json")]

    def created(name: str) -> tuple[int, str]:
        head = name.split("-", 1)[0]
        try:
            return int(head, 16), name
        except ValueError:
            return -1, name              # not one of ours: oldest, pruned first

    for name in sorted(names, key=created)[:max(0, len(names) - keep)]:
        if state.remove(os.path.join(directory, name)):
            removed.append(name)
    return removed


def load_job(system: System, job_id: str) -> dict[str, Any]:
    if not job_id or not all(c.isalnum() or c == "-" for c in job_id):
        raise InvalidArgument("not a job id", field="job")
    for persistent in (False, True):
        text = state.read_text(_job_path(system, job_id, persistent))
        if text is not None:
            return json.loads(text)
    raise NotFound(f"no apply job {job_id} (only the last {JOBS_KEPT} are kept; jobs of a "
                   "reload do not survive a reboot)", field="job")


def start(ctx: Context, method: str, reasons: list[str], changed: list[str], *,
          defer_reboot: bool = False, undo: dict[str, Any] | None = None
          ) -> dict[str, Any] | None:
    system = ctx.system
    services = [c for c in changed if c in SERVICE_RELOAD]
    if method == "none" and not services:
        return None
    now = system.clock()
    job: dict[str, Any] = {"id": f"{int(now * 1000):x}-{os.urandom(2).hex()}",
                           "method": method, "reasons": reasons, "created": now,
                           "configs": changed, "phase": "queued", "log": []}
    if method != "reboot":
        for svc in services:
            res = system.run.run(SERVICE_RELOAD[svc], timeout=30)
            job["log"].append(f"{' '.join(SERVICE_RELOAD[svc])}: rc {res.rc}")
    from . import health

    # the event, and the check once it came up (before a reboot reboots)
    health.begin(system, job, deferred=defer_reboot and method == "reboot", undo=undo)
    if method == "reload":
        res = system.run.run(["wifi", "reload"], timeout=30)
        job["log"].append(f"wifi reload: rc {res.rc}")
        applied.write(system, system.uci.text("wireless") or "")
        job["phase"] = "waiting" if res.rc == 0 else "failed"
    elif method == "reboot":
        if defer_reboot:
            job["phase"] = "pending"
            job["pending"] = True
            atomic_write(_pending_path(system), json.dumps(
                {"since": now, "reasons": reasons, "job": job["id"]}).encode())
        else:
            job["phase"] = "rebooting"
            _save(system, job, persistent=True)
            request_reboot(system, job["id"])
            return job
    else:
        job["phase"] = "done"
    _save(system, job, persistent=method == "reboot")    # a deferred reboot's job
    return job


def request_reboot(system: System, job_id: str) -> None:
    state.remove(_pending_path(system))
    if system.detach_apply:
        system.run.spawn_detached([sys.executable, "-m", "wifimgr", "apply-job", job_id])
    else:
        system.run.run(["reboot"], timeout=30)


def worker(system: System, job_id: str) -> None:
    """``wifimgr apply-job JOB``: the detached reboot worker."""
    time.sleep(REBOOT_DELAY_S)
    system.run.run(["sync"], timeout=30)
    system.run.run(["reboot"], timeout=30)


def _uptime(ctx: Context) -> float | None:
    try:
        info = ctx.system.bus.call("system", "info", {}, timeout=5)
    except Exception:
        return None
    up = info.get("uptime")
    return float(up) if isinstance(up, int | float) else None


def _observe(ctx: Context) -> tuple[list[str], list[str], list[str]]:
    """(up, missing, in_cac) among the interfaces the config expects to run."""
    from ..observe.live import Live

    lv = Live(ctx.system)
    up, missing, cac = [], [], []
    w = lv.config
    for i in w.active():
        if not any(w.radio_enabled(d) for d in i.devices):
            continue
        ifname = lv.ifname_of(i.name)
        if not ifname:
            missing.append(i.name)
            continue
        if i.is_ap:
            st = lv.ubus(f"hostapd.{ifname}", "get_status")
            state = str((st or {}).get("status", "")).upper()
            if state == "ENABLED":
                up.append(ifname)
            elif state == "DFS":
                cac.append(ifname)
            else:
                missing.append(ifname)
        else:
            up.append(ifname)  # a STA is up once its interface exists
    return up, missing, cac


def apply_status(ctx: Context, job: str) -> dict[str, Any]:
    """``apply_status {job}``: phase, elapsed time, which interfaces are up, failures."""
    system = ctx.system
    rec = load_job(system, job)
    now = system.clock()
    elapsed = max(0.0, now - rec["created"])
    phase = rec["phase"]
    up: list[str] = []
    missing: list[str] = []
    cac: list[str] = []
    message = ""
    if phase == "pending":
        message = "waiting for you to reboot (changes are saved)"
        if pending_reboot(system) is None:
            phase = "rebooting"
    if phase == "rebooting":
        uptime = _uptime(ctx)
        if uptime is not None and now - uptime >= rec["created"]:
            phase = "booting"
        else:
            message = "the router is rebooting (about 60 s)"
    if phase in ("waiting", "booting"):
        up, missing, cac = _observe(ctx)
        if not missing and not cac:
            phase = "done"
            message = "all interfaces are up"
        elif not missing and cac:
            phase = "cac"
            message = "waiting for the DFS channel availability check: " + ", ".join(cac)
        elif elapsed > JOB_TIMEOUT_S:
            phase = "failed"
            message = f"not up after {elapsed:.0f} s: {', '.join(missing)}"
        else:
            message = "starting interfaces"
    if phase != rec["phase"] and phase in ("done", "failed"):
        rec["phase"] = phase
        _save(system, rec)
    return {"job": rec["id"], "method": rec["method"], "phase": phase,
            "elapsed_s": round(elapsed, 1), "reasons": rec.get("reasons", []),
            "up": up, "missing": missing, "cac": cac, "message": message,
            "log": rec.get("log", [])}
