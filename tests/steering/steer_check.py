"""The steering scenario property (issue 17): what must hold over any replayed run, judged from
the replay (what the policy did and what the simulated hostapd had on air) and the scenario's
ground truth (the ``rf`` each client would read on each link, who hostapd lists).

``check(trace, steps)`` returns the violations, one line each:

* **stranded** — no connected client is left without a usable link for longer than one block
  (+ the time the policy needs to notice: two confirmations and cooldowns): a multi-radio client
  whose traffic runs on no usable link while it has one; a single-link client stuck on an
  unusable 6 or 5 GHz link while it has a usable way out (6 GHz → any other usable link;
  5 GHz → usable 2.4 GHz) that nobody else needs (a client using that band well, a legacy
  client on it, a client that has no other link: then the population rule decides, not this
  property; nor when 6 GHz must stay on for someone and another single-link client on 5 GHz
  has a 6 GHz link: a 5 GHz-only block would push it onto 6 GHz, which the order forbids, so
  no block can help and the order rule decides). The one block of the bound is also what a block sent for someone else costs:
  hostapd cannot change a block on air, so a client stranded under it waits for its end — and
  then the policy sends 6+5 GHz together when the 5 GHz probe reads bad again, not 6 GHz alone
  onto a dead 5 GHz link for a second block (walks/foreign_5g_block.jsonl);
* **veto** — with population ``all``, no block switches off a band on which a connected
  single-link client's last reading was usable within the grace (``vote_grace``, at least one
  interval), also while it re-associates;
* **last-link** — no block takes the last usable link of a multi-radio client that answers
  Neg-TTLM (``multi_radio_vote`` ``last_link`` or ``member``);
* **toggle** — a band switched off by a block goes off again no sooner than ``cooldown`` after
  it came back;
* **repeat** — no request without a new reason: no ``set_attlm`` while a block runs; failed
  ``set_attlm`` retries at least a cooldown apart and, after ``max_fails`` in a row, each pause
  longer than the one before (up to ``backoff_max``); a Neg-TTLM request repeats the previous
  map only after a failure, an unanswered request, a teardown, a block, a lost map or a
  re-association; requests only to clients that can take them (multi-radio in truth);
* **order** — 5 GHz never off without 6 GHz while a single-link client using 5 GHz has a 6 GHz
  link (it would be pushed onto its worse 6 GHz link), never
  every link, never a client's last link, never a legacy client's link; no Neg-TTLM request in
  ``5g_only``.

Usable/unusable in truth: SNR (rf − noise) ≥ ``USABLE_SNR`` / ≤ ``UNUSABLE_SNR``; in between
the property claims nothing. Interference counts too (issue 24): a link entry's ground-truth
``retry`` (% of its frames retried, scripted scenarios only) at or above ``UNUSABLE_RETRY`` makes
it unusable whatever its SNR — SNR alone never makes a link usable.
"""

from __future__ import annotations

import itertools
from typing import Any

from wifimgr.steering.replay import IDLE_RSSI

USABLE_SNR = 10
UNUSABLE_SNR = 3
UNUSABLE_RETRY = 50
BANDS_6_5 = ("6g", "5g")


def _kind(raw: dict[str, Any]) -> str:
    """Ground truth: ``legacy`` | ``multi`` (traffic on several links at once) | ``single``."""
    if "truth" in raw:
        return raw["truth"]
    msl = raw.get("max_simul_links")
    if msl is None and not raw.get("mld"):
        return "legacy"
    if raw.get("emlmr") or (msl or 0) >= 2 or raw.get("answers_neg_ttlm"):
        return "multi"
    return "single"


def _answers(raw: dict[str, Any]) -> bool:
    v = raw.get("answers_neg_ttlm")
    return v if isinstance(v, bool) else (raw.get("max_simul_links") or 0) >= 2


class _Client:
    def __init__(self, raw: dict[str, Any], sample: Any, noise: dict[int, int]):
        self.mac = raw["mac"].lower()
        self.kind = _kind(raw)
        self.answers = _answers(raw)
        self.links = {int(k) for k in raw.get("links", {})}
        self.snr = {}
        self.retry = {int(k): v["retry"] for k, v in raw.get("links", {}).items()
                      if isinstance(v.get("retry"), int)}
        for k, v in raw.get("links", {}).items():
            rf = v.get("rf", v.get("rssi"))
            if isinstance(rf, int) and noise.get(int(k)) is not None:
                self.snr[int(k)] = rf - noise[int(k)]
        st = next((s for s in sample.stations if s.mac == self.mac), None)
        self.carry: dict[int, int] = {}
        if st is not None:
            for lid, r in st.links.items():
                if r.rssi_dbm not in (None, 0, IDLE_RSSI) and (r.inactive_ms or 0) <= 30000:
                    self.carry[lid] = r.inactive_ms or 0

    def usable(self, lid: int) -> bool:
        return self.snr.get(lid, -99) >= USABLE_SNR and \
            self.retry.get(lid, 0) < UNUSABLE_RETRY

    def unusable(self, lid: int) -> bool:
        return self.snr.get(lid, 99) <= UNUSABLE_SNR or \
            self.retry.get(lid, 0) >= UNUSABLE_RETRY

    def current(self) -> int | None:
        """The link a single-link client carries traffic on now (the freshest)."""
        return min(self.carry, key=lambda lid: (self.carry[lid], lid)) if self.carry else None


def check(trace: Any, steps: list[Any]) -> list[str]:
    out: list[str] = []
    if not steps:
        return out
    cfg0 = steps[0].config
    interval = cfg0.interval
    all_ok = all(o == "ok" for rs in steps for o in rs.outcomes.values())
    strict = all_ok and all(rs.config.mode == "auto" and rs.config.population != "none"
                            for rs in steps)
    block_s = cfg0.attlm_duration / 1000
    notice = cfg0.bad_confirm * interval + cfg0.cooldown
    bound_single = block_s + 2 * notice + 2 * interval
    bound_multi = max(block_s, cfg0.neg_ttlm_hold) + 2 * notice + 2 * interval

    runs: dict[str, float] = {}           # mac → stranded since
    # single-link mac → band → (time, usable) of its last reading there: its vote
    last_read: dict[str, dict[str, tuple[float, bool]]] = {}
    grace = max(cfg0.vote_grace, interval)
    blocks: list[tuple[float, float, int]] = []  # (off from, back at, mask) of blocks on air
    band_back: dict[str, float] = {}
    fails: list[float] = []               # times of consecutive failed set_attlm
    neg_last: dict[str, dict[str, Any]] = {}

    for i, rs in enumerate(steps):
        line = trace.lines[i]
        raw = line.raw
        sample, d, cfg, t = rs.sample, rs.decision, rs.config, rs.decision.t
        lb = {lid: li.band for lid, li in sample.links.items()}
        noise = {lid: li.noise_dbm for lid, li in sample.links.items()}
        departed = {m.lower() for m in raw.get("departed", [])}
        clients = {c.mac: c for c in (_Client(r, sample, noise) for r in raw.get("stations", []))}
        assoc = ({m.lower() for m in raw["associated"]} if "associated" in raw
                 else set(clients)) - departed
        for mac in departed:
            last_read.pop(mac, None)
            neg_last.pop(mac, None)
        six = {lid for lid, b in lb.items() if b == "6g"}
        all_mask = sum(1 << lid for lid in lb)

        def band_mask(band: str, lb: dict[int, str] = lb) -> int:
            return sum(1 << lid for lid, b in lb.items() if b == band)

        # ---- who uses what (for the exemptions and the veto)
        for c in clients.values():
            if c.kind == "single":
                for lid in sorted(c.carry, key=lambda lid: -c.carry[lid]):  # freshest last
                    last_read.setdefault(c.mac, {})[lb[lid]] = (t, c.usable(lid))

        def voted_on(mac: str, band: str, t: float = t) -> bool:
            """Its last reading on ``band`` was usable and is at most the grace old."""
            v = last_read.get(mac, {}).get(band)
            return v is not None and v[1] and t - v[0] <= grace

        def needs(band: str, me: str, clients: dict[str, _Client] = clients,
                  assoc: set[str] = assoc, lb: dict[int, str] = lb) -> bool:
            for mac in assoc - {me}:
                c = clients.get(mac)
                if c is None:   # re-associating: its vote lives on for vote_grace
                    if voted_on(mac, band):
                        return True
                    continue
                mine = [lid for lid in c.links if lb.get(lid) == band]
                if not mine:
                    continue
                if c.kind == "legacy" or {lb.get(lid) for lid in c.links} <= {band}:
                    return True
                if band == "5g" and "2g" not in {lb.get(lid) for lid in c.links}:
                    return True     # the trim keeps 5 GHz for a client without 2.4 GHz
                if c.kind == "multi" and any(lid in c.carry and not c.unusable(lid)
                                             for lid in mine):
                    return True
                if c.kind == "single":
                    cur = c.current()
                    if (cur in mine and not c.unusable(cur)) or voted_on(mac, band):
                        return True
            return False

        # ---- stranded
        if strict:
            for mac, c in clients.items():
                if mac not in assoc or c.kind == "legacy":
                    runs.pop(mac, None)
                    continue
                if c.kind == "multi":
                    bad = any(c.usable(lid) for lid in c.links) and not any(
                        c.usable(lid) for lid in c.carry)
                    bound = bound_multi
                else:
                    cur = c.current()
                    bad = False
                    if cur is not None and c.unusable(cur) and lb.get(cur) in BANDS_6_5:
                        b = lb[cur]
                        others = [lid for lid in c.links if lid != cur and c.usable(lid)]
                        way_out = bool(others) if b == "6g" else any(
                            lb.get(lid) == "2g" for lid in others)
                        has6 = any(lb.get(lid) == "6g" for lid in c.links)
                        # 6 GHz must stay on (someone needs it) and 5 GHz may not go alone (it
                        # would push another single-link client on 5 GHz onto its 6 GHz link:
                        # the order) — no block can help, the order rule decides
                        pushed = any(o.kind == "single" and o.mac != mac and o.mac in assoc
                                     and lb.get(o.current()) == "5g"
                                     and any(lb.get(lid) == "6g" for lid in o.links)
                                     for o in clients.values())
                        conflict = needs(b, mac) or (
                            b == "5g" and (has6 or pushed) and needs("6g", mac))
                        bad = way_out and not conflict
                    bound = bound_single
                if not bad:
                    runs.pop(mac, None)
                    continue
                since = runs.setdefault(mac, t)
                if t - since + interval > bound:
                    out.append(f"t={t:g}: stranded — {mac} ({c.kind}) has had no usable link "
                               f"for {t - since + interval:g}s (bound {bound:g}s)")
                    runs[mac] = t + 1e9  # report once per run

        # ---- the commands of this step
        for a in d.actions:
            o = rs.outcomes.get(a.key)
            if a.kind == "set_attlm":
                m = a.mask
                on_air = [b for b in blocks if b[0] - cfg.attlm_switch_time / 1000 <= t < b[1]]
                if on_air:
                    out.append(f"t={t:g}: repeat — set_attlm while a block is on air")
                if m & band_mask("5g") and six and not m & band_mask("6g"):
                    # only for clients without a 6 GHz link is 5 GHz the first band to go
                    on5 = [c.mac for c in clients.values() if c.kind == "single"
                           and any(lb.get(lid) == "5g" for lid in c.carry)
                           and any(lb.get(lid) == "6g" for lid in c.links)]
                    if on5:
                        out.append(f"t={t:g}: order — 5 GHz off without 6 GHz (mask {m:#x}) "
                                   f"while {', '.join(on5)} use 5 GHz and have a 6 GHz link")
                if m == all_mask:
                    out.append(f"t={t:g}: order — every link off")
                for c in clients.values():
                    sl = sum(1 << lid for lid in c.links if lid in lb)
                    if c.kind == "legacy" and sl & m:
                        out.append(f"t={t:g}: order — legacy {c.mac}'s link switched off")
                    elif c.kind != "legacy" and sl and not sl & ~m:
                        out.append(f"t={t:g}: order — {c.mac} left with no link")
                bands = {lb[lid] for lid in lb if m >> lid & 1}
                if cfg.mode == "auto" and cfg.population == "all":
                    for mac in assoc:
                        c = clients.get(mac)
                        if c is not None and c.kind != "single":
                            continue
                        for band in sorted(bands):
                            if voted_on(mac, band):
                                out.append(f"t={t:g}: veto — {band} off while {mac} read it "
                                           "usable within the grace (population all)")
                if cfg.mode == "auto":
                    for c in clients.values():
                        if c.kind != "multi" or not c.answers:
                            continue
                        keep = [lid for lid in c.carry if not c.unusable(lid)]
                        if any(c.usable(lid) for lid in c.carry) and all(m >> lid & 1
                                                                        for lid in keep):
                            out.append(f"t={t:g}: last-link — the block takes every usable "
                                       f"link of multi-radio {c.mac}")
                if o == "ok":
                    start = t + cfg.attlm_switch_time / 1000
                    for band in bands:
                        back = band_back.get(band)
                        if back is not None and start - back < cfg.cooldown - 1e-6:
                            out.append(f"t={t:g}: toggle — {band} off again {start - back:g}s "
                                       f"after it came back (cooldown {cfg.cooldown}s)")
                    end = start + a.duration_ms / 1000
                    blocks.append((start, end, m))
                    for band in bands:
                        band_back[band] = end
                    fails = []
                else:
                    fails.append(t)
                    gaps = [b - a_ for a_, b in itertools.pairwise(fails)]
                    if gaps and gaps[-1] < cfg.cooldown - 1e-6:
                        out.append(f"t={t:g}: repeat — failed set_attlm retried after "
                                   f"{gaps[-1]:g}s")
                    k = len(fails) - 1   # this is the (k+1)-th failure in a row
                    if k >= cfg.max_fails and len(gaps) >= 2 and gaps[-1] <= gaps[-2] and \
                            gaps[-2] < cfg.backoff_max:
                        out.append(f"t={t:g}: repeat — after {k} failures in a row the pause "
                                   f"did not grow ({gaps[-2]:g}s then {gaps[-1]:g}s)")
            elif a.kind == "neg_ttlm_request":
                c = clients.get(a.mac)
                if cfg.mode == "5g_only":
                    out.append(f"t={t:g}: order — Neg-TTLM request in 5g_only ({a.mac})")
                if c is not None and c.kind != "multi":
                    out.append(f"t={t:g}: repeat — Neg-TTLM request to {a.mac}, which uses one "
                               "link at a time (it cannot take it)")
                prev = neg_last.get(a.mac)
                if prev is not None and prev["maps"] == a.tid_maps and not prev["reason"]:
                    out.append(f"t={t:g}: repeat — the same Neg-TTLM map to {a.mac} again "
                               f"without a new reason (last sent at t={prev['t']:g})")
                neg_last[a.mac] = {"t": t, "maps": a.tid_maps, "reason": o != "ok",
                                   "check": o == "ok"}
            elif a.kind == "neg_ttlm_teardown" and a.mac in neg_last:
                neg_last[a.mac]["reason"] = True
        # a new block, a lost map or an unanswered request are reasons to ask again
        if any(b[0] - cfg.attlm_switch_time / 1000 <= t < b[1] for b in blocks):
            for v in neg_last.values():
                v["reason"] = True
        if i + 1 < len(steps):
            nxt = steps[i + 1].sample
            for mac, v in neg_last.items():
                rb = nxt.neg_ttlm.get(mac, "unread")
                if rb == "unread":
                    continue
                got = None if rb is None else tuple(rb[tid][0] for tid in range(8)
                                                   if tid in rb)
                if v.get("check"):
                    v["check"] = False
                    if got != v["maps"]:
                        v["reason"] = True    # unanswered: one more try is allowed
                elif got != v["maps"]:
                    v["reason"] = True        # the map was lost
        for mac in list(neg_last):
            if mac not in clients and mac not in assoc:
                neg_last.pop(mac)
    return out
