"""``python -m wifimgr.devserver``: what ``make run`` starts."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys

from .server import App, make_server
from .sessions import DEFAULT_LOGINS


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="wifimgr.devserver",
                                description="LuCI preview + ubus JSON-RPC on the BPI-R4 twin")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--sim-dir", default=os.environ.get("WIFIMGR_SIM"),
                   help="twin state directory (default: $WIFIMGR_SIM)")
    p.add_argument("--luci-src", default=os.environ.get("WIFIMGR_LUCI_SRC"),
                   help="an openwrt/luci checkout: serve the real LuCI runtime and bootstrap "
                        "theme from it instead of the preview shim ($WIFIMGR_LUCI_SRC)")
    p.add_argument("--luci-theme", default=os.environ.get("WIFIMGR_LUCI_THEME", "bootstrap"),
                   choices=("bootstrap", "material"),
                   help="with --luci-src: the theme pages are rendered in ($WIFIMGR_LUCI_THEME)")
    p.add_argument("--profile", default=os.environ.get("WIFIMGR_PROFILE") or None,
                   help="the router and Wi-Fi stack the twin plays (`wifimgr sim profiles`); "
                        "a twin of another profile is reset to this one "
                        "(default: keep the twin, a new one is bpi-r4-mtk)")
    args = p.parse_args(argv)
    if not args.sim_dir:
        p.error("set WIFIMGR_SIM or --sim-dir")
    os.environ["WIFIMGR_SIM"] = os.path.abspath(args.sim_dir)
    if args.profile:
        try:
            ensure_profile(args.sim_dir, args.profile)
        except KeyError as exc:
            p.error(str(exc.args[0]))
    app = App(args.sim_dir, luci_src=args.luci_src, luci_theme=args.luci_theme)
    first_run(app)
    srv = make_server(args.host, args.port, app)
    url = f"http://{args.host}:{srv.server_address[1]}/"
    print(f"wifimgr preview on the twin: {app.twin.profile().title} ({app.sim_dir})"
          + (f" with the LuCI runtime of {app.luci_src}" if app.luci_src else ""))
    print(f"  web UI:   {url}  (LuCI: {url}cgi-bin/luci/admin/network/wifimgr)")
    print(f"  JSON-RPC: POST {url}ubus   (uhttpd) · POST {url}cgi-bin/luci/admin/ubus (LuCI)")
    for user, pw, _read, write in DEFAULT_LOGINS:
        print(f"  login:    {user} / {pw}" + ("" if write else "   (read-only)"))
    print(f"  drive the twin: WIFIMGR_SIM={app.sim_dir} .venv/bin/wifimgr sim --help")
    sys.stdout.flush()

    def on_term(_signo: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    with contextlib.suppress(KeyboardInterrupt):
        srv.serve_forever()
    # like the router powering down: the steering daemon and the monitor stop with it
    app.system.run.run(["/etc/init.d/wifimgr", "stop"], timeout=10)
    app.system.run.run(["/etc/init.d/wifimgr-monitor", "stop"], timeout=10)
    return 0


def ensure_profile(sim_dir: str, profile: str) -> bool:
    """Make the twin in ``sim_dir`` play ``profile`` (`make run PROFILE=…`): a new twin, or one
    of another profile, is reset to it; one of the same profile is kept. True when it was
    reset. KeyError (nothing written) for an unknown profile."""
    from ..sim import Twin
    from ..sim.profiles import PROFILES

    if profile not in PROFILES:
        raise KeyError(f"no profile {profile!r}; one of: {', '.join(PROFILES)}")
    twin = Twin(sim_dir)
    if twin.exists() and twin.profile().name == profile:
        return False
    twin.create(profile=profile)
    return True


def first_run(app: App) -> None:
    """A router with the package installed has run its first-run defaults at first boot; run
    the same code on a fresh twin so the preview starts from that state."""
    from ..lifecycle.defaults import run_first_boot
    from ..radios.txpower import cold_boot_fix

    run_first_boot(app.system)
    app.twin.advance(0)
    cold_boot_fix(app.system, wait_s=15)
    # procd at boot: the monitor (unless wifimgr.monitor.enabled=0), and the steering daemon
    # when wifimgr.steering.enabled=1
    from ..settings.monitor import ensure_section

    ensure_section(app.system)            # what uci-defaults did on the router
    app.system.run.run(["/etc/init.d/wifimgr-monitor", "start"], timeout=10)
    app.system.run.run(["/etc/init.d/wifimgr", "start"], timeout=10)


if __name__ == "__main__":
    sys.exit(main())
