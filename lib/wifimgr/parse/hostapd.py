"""Parsers for ``hostapd_cli`` replies (upstream hostapd + the MTK SDK MLO/TTLM patches).

hostapd_cli's exit code is 0 even when the daemon answers ``FAIL``: always classify the reply
text with :func:`classify_reply`.

    parse_status(text)    -> Status            # `status` (also `-l <link> status`)
    parse_sta_list(text)  -> list[StaInfo]     # `all_sta`, `sta <mac>`
    parse_attlm(text)     -> AttlmState        # `get_attlm`
    parse_neg_ttlm(text)  -> NegTtlm           # `get_neg_ttlm <mac>`
    parse_btwt(text)      -> list[Btwt]        # `get_btwt`
    classify_reply(text)  -> 'ok' | 'fail' | 'busy' | 'payload' | 'error'

Example ``get_neg_ttlm`` on a BPI-R4 (tests/fixtures/captures/wozi-forum-bpi-r4)::

    Link Mapping:   uplink  downlink
    TID 0:          0x0007  0x0007
    → NegTtlm(active=True, tids={0: (7, 7), …})
"""

from __future__ import annotations

import re

from ..core.errors import ParseError
from ..core.record import field, record
from .common import guarded, is_mac, to_int

CONNECT_ERRORS = ("Failed to connect to hostapd", "Could not connect to hostapd")


def classify_reply(text: str) -> str:
    """``ok`` (``OK``), ``fail`` (``FAIL…``), ``busy`` (text mentions Busy), ``error``
    (hostapd_cli could not reach the daemon / unknown command) or ``payload``."""
    s = text.strip()
    if s == "OK":
        return "ok"
    if s.startswith("FAIL"):
        return "busy" if "busy" in s.lower() else "fail"
    if s.startswith("Busy"):
        return "busy"
    if any(s.startswith(e) for e in CONNECT_ERRORS) or s.startswith("UNKNOWN COMMAND"):
        return "error"
    return "payload"


def parse_kv_lines(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, val = line.partition("=")
        if sep:
            out[key.strip()] = val.strip()
    return out


# hostapd `enum oper_chan_width` (src/common/defs.h): the value printed as eht_oper_chwidth /
# he_oper_chwidth / vht_oper_chwidth. 0 means "use HT" (20 or 40 MHz from secondary_channel).
OPER_CHWIDTH_MHZ = {1: 80, 2: 160, 3: 160, 8: 40, 9: 320}


@record
class Status:
    fields: dict[str, str]

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.fields.get(key, default)

    @property
    def state(self) -> str | None:
        return self.fields.get("state")

    @property
    def freq_mhz(self) -> int | None:
        return to_int(self.fields.get("freq"))

    @property
    def channel(self) -> int | None:
        return to_int(self.fields.get("channel"))

    @property
    def max_txpower(self) -> int | None:
        return to_int(self.fields.get("max_txpower"))

    @property
    def chan_util_avg(self) -> int | None:
        return to_int(self.fields.get("chan_util_avg"))

    @property
    def num_links(self) -> int | None:
        return to_int(self.fields.get("num_links"))

    @property
    def width_mhz(self) -> int | None:
        for key in ("eht_oper_chwidth", "he_oper_chwidth", "vht_oper_chwidth"):
            code = to_int(self.fields.get(key))
            if code is None:
                continue
            if code == 0:
                sec = to_int(self.fields.get("secondary_channel"))
                return 40 if sec else 20
            return OPER_CHWIDTH_MHZ.get(code)
        sec = to_int(self.fields.get("secondary_channel"))
        return 40 if sec else (20 if "channel" in self.fields else None)

    @property
    def mld_addr(self) -> str | None:
        """The AP MLD address: the ``mld_addr[i]`` of whichever BSS of the radio is the MLD
        link (the MT7996 lists the legacy AP and the MLD link of a radio in one STATUS)."""
        addrs = self.indexed("mld_addr")
        return addrs[min(addrs)].lower() if addrs else None

    @property
    def link_id(self) -> int | None:
        return to_int(self.fields.get("link_id"))

    @property
    def partner_links(self) -> dict[int, str]:
        return {k: v.lower() for k, v in self.indexed("partner_link").items()}

    def indexed(self, prefix: str) -> dict[int, str]:
        """``bssid[0]=…``-style keys as {index: value}."""
        out: dict[int, str] = {}
        for k, v in self.fields.items():
            if k.startswith(prefix + "[") and k.endswith("]"):
                idx = to_int(k[len(prefix) + 1 : -1])
                if idx is not None:
                    out[idx] = v
        return out


@guarded("hostapd status")
def parse_status(text: str) -> Status:
    kind = classify_reply(text)
    if kind in ("fail", "error", "busy"):
        raise ParseError(f"hostapd answered {text.strip()[:60]!r}", source="hostapd status")
    fields = parse_kv_lines(text)
    if not fields:
        raise ParseError("no key=value lines", source="hostapd status")
    return Status(fields)


@record
class StaInfo:
    mac: str
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def max_simul_links(self) -> int | None:
        """MLD capability field: simultaneous links − 1 (absent for non-MLD clients)."""
        return to_int(self.fields.get("max_simul_links"))

    @property
    def is_mld(self) -> bool:
        return "max_simul_links" in self.fields

    #: per-link NSTR bitmaps: the MTK SDK prints ``nstr_bitmap=`` after each
    #: ``peer_addr[N]=`` line, and it belongs to link N (spec/platform.md Addenda)
    nstr_bitmaps: dict[int, int] = field(default_factory=dict)

    def _flag(self, name: str) -> bool | None:
        """``emlsr_support=0|1`` (MTK SDK) or ``EMLSR_support=yes|no`` (other hostapd trees)."""
        v = self.fields.get(name)
        if v is None:
            v = self.fields.get(name.upper().replace("_SUPPORT", "_support"))
        if v is None:
            return None
        v = v.strip().lower()
        if v in ("1", "yes", "true"):
            return True
        if v in ("0", "no", "false"):
            return False
        return None

    @property
    def emlsr(self) -> bool | None:
        return self._flag("emlsr_support")

    @property
    def emlmr(self) -> bool | None:
        return self._flag("emlmr_support")

    @property
    def flags(self) -> set[str]:
        return set(re.findall(r"\[([A-Z0-9_]+)\]", self.fields.get("flags", "")))

    @property
    def peer_links(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for k, v in self.fields.items():
            m = re.match(r"peer_addr\[(\d+)\]$", k)
            if m:
                out[int(m.group(1))] = v.lower()
        return out

    @property
    def eht(self) -> bool:
        return "eht_capab" in self.fields or "eht_capab_info" in self.fields or \
            self.fields.get("eht_supported") == "1" or "EHT" in self.flags

    @property
    def he(self) -> bool:
        return "he_capab" in self.fields or self.fields.get("he_supported") == "1" or \
            "HE" in self.flags

    @property
    def vht(self) -> bool:
        return "vht_capab" in self.fields or "vht_caps_info" in self.fields or "VHT" in self.flags


@guarded("hostapd all_sta")
def parse_sta_list(text: str) -> list[StaInfo]:
    if classify_reply(text) in ("fail", "error", "busy"):
        raise ParseError(f"hostapd answered {text.strip()[:60]!r}", source="hostapd all_sta")
    out: list[StaInfo] = []
    cur: StaInfo | None = None
    peer_link: int | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if not s:
            continue
        if is_mac(s):
            cur = StaInfo(s.lower())
            out.append(cur)
            peer_link = None
            continue
        key, sep, val = s.partition("=")
        if not sep:
            continue
        if cur is None:
            raise ParseError(f"key=value before any station MAC: {s!r}", line=lineno,
                             source="hostapd all_sta")
        cur.fields[key] = val
        if key.startswith("peer_addr[") and key.endswith("]"):
            peer_link = to_int(key[10:-1])
        elif key == "nstr_bitmap" and peer_link is not None:
            bm = to_int(val)
            if bm is not None:
                cur.nstr_bitmaps[peer_link] = bm
    return out


@record
class AttlmState:
    active: bool
    enabled_links: int | None = None  # "Link Mapping" = links still enabled
    switch_ms: int | None = None
    duration_ms: int | None = None
    direction: str | None = None
    #: True for the ``Remaining …`` spelling (time left), False for ``Mapping Switch Time`` /
    #: ``Expected Duration`` (the values as set), None when neither line was printed
    remaining: bool | None = None

    def disabled_mask(self, all_links: int) -> int:
        if not self.active or self.enabled_links is None:
            return 0
        return all_links & ~self.enabled_links


@guarded("get_attlm")
def parse_attlm(text: str) -> AttlmState:
    kind = classify_reply(text)
    if kind in ("fail", "error"):
        raise ParseError(f"hostapd answered {text.strip()[:60]!r}", source="get_attlm")
    if "Adv-TTLM Status" not in text:
        return AttlmState(active=False)
    st = AttlmState(active=True)
    for raw in text.splitlines():
        s = raw.strip()
        key, _, val = s.partition(":")
        remaining = key.startswith("Remaining ")
        key = key.removeprefix("Remaining ").strip()
        if s.startswith("Direction:"):
            st.direction = s.split(":", 1)[1].strip()
        elif key in ("Mapping Switch Time", "Expected Duration"):
            # "<n> (ms)": both spellings occur in the field (spec/platform.md §c.3)
            m = re.match(r"\s*(\d+)", val)
            ms = int(m.group(1)) if m else None
            if key == "Mapping Switch Time":
                st.switch_ms = ms
            else:
                st.duration_ms = ms
            st.remaining = remaining
        elif s.startswith("Link Mapping:"):
            st.enabled_links = to_int(s.split(":", 1)[1].strip())
    return st


@record
class NegTtlm:
    active: bool
    tids: dict[int, tuple[int, int]] = field(default_factory=dict)  # tid → (uplink, downlink)


@guarded("get_neg_ttlm")
def parse_neg_ttlm(text: str) -> NegTtlm:
    kind = classify_reply(text)
    if kind in ("fail", "error"):
        raise ParseError(f"hostapd answered {text.strip()[:60]!r}", source="get_neg_ttlm")
    tids: dict[int, tuple[int, int]] = {}
    for raw in text.splitlines():
        m = re.match(r"\s*TID (\d+):\s+(0x[0-9a-fA-F]+)\s+(0x[0-9a-fA-F]+)", raw)
        if m:
            tids[int(m.group(1))] = (int(m.group(2), 16), int(m.group(3), 16))
    return NegTtlm(active=bool(tids), tids=tids)


@record
class Btwt:
    id: int
    fields: dict[str, str]


@guarded("get_btwt")
def parse_btwt(text: str) -> list[Btwt]:
    kind = classify_reply(text)
    if kind in ("fail", "error"):
        raise ParseError(f"hostapd answered {text.strip()[:60]!r}", source="get_btwt")
    out: list[Btwt] = []
    for raw in text.splitlines():
        s = raw.strip()
        if not s.startswith("id="):
            continue
        fields = dict(re.findall(r"(\w+)=(\S+)", s))
        idv = to_int(fields.get("id"))
        if idv is not None:
            out.append(Btwt(idv, fields))
    return out
