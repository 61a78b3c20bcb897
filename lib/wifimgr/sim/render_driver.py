"""Text the twin prints for the MT7996 driver itself: the mt76 debugfs TX power tables
(``txpower_info``, ``txpower_sku``) and a kernel Oops kept in pstore."""

from __future__ import annotations


# ------------------------------------------------------------- mt76 debugfs txpower_info
def txpower_info(band_idx: int, band: str, *, sku: bool, auto_half_db: int, sku_idx: int) -> str:
    """``phy0/mt76/band<N>/txpower_info`` in the MTK SDK mt7996 driver's format
    (mt7996_get_txpower_info, mtk_debugfs.c): the BASIC INFO block, powers in 0.5 dBm."""
    band_code = {"2g": 0, "5g": 1, "6g": 2}[band]
    return "".join([
        "======================== BASIC INFO ========================\n",
        f"    Band Index: {band_idx}, Channel Band: {band_code}\n",
        "    PA Type: iPA\n",
        "    LNA Type: iLNA\n",
        "------------------------------------------------------------\n",
        f"    SKU: {'enable' if sku else 'disable'}\n",
        "    Percentage Control: disable\n",
        "    Power Drop: 0 [dBm]\n",
        "    Backoff: enable\n",
        "    TX Front-end Loss:  0, 0, 0, 0\n",
        "    RX Front-end Loss:  0, 0, 0, 0\n",
        "    MU TX Power Mode:  auto\n",
        f"    MU TX Power (Auto / Manual): {auto_half_db} / 0 [0.5 dBm]\n",
        "    Thermal Compensation:  disable\n",
        "    Theraml Compensation Value: 0\n",
        "    RegDB:  enable\n",
        f"    sku_index:  {sku_idx}\n",
        "    lpi:  disable\n",
    ])


def txpower_sku(band_idx: int, channel: int, *, target_half_db: int, regdb_dbm: int,
                eeprom_dbm: int, path_delta_half_db: int = 8) -> str:
    """``phy0/mt76/band<N>/txpower_sku`` in the MTK SDK driver's format
    (mt7996_get_txpower_sku, mtk_debugfs.c): the table header, the first rate groups and the
    summary lines the parser reads. The twin leaves out the HT/VHT/HE/EHT rate rows after
    OFDM (the real file has some 40 of them). No public capture of this file exists."""
    def row(name: str, vals: list[int]) -> str:
        return f"{name + ' (TMAC)':<21}:" + "".join(f" {v:6d}" for v in vals) + "\n"

    top = target_half_db
    return "".join([
        f"\nPhy {band_idx} TX Power Table (Channel {channel})\n",
        f"{' ':<21}  " + " ".join(f"{h:>6}" for h in ("1m", "2m", "5m", "11m")) + "\n",
        row("CCK", [top] * 4 if band_idx == 0 else [0] * 4),
        f"{' ':<21}  " + " ".join(f"{h:>6}" for h in ("6m", "9m", "12m", "18m", "24m", "36m",
                                                      "48m", "54m")) + "\n",
        row("OFDM", [top] * 6 + [top - 2, top - 4]),
        "\nePA Gain: 0\n", f"Max Power Bound: {top}\n", "Min Power Bound: -64\n",
        f"\nBBP TX Power (target power from TMAC)  : {top:6d} [0.5 dBm]\n",
        f"RegDB maximum power:\t{regdb_dbm} [dBm]\n",
        f"eeprom maximum power:\t{eeprom_dbm} [dBm]\n",
        f"path_delta:\t{path_delta_half_db} [0.5 dBm]\n",
    ])


# ------------------------------------------------------------------------ pstore
def driver_oops(t: float) -> str:
    """The tail of ``/sys/fs/pstore/console-ramoops-0`` after a kernel panic in the mt7996e RX
    path, in the shape of the real one (captures/openwrt-18750-mt7996-oops: the call trace
    through mt7996_mcu_rx_event, the fatal-exception panic line); ``t`` is the uptime."""
    lines = [(7, "Call trace:"),
             (7, " mt7996_mcu_rx_event+0x238/0x5c8 [mt7996e]"),
             (7, " mt7996_queue_rx_skb+0x468/0xd38 [mt7996e]"),
             (7, " mt76_dma_rx_poll+0x4ec/0xc78 [mt76]"),
             (7, " __napi_poll+0x34/0x174"),
             (7, " napi_threaded_poll_loop+0xa0/0x1a4"),
             (7, " napi_threaded_poll+0x70/0x7c"),
             (7, " kthread+0xd8/0xdc"),
             (7, " ret_from_fork+0x10/0x20"),
             (0, "Code: 12001c21 7100083f 54001ae8 39405c01 (79413860)"),
             (4, "---[ end trace 0000000000000000 ]---"),
             (0, "Kernel panic - not syncing: Oops: Fatal exception in interrupt"),
             (2, "SMP: stopping secondary CPUs"),
             (0, "Kernel Offset: disabled"),
             (0, "CPU features: 0x00,00000002,00000000,4200400b"),
             (0, "Memory Limit: none")]
    return "".join(f"<{lvl}>[{t + n * 0.005:12.6f}] {text}\n" for n, (lvl, text) in
                   enumerate(lines))
