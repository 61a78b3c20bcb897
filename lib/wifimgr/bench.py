"""``make bench``: start-up cost of the rpcd plugin and parser throughput.

Targets (issue 2): ``call status`` ≤ 4× a bare ``python3 -c pass``; parsing a 200-station MLO
station dump < 20 ms. Figures are printed, never asserted (timings are not pass/fail tests).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 9


def _time(argv: list[str], *, env: dict[str, str] | None = None, stdin: str | None = None
          ) -> float:
    samples = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, check=True,
                       timeout=60)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    plugin = os.path.normpath(os.path.join(here, "..", "..", "rpcd", "wifimgr"))
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        # any non-empty PYTHONDONTWRITEBYTECODE (even "0") stops .pyc caching: on the router
        # the modules are byte-compiled once, so measure that
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["WIFIMGR_SIM"] = os.path.join(tmp, "twin")
        from .sim import open_twin

        twin = open_twin(env["WIFIMGR_SIM"])
        twin.advance(90)
        for n in range(200):
            twin.add_station(mac=f"02:b0:00:00:{n // 256:02x}:{n % 256:02x}",
                             kind="mlmr" if n % 2 else "mlsr")
        subprocess.run([py, plugin, "call", "status"], input=b"{}", env=env,
                       capture_output=True, check=True, timeout=60)  # warm the bytecode cache
        small = dict(env, WIFIMGR_SIM=os.path.join(tmp, "twin-default"))
        open_twin(small["WIFIMGR_SIM"]).advance(90)       # the factory scene: 3 clients
        subprocess.run([py, plugin, "call", "status"], input=b"{}", env=small,
                       capture_output=True, check=True, timeout=60)
        bare = _time([py, "-c", "pass"])
        status_small = _time([py, plugin, "call", "status"], env=small, stdin="{}")
        lst = _time([py, plugin, "list"], env=env)
        status = _time([py, plugin, "call", "status"], env=env, stdin="{}")
        version = _time([py, plugin, "call", "version"], env=env, stdin="{}")
        sysm = twin.system()
        dump = sysm.run.run(["iw", "dev", "ap-mld-1", "station", "dump"]).stdout
        from .parse import iw
        from .sim.ports import View

        aps = [i.name for i in iw.parse_dev(sysm.run.run(["iw", "dev"]).stdout) if i.type == "AP"]

        def simulate() -> None:
            # what `iw` prints on the router, made in the plugin's own process on the twin
            View._last.clear()
            for ifname in aps:
                sysm.run.run(["iw", "dev", ifname, "station", "dump"])

        simulate()
        samples = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            simulate()
            samples.append(time.perf_counter() - t0)
        twin_share = statistics.median(samples)
        journal_ms, pending_us = _journal_cost(sysm)

    stations = iw.parse_station_dump(dump)
    t0 = time.perf_counter()
    loops = 20
    for _ in range(loops):
        iw.parse_station_dump(dump)
    per_parse = (time.perf_counter() - t0) / loops
    print(f"python3 -c pass           {bare * 1000:7.1f} ms")
    print(f"rpcd/wifimgr list         {lst * 1000:7.1f} ms  ({lst / bare:.2f}x bare)")
    print(f"rpcd/wifimgr call version {version * 1000:7.1f} ms  ({version / bare:.2f}x bare)")
    print(f"rpcd/wifimgr call status  {status_small * 1000:7.1f} ms  ({status_small / bare:.2f}x "
          f"bare; 3 clients; target <= 4x: {'met' if status_small / bare <= 4 else 'NOT met'})")
    print(f"rpcd/wifimgr call status  {status * 1000:7.1f} ms  ({status / bare:.2f}x bare; "
          f"200 clients; target <= 4x: {'met' if status / bare <= 4 else 'NOT met'})")
    print(f"  of which the twin simulating the 200 stations' `iw station dump` "
          f"{twin_share * 1000:.1f} ms: without it {(status - twin_share) * 1000:.1f} ms "
          f"({(status - twin_share) / bare:.2f}x bare)")
    print(f"commit journal            {journal_ms:7.2f} ms to write and remove it for 3 "
          f"packages (1 file + 2 directory fsyncs); no journal: {pending_us:.1f} us per call")
    print(f"parse station dump        {per_parse * 1000:7.2f} ms for {len(stations)} MLO "
          f"stations, {len(dump.splitlines())} lines (target < 20 ms: "
          f"{'met' if per_parse < 0.020 else 'NOT met'})")


def _journal_cost(system) -> tuple[float, float]:
    """What a multi-package write pays for all-or-nothing, and a plugin call without one."""
    from . import journal

    entries = [{"name": n, "old": system.uci.text(n), "new": system.uci.text(n) or ""}
               for n in ("wireless", "network", "firewall")]
    samples = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        journal._write(system, entries)
        journal._remove(system)
        samples.append(time.perf_counter() - t0)
    loops = 1000
    t0 = time.perf_counter()
    for _ in range(loops):
        journal.recover_pending(system)
    return statistics.median(samples) * 1000, (time.perf_counter() - t0) / loops * 1e6


if __name__ == "__main__":
    main()
