"""``iw dev`` and ``iw dev X info`` (iw interface.c: print_iface_handler, the MLD links).

Example (`iw dev ap-mld-1 info` on a BPI-R4)::

    Interface ap-mld-1
            ifindex 12
            wdev 0x3
            addr 00:0c:43:26:60:00
            ssid OpenWrt-MLD
            type AP
            wiphy 0
            MLD with links:
             - link ID  0 link addr 00:0c:43:26:60:00
               channel 6 (2437 MHz), width: 40 MHz, center1: 2447 MHz
               txpower 20.00 dBm
    → Interface(name='ap-mld-1', type='AP',
                links=[MldLink(link_id=0, channel=Channel(6, 2437, 40, …), …)])
"""

from __future__ import annotations

import re

from ..core.errors import ParseError
from ..core.record import field, record
from .common import guarded, indent_width, to_float, to_int
from .iw_common import parse_channel, unescape_ssid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .iw_common import Channel


@record
class MldLink:
    link_id: int
    addr: str | None = None
    channel: Channel | None = None
    txpower_dbm: float | None = None


@record
class Interface:
    name: str
    phy: int | None = None
    ifindex: int | None = None
    wdev: str | None = None
    addr: str | None = None
    ssid: str | None = None
    type: str | None = None
    wiphy: int | None = None
    channel: Channel | None = None
    txpower_dbm: float | None = None
    four_addr: bool = False
    radios: tuple[int, ...] = ()
    links: list[MldLink] = field(default_factory=list)

    @property
    def is_mld(self) -> bool:
        return bool(self.links)


_LINK_RE = re.compile(r"^- link(?: ID\s+(\d+))?(?: link addr ([0-9a-fA-F:]{17}))?")


def _txpower(text: str) -> float | None:
    m = re.match(r"txpower (-?[\d.]+) dBm", text)
    return to_float(m.group(1)) if m else None


@guarded("iw dev")
def parse_dev(text: str) -> list[Interface]:
    """``iw dev`` (with ``phy#N`` headers) or ``iw dev X info`` (a single interface)."""
    out: list[Interface] = []
    phy: int | None = None
    cur: Interface | None = None
    link: MldLink | None = None
    in_links = False
    links_indent = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        s = raw.strip()
        if s.startswith("phy#"):
            phy = to_int(s[4:])
            cur, link, in_links = None, None, False
            continue
        if s.startswith("Interface "):
            cur = Interface(name=s.split(None, 1)[1], phy=phy)
            out.append(cur)
            link, in_links = None, False
            continue
        if s == "Unnamed/non-netdev interface":
            cur = Interface(name="", phy=phy)
            out.append(cur)
            link, in_links = None, False
            continue
        if cur is None:
            if not out and s.startswith(("ifindex", "type", "wiphy", "addr", "MLD with links")):
                # `iw dev X info` body without its header (as some captures are posted)
                cur = Interface(name="", phy=phy)
                out.append(cur)
            else:
                raise ParseError(f"unexpected line before any interface: {s!r}", line=lineno,
                                 source="iw dev")
        ind = indent_width(raw)
        if in_links and ind > links_indent:
            if s.startswith("- link"):
                m = _LINK_RE.match(s)
                link = MldLink(link_id=int(m.group(1)) if m and m.group(1) else -1,
                               addr=m.group(2) if m else None)
                cur.links.append(link)
            elif link is not None and s.startswith("channel "):
                link.channel = parse_channel(s)
            elif link is not None and s.startswith("txpower "):
                link.txpower_dbm = _txpower(s)
            continue
        in_links = False
        link = None
        if s == "MLD with links:":
            in_links, links_indent = True, ind
            continue
        key, _, val = s.partition(" ")
        if key == "ifindex":
            cur.ifindex = to_int(val)
        elif key == "wdev":
            cur.wdev = val
        elif key == "addr":
            cur.addr = val
        elif key == "ssid":
            cur.ssid = unescape_ssid(val)
        elif key == "type":
            cur.type = val
        elif key == "wiphy":
            cur.wiphy = to_int(val)
        elif key == "channel":
            cur.channel = parse_channel(s)
        elif key == "txpower":
            cur.txpower_dbm = _txpower(s)
        elif s.startswith("4addr: on"):
            cur.four_addr = True
        elif s.startswith("Radios:"):
            cur.radios = tuple(int(x) for x in re.findall(r"\d+", s[7:]))
        # multicast TXQ tables and unknown lines are ignored on purpose
    return out
