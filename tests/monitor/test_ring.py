"""Ring files: bounded by construction, slots by time, geometry changes keep what fits."""

from __future__ import annotations

import math
import os

from wifimgr.platform import ring


def test_write_read_and_wrap(tmp_path):
    p = str(tmp_path / "r.fine")
    r = ring.Ring(p, step=10, slots=6, columns=("a", "b"))
    size = os.path.getsize(p)
    assert size == ring.file_size(6, ("a", "b"))
    for i in range(20):                       # more than the ring holds
        r.write(1000 + 10 * i, [i, None if i % 2 else -i])
    assert os.path.getsize(p) == size         # never grows
    step, cols, recs = ring.read(p)
    assert (step, cols) == (10, ("a", "b"))
    assert [t for t, _v in recs] == [1000 + 10 * i for i in range(14, 20)]   # the newest 6
    assert recs[-1][1] == (19.0, None) and recs[-2][1] == (18.0, -18.0)
    # a slot is addressed by time: rewriting the same slot replaces it
    r.write(1195, [7, 7])
    assert ring.read(p)[2][-1] == (1190, (7.0, 7.0))
    assert ring.read(p, since=1175, until=1185)[2] == [(1180, (18.0, -18.0))]
    r.close()


def test_half_floats_keep_three_digits_and_clamp(tmp_path):
    p = str(tmp_path / "h.long")
    r = ring.Ring(p, step=60, slots=4, columns=("dbm", "mbps", "big"), half=True)
    r.write(600, [-67, 2882.4, 1e9])
    (_t, (dbm, mbps, big)), = ring.read(p)[2]
    assert dbm == -67 and abs(mbps - 2882.4) < 2 and big == ring.HALF_MAX
    assert os.path.getsize(p) == ring.file_size(4, ("dbm", "mbps", "big"), width=2)


def test_new_geometry_or_columns_keeps_matching_data(tmp_path):
    p = str(tmp_path / "c.fine")
    r = ring.Ring(p, step=10, slots=6, columns=("a", "b"))
    r.write(100, [1, 2])
    r.write(110, [3, 4])
    r.close()
    r2 = ring.Ring(p, step=10, slots=12, columns=("b", "c"))
    recs = ring.read(p)[2]
    assert recs == [(100, (2.0, None)), (110, (4.0, None))]
    assert os.path.getsize(p) == ring.file_size(12, ("b", "c"))
    r2.close()


def test_not_a_ring_file(tmp_path):
    p = tmp_path / "x"
    p.write_bytes(b"garbage" * 10)
    assert ring.read(str(p)) is None
    assert ring.read(str(tmp_path / "missing")) is None
    assert math.isnan(ring.NAN)
