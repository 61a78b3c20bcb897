"""Apply job records (issue 13 item 6): bounded (the last JOBS_KEPT per directory), reload jobs
and every later update in state_dir (tmpfs on the router: no flash wear), only a reboot job's
first record in persist_dir (it is read after the boot), nothing of them kept over sysupgrade
(tests/packaging checks the keep list)."""

from __future__ import annotations

import json
import os
import pathlib

import pytest

from wifimgr.surface.api import dispatch
from wifimgr.transaction import apply


def _jobs(directory: str) -> list[str]:
    try:
        return sorted(n for n in os.listdir(os.path.join(directory, "jobs"))
                      if n.endswith(".json"))
    except FileNotFoundError:
        return []


def test_reload_jobs_are_bounded_and_stay_off_the_flash(clean_twin, system):
    ids = []
    on_flash = _jobs(system.persist_dir)       # the fixture's restore: a reboot job
    for i in range(apply.JOBS_KEPT + 5):
        clean_twin.advance(1)              # ids begin with the creation time (ms)
        r = dispatch("radio_set", {"radio": "radio0", "channel": "6" if i % 2 else "11"})
        assert r["ok"] and r["apply"] == "reload", r
        ids.append(r["job"])
    assert len(_jobs(system.state_dir)) == apply.JOBS_KEPT
    assert _jobs(system.persist_dir) == on_flash           # reloads never touch the flash
    assert _jobs(system.state_dir) == sorted(f"{j}.json" for j in ids[-apply.JOBS_KEPT:])
    assert dispatch("apply_status", {"job": ids[-1]})["job"] == ids[-1]
    gone = dispatch("apply_status", {"job": ids[0]})
    assert gone["error"]["code"] == "not_found"
    assert f"only the last {apply.JOBS_KEPT} are kept" in gone["error"]["message"]


def test_a_reboot_job_survives_the_reboot_written_once_to_the_flash(clean_twin, system):
    r = dispatch("mlo_ap", {"radios": ["radio0", "radio1", "radio2"], "ssid": "mld",
                            "key": "abcdefgh12"})
    assert r["ok"] and r["apply"] == "reboot", r
    job = r["job"]
    record = os.path.join(system.persist_dir, "jobs", f"{job}.json")
    first = pathlib.Path(record).read_bytes()
    assert json.loads(first)["phase"] == "rebooting"
    assert _jobs(system.state_dir) == []
    clean_twin.advance(240)                # the twin rebooted (detach_apply is off) and is up
    st = dispatch("apply_status", {"job": job})
    assert st["phase"] == "done", st
    assert pathlib.Path(record).read_bytes() == first              # the flash copy is not rewritten
    assert _jobs(system.state_dir) == [f"{job}.json"]       # the update went to tmpfs
    assert dispatch("apply_status", {"job": job})["phase"] == "done"


def test_persistent_records_are_bounded_and_killed_writes_swept(clean_twin, system):
    jobs_dir = os.path.join(system.persist_dir, "jobs")
    os.makedirs(jobs_dir, exist_ok=True)
    for name in os.listdir(jobs_dir):          # the fixture's restore left a reboot job
        os.unlink(os.path.join(jobs_dir, name))
    stale = os.path.join(jobs_dir, ".1a0-0000.json.999999.0123abcd")   # its writer is gone
    open(stale, "w").close()
    for i in range(apply.JOBS_KEPT + 3):
        apply._save(system, {"id": f"{0x1a000 + i:x}-00{i:02d}", "method": "reboot",
                             "phase": "rebooting", "created": i}, persistent=True)
    assert len(_jobs(system.persist_dir)) == apply.JOBS_KEPT
    assert _jobs(system.persist_dir)[0] == f"{0x1a000 + 3:x}-0003.json"
    assert not os.path.exists(stale)


@pytest.mark.parametrize("reboot", ["reboot", "power_off"])
def test_a_deferred_reboot_is_pending_until_any_boot(clean_twin, system, reboot):
    from wifimgr.host.context import Context

    on_flash = _jobs(system.persist_dir)
    job = apply.start(Context(system=system), "reboot", ["MLD changed"], ["wireless"],
                      defer_reboot=True)
    assert job["phase"] == "pending" and apply.pending_reboot(system)["job"] == job["id"]
    assert not os.path.exists(os.path.join(system.persist_dir, "pending-reboot.json"))
    assert _jobs(system.persist_dir) == sorted([*on_flash, f"{job['id']}.json"])
    getattr(clean_twin, reboot)(*([] if reboot == "reboot" else [1]))
    assert apply.pending_reboot(system) is None      # whoever rebooted applied it
    clean_twin.advance(240)
    assert dispatch("apply_status", {"job": job["id"]})["phase"] == "done"
