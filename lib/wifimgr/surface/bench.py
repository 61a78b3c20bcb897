"""``make bench``: start-up cost of the rpcd plugin, parser throughput, and the monitor's cost.

Targets (issue 2): ``call status`` ≤ 4× a bare ``python3 -c pass``; parsing a 200-station MLO
station dump < 20 ms; issue 26: in less than one bare interpreter start (printed as the ratio).
Issue 16: the monitor below 1 % of one core at the default interval with
200 clients, RSS below 30 MB, history bounded by configuration. Issue 24: one steering policy
step for 500 clients under 50 ms with the state updated in place, and the replay of a day of 200
clients (8,640 samples) under a minute. Figures are printed, never asserted (timings are not
pass/fail tests). ``python -m wifimgr.surface.bench steering`` runs only the steering figures.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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


def _interleaved(argv: list[str], *, env: dict[str, str], stdin: str) -> tuple[float, float]:
    """(median of ``argv``, median of a bare ``python3 -c pass``), runs alternating so that the
    machine's load hits both alike."""
    a, b = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True,
                       timeout=60)
        t1 = time.perf_counter()
        subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, check=True,
                       timeout=60)
        a.append(time.perf_counter() - t1)
        b.append(t1 - t0)
    return statistics.median(a), statistics.median(b)


def _plugin() -> str:
    """The rpcd plugin of this source tree (lib/wifimgr/surface/ → rpcd/wifimgr)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "rpcd", "wifimgr"))


def main() -> None:
    os.path.dirname(os.path.abspath(__file__))
    plugin = _plugin()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        # any non-empty PYTHONDONTWRITEBYTECODE (even "0") stops .pyc caching: on the router
        # the modules are byte-compiled once, so measure that
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["WIFIMGR_SIM"] = os.path.join(tmp, "twin")
        from ..sim import open_twin

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
        from ..parse import iw_dev, iw_station
        from ..sim.ports.view import View

        aps = [i.name for i in iw_dev.parse_dev(sysm.run.run(["iw", "dev"]).stdout)
               if i.type == "AP"]

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

    stations = iw_station.parse_station_dump(dump)
    # parsing against a bare interpreter start, both as the least of interleaved runs (the
    # least is what a quiet machine gives; interleaving shares whatever load there is)
    parse_s, bare_min = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run([py, "-c", "pass"], capture_output=True, check=True, timeout=60)
        bare_min.append(time.perf_counter() - t0)
        for _ in range(3):
            t0 = time.perf_counter()
            iw_station.parse_station_dump(dump)
            parse_s.append(time.perf_counter() - t0)
    per_parse, bare_least = min(parse_s), min(bare_min)
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
          f"stations, {len(dump.splitlines())} lines = {per_parse / bare_least:.2f}x a bare "
          f"interpreter start ({bare_least * 1000:.1f} ms, least of {RUNS}; target < 1x: "
          f"{'met' if per_parse < bare_least else 'NOT met'})")


def served_bench() -> None:
    """Issue 25: a read answered from the monitor's fresh sample (monitor/replies.py) — each of
    the served methods through the plugin, against a bare ``python3 -c pass`` (target <= 2.5x),
    with the live read beside it (the sample is made stale by moving the twin's clock)."""
    from ..monitor.daemon import once
    from ..sim import open_twin
    from .api import SERVED

    py = sys.executable
    plugin = _plugin()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        rows = []
        for label, n_extra in (("3 clients", 0), ("200 clients", 197)):
            env["WIFIMGR_SIM"] = os.path.join(tmp, label.replace(" ", "-"))
            twin = open_twin(env["WIFIMGR_SIM"])
            twin.freeze()
            twin.advance(90)
            for n in range(n_extra):
                twin.add_station(mac=f"02:b0:00:00:{n // 256:02x}:{n % 256:02x}",
                                 kind="mlmr" if n % 2 else "mlsr")
            for name in SERVED:      # a page reads them (and warms the bytecode cache)
                subprocess.run([py, plugin, "call", name], input=b"{}", env=env,
                               capture_output=True, check=True, timeout=60)
            system = twin.system()
            # the monitor's first sample reports the factory config (unsafe until first run) to
            # syslog, which on the twin changes its state file and so voids that sample's
            # replies; a running monitor serves from its next sample on
            once(system)
            once(system)
            for name in SERVED:
                served, bare = _interleaved([py, plugin, "call", name], env=env, stdin="{}")
                out = subprocess.run([py, plugin, "call", name], input="{}", env=env, text=True,
                                     capture_output=True, check=True, timeout=60).stdout
                source = out.split('"source":"', 1)[1].split('"', 1)[0]
                rows.append((label, name, served, bare, source))
            twin.advance(30)                 # the sample is stale now: the same calls live
            for i, name in enumerate(SERVED):
                live, bare_l = _interleaved([py, plugin, "call", name], env=env, stdin="{}")
                lbl, nm, served, bare, source = rows[-len(SERVED) + i]
                rows[-len(SERVED) + i] = (lbl, nm, served, bare, source, live, bare_l)
    for label, name, served, bare, source, live, bare_l in rows:
        ratio = served / bare
        print(f"served {name:<12} {label:<11} {served * 1000:6.1f} ms = {ratio:4.2f}x bare "
              f"(source {source}; target <= 2.5x: {'met' if ratio <= 2.5 else 'NOT met'}); "
              f"live {live * 1000:6.1f} ms = {live / bare_l:4.2f}x")


def _journal_cost(system) -> tuple[float, float]:
    """What a multi-package write pays for all-or-nothing, and a plugin call without one."""
    from ..transaction import journal

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


def _monitor_cpu(twin, samples: int = 7) -> tuple[float, float, float]:
    """(CPU s per sample, of which the twin answering the commands, wall s per sample) of the
    monitor's sample on ``twin`` — in this process, the twin clock moving 10 s per sample."""
    from ..monitor.daemon import Monitor

    system = twin.system()
    mon = Monitor(system)
    mon.sample_once()                      # warm: imports, first ring files
    calls: list[tuple[str, tuple]] = []
    real_run, real_call = system.run.run, system.bus.call

    def run(argv, **kw):
        calls.append(("run", tuple(argv)))
        return real_run(argv, **kw)

    def call(obj, method, args=None, **kw):
        calls.append(("call", (obj, method, args)))
        return real_call(obj, method, args, **kw)

    system.run.run, system.bus.call = run, call
    cpu, twin_cpu, wall = [], [], []
    from ..sim.ports.view import View

    for _ in range(samples):
        twin.advance(10)
        calls.clear()
        View._last.clear()
        w0, c0 = time.perf_counter(), time.process_time()
        mon.sample_once()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        View._last.clear()                  # the twin alone answering the same requests
        c1 = time.process_time()
        for kind, a in calls:
            if kind == "run":
                real_run(list(a))
            else:
                with contextlib.suppress(Exception):   # a "not found" costs the same
                    real_call(*a)
        twin_cpu.append(time.process_time() - c1)
    if mon.writer is not None:
        mon.writer.close()
    return (statistics.median(cpu), statistics.median(twin_cpu), statistics.median(wall))


# VmHWM, not getrusage's ru_maxrss: Linux carries a parent's maxrss over fork and exec
_RSS = ("import sys\n"
        "if sys.argv[1:] == ['monitor']:\n"
        "    from wifimgr.monitor.daemon import main\n"
        "    main(4)\n"
        "print([ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0])\n")


def _monitor_rss(sim_dir: str, env: dict[str, str]) -> tuple[int, int]:
    """(peak RSS in kB of a `wifimgr monitor` taking 4 samples 2 s apart, of a bare python3)."""
    from ..settings import monitor as config
    from ..sim import open_twin

    twin_sys = open_twin(sim_dir).system()
    config.ensure_section(twin_sys)

    def interval(n: int) -> None:
        pkg = twin_sys.uci.load("wifimgr")
        pkg["monitor"].set("interval", str(n))
        twin_sys.uci.commit(pkg)

    interval(2)
    try:
        out = subprocess.run([sys.executable, "-c", _RSS, "monitor"], env=env, text=True,
                             capture_output=True, check=True, timeout=120).stdout
    finally:
        interval(10)
    bare = subprocess.run([sys.executable, "-c", _RSS], env=env, text=True,
                          capture_output=True, check=True, timeout=60).stdout
    return int(out.split()[-1]), int(bare.split()[-1])


def monitor_bench() -> None:
    from ..monitor import history
    from ..monitor.daemon import once
    from ..platform import ring
    from ..settings import monitor as config
    from ..sim import open_twin

    cfg = config.DEFAULTS
    with tempfile.TemporaryDirectory() as tmp:
        small = open_twin(os.path.join(tmp, "m3"))
        small.freeze()
        small.advance(90)
        big = open_twin(os.path.join(tmp, "m200"))
        big.freeze()
        big.advance(90)
        for n in range(197):
            big.add_station(mac=f"02:b0:00:00:{n // 256:02x}:{n % 256:02x}",
                            kind="mlmr" if n % 2 else "mlsr")
        cpu3, twin3, wall3 = _monitor_cpu(small)
        cpu200, twin200, wall200 = _monitor_cpu(big)
        # issue 25: a page open — the monitor also makes the replies it serves (all six wanted)
        from ..monitor import replies

        real_wanted = replies.wanted
        replies.wanted = lambda system: list(replies.SERVED)
        try:
            cpu_p, twin_p, _wall = _monitor_cpu(big)
        finally:
            replies.wanted = real_wanted
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["WIFIMGR_SIM"] = big.dir
        big.unfreeze()                      # the process below samples in real time
        rss, bare_rss = _monitor_rss(big.dir, env)
        big.freeze()
        # a day of history at the default retention: files are sized when created
        sys200 = big.system()
        once(sys200)
        default_day = history.size_bytes(sys200)
        n_clients = len(history.entities(sys200, "client"))
        pkg = sys200.uci.load("wifimgr")
        pkg["monitor"].set("clients", "200")
        sys200.uci.commit(pkg)
        once(sys200)
        all_day = history.size_bytes(sys200)
    per_client = (ring.file_size(cfg.fine_slots, history.CLIENT_COLS
                                 + history.link_columns([0, 1, 2]), width=2)
                  + ring.file_size(cfg.long_slots, history.CLIENT_COLS
                                   + history.link_columns([0, 1, 2]), width=2))
    own3, own200 = cpu3 - twin3, cpu200 - twin200
    print(f"monitor sample, 3 clients    {cpu3 * 1000:7.1f} ms CPU ({wall3 * 1000:.1f} ms wall);"
          f" the twin answering {twin3 * 1000:.1f} ms → monitor {own3 * 1000:.1f} ms")
    print(f"monitor sample, 200 clients  {cpu200 * 1000:7.1f} ms CPU ({wall200 * 1000:.1f} ms "
          f"wall); the twin answering {twin200 * 1000:.1f} ms → monitor {own200 * 1000:.1f} ms "
          f"({own200 / max(own3, 1e-9):.1f}x the 3-client sample)")
    own_p = cpu_p - twin_p
    print(f"  with a page open (the six served replies made too): monitor {own_p * 1000:.1f} ms "
          f"per sample, +{(own_p - own200) * 1000:.1f} ms; with no page open nothing is made")
    pct = 100 * own200 / cfg.interval
    print(f"  = {pct:.2f} % of one core at the default {cfg.interval} s interval "
          f"(target < 1 %: {'met' if pct < 1 else 'NOT met'}; with the twin's share "
          f"{100 * cpu200 / cfg.interval:.2f} %)")
    print(f"monitor RSS (200-client twin) {rss / 1024:6.1f} MB peak (bare python3 "
          f"{bare_rss / 1024:.1f} MB; target < 30 MB: {'met' if rss < 30 * 1024 else 'NOT met'}"
          "; includes the twin's own state and rendering)")
    print(f"history for a day at the defaults ({cfg.retention} h, {cfg.interval} s for 1 h, "
          f"{cfg.step} s after, {cfg.clients} clients): {default_day / 1e6:.2f} MB for "
          f"{n_clients} clients (fixed at creation); all 200 clients: {all_day / 1e6:.2f} MB "
          f"({per_client / 1024:.1f} KiB per 3-link client)")


def _steering_home(n: int, seed: int = 24) -> tuple[list[tuple[str, str, tuple[int, ...]]], Any]:
    """``n`` clients of a busy home (phones, EMLSR clients, BPI-R4 stations, legacy clients)
    and a function giving the station dump of step ``i``: RF walking slowly per client."""
    import random

    from ..steering.model import LinkReading, StationSample

    rnd = random.Random(seed)  # noqa: S311 - a reproducible home, not a secret
    caps = {"iphone": (1, False), "emlsr": (1, True), "bpi": (2, False)}
    mix = ["iphone"] * 6 + ["emlsr"] * 2 + ["bpi"] * 1 + ["legacy"]
    clients = []
    for k in range(n):
        kind = mix[k % len(mix)]
        lids = (rnd.choice((0, 1, 2)),) if kind == "legacy" else (0, 1, 2)
        clients.append((f"02:be:00:00:{k // 256:02x}:{k % 256:02x}", kind, lids))
    noise = {0: -95, 1: -95, 2: -93}
    level = [{lid: rnd.choice((5, 12, 25, 35)) for lid in c[2]} for c in clients]
    pkts = [1000] * n
    idle = LinkReading(-105, 45000)

    def dump(i: int) -> tuple[StationSample, ...]:
        out = []
        for k, (mac, kind, lids) in enumerate(clients):
            if rnd.random() < 0.02:
                level[k][rnd.choice(lids)] = rnd.choice((-3, 5, 12, 25, 35))
            pkts[k] += 300
            active = lids if kind == "bpi" else (max(lids, key=lambda lid: level[k][lid]),)
            links = {lid: LinkReading(noise[lid] + level[k][lid], 20) if lid in active else idle
                     for lid in lids}
            if kind == "legacy":
                out.append(StationSample(mac=mac, mld=False, links=links, tx_packets=pkts[k],
                                         tx_retries=pkts[k] // 20))
                continue
            msl, eml = caps[kind]
            out.append(StationSample(mac=mac, mld=True, max_simul_links=msl, emlsr=eml,
                                     emlmr=False, links=links, tx_packets=pkts[k],
                                     tx_retries=pkts[k] // 20))
        return tuple(out)

    return clients, dump


def steering_bench() -> None:
    from ..settings.steering import DEFAULTS
    from ..steering import policy, replay
    from ..steering.model import AttlmState, LinkInfo, Sample

    links = {0: LinkInfo("2g", 2462, -95, 0, 5_000_000, 1_000_000),
             1: LinkInfo("5g", 5180, -95, None, 5_000_000, 1_000_000),
             2: LinkInfo("6g", 6135, -93, None, 5_000_000, 1_000_000)}
    for n in (50, 200, 500):
        _clients, dump = _steering_home(n)
        samples = [Sample(t=10.0 * i, links=links, stations=dump(i), attlm=AttlmState(False),
                          neg_ttlm={}, btwt_ids=frozenset({1, 2})) for i in range(24)]
        state = None
        for s in samples[:4]:                       # warm: every client known, streaks running
            state = policy.step(DEFAULTS, state, s, in_place=True).state
        inplace, copied = [], []
        for s in samples[4:14]:
            t0 = time.perf_counter()
            state = policy.step(DEFAULTS, state, s, in_place=True).state
            inplace.append(time.perf_counter() - t0)
        for s in samples[14:]:
            t0 = time.perf_counter()
            state = policy.step(DEFAULTS, state, s).state
            copied.append(time.perf_counter() - t0)
        ms, cms = statistics.median(inplace) * 1000, statistics.median(copied) * 1000
        target = f" (target < 50 ms: {'met' if ms < 50 else 'NOT met'})" if n == 500 else ""
        print(f"steering step, {n:3} clients  {ms:7.2f} ms, state updated in place{target}; "
              f"{cms:.2f} ms with a deep copy of the state")
    # a day of 200 clients at the default 10 s interval, replayed through the simulated hostapd
    n_samples, n_clients = 8640, 200
    _clients, dump = _steering_home(n_clients, seed=8640)
    active = [5_000_000, 5_000_000, 5_000_000]

    def lines():
        for i in range(n_samples):
            for lid in range(3):
                active[lid] += 10_000
            lk = {lid: LinkInfo(li.band, li.freq_mhz, li.noise_dbm, None, active[lid],
                                active[lid] // 5) for lid, li in links.items()}
            s = Sample(t=10.0 * i, links=lk, stations=dump(i))
            yield replay.TraceLine(i + 1, {}, s, False, {}, {})

    trace = replay.Trace(name="a day of 200 clients", lines=[])
    trace.lines = lines()  # type: ignore[assignment]  # streamed: a day is 1.7 M station rows
    t0, c0 = time.perf_counter(), time.process_time()
    sends = 0
    # as `wifimgr steer replay` prints its timeline: streamed, no per-client detail
    for rs in replay.replay_iter(trace, detail=False):
        sends += sum(1 for a in rs.decision.actions if a.kind == "set_attlm")
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    build0 = time.process_time()
    for i in range(200):
        dump(i)
    build = (time.process_time() - build0) / 200 * n_samples
    # with the per-client detail (-v, --json), on part of the day
    active[:] = [5_000_000] * 3
    part = 864
    trace.lines = itertools.islice(lines(), part)  # type: ignore[assignment]
    c1 = time.process_time()
    for _rs in replay.replay_iter(trace):
        pass
    detail_cpu = (time.process_time() - c1) * n_samples / part
    print(f"steering replay, a day of {n_clients} clients ({n_samples} samples): {took:.1f} s "
          f"wall, {cpu:.1f} s CPU ({n_samples / took:.0f} samples/s; target < 60 s: "
          f"{'met' if took < 60 else 'NOT met'}; of which building the samples ~{build:.1f} s "
          f"CPU; {sends} blocks sent); with the per-client detail of -v/--json ~{detail_cpu:.0f}"
          " s CPU")


if __name__ == "__main__":
    if sys.argv[1:] == ["steering"]:
        steering_bench()
    else:
        main()
        served_bench()
        monitor_bench()
        steering_bench()
