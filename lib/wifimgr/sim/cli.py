"""``wifimgr sim …``: drive the twin selected by ``$WIFIMGR_SIM`` (demos and tests)."""

from __future__ import annotations

import json
import os

import click

from . import open_twin


def _twin():
    d = os.environ.get("WIFIMGR_SIM")
    if not d:
        raise click.UsageError("set WIFIMGR_SIM=<dir> to choose the twin")
    return open_twin(d)


@click.group("sim")
def sim() -> None:
    """Drive the simulated router (the twin) in $WIFIMGR_SIM."""


@sim.command("profiles")
@click.option("--json", "as_json", is_flag=True)
def list_profiles(as_json: bool) -> None:
    """The routers and Wi-Fi stacks the twin can play (`reset --profile NAME`)."""
    from .profiles import DEFAULT, PROFILES

    if as_json:
        click.echo(json.dumps([{"name": p.name, "title": p.title, "default": p.name == DEFAULT,
                                "chip": p.chip, "board_name": p.board.get("board_name"),
                                "bands": list(p.bands), "hostapd": p.hostapd,
                                "sources": p.sources} for p in PROFILES.values()], indent=2))
        return
    width = max(len(n) for n in PROFILES)
    for p in PROFILES.values():
        mark = " (default)" if p.name == DEFAULT else ""
        click.echo(f"{p.name:<{width}}  {p.title}{mark}")


@sim.command()
@click.option("--variant", type=click.Choice(["normal", "zeroed-eeprom"]), default="normal",
              show_default=True, help="board variant (zeroed-eeprom: 2.4/5 GHz stuck ~6-7 dBm)")
@click.option("--no-stations", is_flag=True, help="start without the demo clients")
@click.option("--profile", default=None, metavar="NAME",
              help="router and Wi-Fi stack (see `wifimgr sim profiles`; default bpi-r4-mtk)")
def reset(variant: str, no_stations: bool, profile: str | None) -> None:
    """Factory state of a profile (default: the MTK SDK BPI-R4), chip healthy, cold boot."""
    d = os.environ.get("WIFIMGR_SIM")
    if not d:
        raise click.UsageError("set WIFIMGR_SIM=<dir> to choose the twin")
    from .profiles import DEFAULT, PROFILES
    from .twin import Twin

    name = profile or DEFAULT
    if name not in PROFILES:
        raise click.BadParameter(f"no profile {name!r}; one of: {', '.join(PROFILES)}",
                                 param_hint="--profile")
    Twin(d).create(variant, stations=not no_stations, profile=name)
    click.echo(f"twin reset in {d} ({name}, {variant})")


@sim.command()
def reboot() -> None:
    """Warm reboot (like `reboot`)."""
    _twin().reboot()
    click.echo("rebooted")


@sim.command("power-off")
@click.option("--minutes", type=float, required=True, help="how long the board stays unplugged")
def power_off(minutes: float) -> None:
    """Unplug for N minutes, then plug in (cold boot). ≥15 min clears a locked chip."""
    if minutes < 0:
        raise click.BadParameter("must be ≥ 0", param_hint="--minutes")
    t = _twin()
    t.power_off(minutes)
    click.echo("chip locked" if t.load()["chip"]["locked"] else "chip ok")


@sim.command()
@click.argument("seconds", type=float)
def advance(seconds: float) -> None:
    """Move the twin clock forward."""
    _twin().advance(seconds)


@sim.command("add-station")
@click.option("--mac", required=True)
@click.option("--kind", type=click.Choice(["legacy", "emlsr", "mlmr", "mlsr"]), default="emlsr",
              show_default=True)
@click.option("--ssid", default=None, help="SSID to join (default: the AP MLD, or 5 GHz AP)")
@click.option("--band", type=click.Choice(["2g", "5g", "6g"]), default="5g",
              help="preferred band of a legacy client")
@click.option("--signal", "signals", multiple=True, metavar="BAND=DBM",
              help="per-band signal, e.g. --signal 6g=-72 (repeatable)")
@click.option("--trace", type=click.Path(exists=True, dir_okay=False),
              help="JSON list [[seconds, {band: dBm}], ...] the signal follows")
@click.option("--name", default=None)
@click.option("--hostname", default=None,
              help="host name the client asks DHCP for (a line in the twin's lease file)")
def add_station(mac: str, kind: str, ssid: str | None, band: str, signals: tuple[str, ...],
                trace: str | None, name: str | None, hostname: str | None) -> None:
    """Associate a client (EMLSR phone, MLMR router, legacy laptop …)."""
    sig = {"2g": -58, "5g": -63, "6g": -68}
    for item in signals:
        b, _, v = item.partition("=")
        if b not in sig or not v.lstrip("-").isdigit():
            raise click.BadParameter(f"{item!r}: use BAND=DBM with BAND 2g|5g|6g",
                                     param_hint="--signal")
        sig[b] = int(v)
    spec = {"mac": mac, "kind": kind, "signal": sig, "band": band}
    if ssid:
        spec["ssid"] = ssid
    if name:
        spec["name"] = name
    if hostname:
        if any(c.isspace() for c in hostname) or "#" in hostname:
            raise click.BadParameter("a lease file holds no blank or '#' in a name",
                                     param_hint="--hostname")
        spec["hostname"] = hostname
    if trace:
        with open(trace, encoding="utf-8") as fh:
            spec["trace"] = json.load(fh)
    try:
        _twin().add_station(**spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--mac") from None
    click.echo(f"station {mac} added")


@sim.command("add-neighbour")
@click.option("--ssid", required=True, help="up to 32 bytes, any characters")
@click.option("--band", type=click.Choice(["2g", "5g", "6g"]), required=True)
@click.option("--channel", type=int, default=None)
@click.option("--signal", type=int, default=-70, show_default=True, help="dBm")
@click.option("--security", type=click.Choice(["open", "owe", "wpa2-psk", "sae-mixed",
                                               "wpa3-sae"]), default="wpa2-psk",
              show_default=True)
def add_neighbour(ssid: str, band: str, channel: int | None, signal: int,
                  security: str) -> None:
    """Put another access point in radio range (scans list it)."""
    try:
        bssid = _twin().add_neighbour(ssid, band, channel=channel, signal=signal,
                                      security=security)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--ssid") from None
    click.echo(f"neighbour {bssid} added")


@sim.command("remove-station")
@click.option("--mac", required=True)
def remove_station(mac: str) -> None:
    if not _twin().remove_station(mac):
        raise click.ClickException(f"no station {mac}")
    click.echo(f"station {mac} removed")


@sim.command("fail-next-apply")
@click.option("--network", required=True, help="wifi-iface section that will not come up")
@click.option("--link", default=None, metavar="RADIO",
              help="only this radio's link of the MLD NETWORK stays down")
def fail_next_apply(network: str, link: str | None) -> None:
    """Make the next `wifi reload` or boot fail for one network (or one MLD link)."""
    t = _twin()
    pkg = t.uci.load("wireless")
    sec = pkg.get(network)
    if sec is None or sec.type != "wifi-iface":
        raise click.BadParameter(f"no wifi-iface {network!r}", param_hint="--network")
    if link is not None and (not sec.get_bool("mlo") or link not in sec.get_list("device")):
        raise click.BadParameter(f"{network} is not an MLD with radio {link}",
                                 param_hint="--link")
    t.fail_next_apply(network, link)
    click.echo(f"the next apply leaves {network}" + (f" without its {link} link" if link
                                                      else " down"))


@sim.command("set-rf")
@click.option("--band", type=click.Choice(["2g", "5g", "6g"]), required=True)
@click.option("--noise", type=int, default=None, help="noise floor in dBm")
@click.option("--busy", type=int, default=None, help="channel busy %")
@click.option("--signal", type=int, default=None, help="every client's signal on the band")
def set_rf(band: str, noise: int | None, busy: int | None, signal: int | None) -> None:
    """Change the RF conditions of one band."""
    try:
        _twin().set_rf(band, noise=noise, busy=busy, signal=signal)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--band") from None


@sim.command()
@click.option("--json", "as_json", is_flag=True)
def show(as_json: bool) -> None:
    """Summary: profile, phase, chip lock, pending changes, interfaces, stations."""
    _summary(as_json)


@sim.command()
@click.option("--json", "as_json", is_flag=True)
def status(as_json: bool) -> None:
    """The same summary as `show` (profile first)."""
    _summary(as_json)


def _summary(as_json: bool) -> None:
    t = _twin()
    st = t.load()
    rt = t.runtime(st)
    info = {
        "dir": t.dir,
        "profile": t.profile(st).name,
        "phase": t.phase(st),
        "variant": st["variant"],
        "chip_locked": st["chip"]["locked"],
        "crashes": st["chip"].get("crashes", 0),
        "pending": t.pending(st),
        "interfaces": [b.ifname for b in rt.bsses] if rt else [],
        "stations": [s["mac"] + f" ({s['kind']})" for s in st["stations"]],
        "boots": st["boot"]["count"],
    }
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    for k, v in info.items():
        click.echo(f"{k:>12}: {v}")
