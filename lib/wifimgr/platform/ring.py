"""Fixed-size ring files: the history's storage (RRD-style, on tmpfs).

A ring file holds ``slots`` records of one entity (a radio, an MLD, a client) at one ``step``;
the record of time ``t`` lives at slot ``(t // step) % slots`` and carries its slot time, so a
reader skips slots that were not written in the current turn of the ring. The size is fixed when
the file is created — ``header + slots × (4 + 4 × columns)`` bytes — so history is bounded by
construction, and a sample rewrites a few bytes in place (no file grows, nothing is rewritten
whole; on the router this is RAM, never flash).

Layout (little endian)::

    b"WMRING1\\n"  u32 header_len  u32 step  u32 slots  u16 ncols  u16 width   column names
    (UTF-8, "\\n"-joined, padded with NUL to header_len)
    slots × ( u32 slot_time, ncols × value )   value: f32 (width 4) or f16 (width 2); NaN = no
                                               reading

Readers and the writer may be different processes: a record is written with one ``pwrite`` of
its whole slot, so a reader sees the old or the new record of a slot.
"""

from __future__ import annotations

import math
import os
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

MAGIC = b"WMRING1\n"
_HEAD = struct.Struct("<8sIIIHH")
NAN = float("nan")


def record_size(ncols: int, width: int = 4) -> int:
    return 4 + width * ncols


def file_size(slots: int, names: Sequence[str], width: int = 4) -> int:
    return _header_len(names) + slots * record_size(len(names), width)


def _struct(ncols: int, width: int) -> struct.Struct:
    return struct.Struct(f"<I{ncols}{'e' if width == 2 else 'f'}")


def _header_len(names: Sequence[str]) -> int:
    raw = len("\n".join(names).encode())
    return (_HEAD.size + raw + 7) // 8 * 8


class Ring:
    """One open ring file (the writer keeps it open; readers use :func:`read`)."""

    def __init__(self, path: str, step: int, slots: int, columns: Sequence[str], *,
                 half: bool = False):
        self.path, self.step, self.slots = path, step, slots
        self.columns = tuple(columns)
        self.width = 2 if half else 4
        self._rec = _struct(len(self.columns), self.width)
        self._hlen = _header_len(self.columns)
        self._fd = self._open()

    def _open(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR)
        except FileNotFoundError:
            return self._create()
        head = read_header(fd)
        if head is not None and head[1:] == (self.step, self.slots, self.columns, self.width):
            return fd
        # another geometry (configuration changed) or other columns: keep what fits
        old = list(_records(fd, head)) if head is not None else []
        os.close(fd)
        self._fd = fd = self._create()
        if head is not None:
            idx = [head[3].index(c) if c in head[3] else None for c in self.columns]
            for t, vals in old:
                self.write(t, [vals[i] if i is not None else NAN for i in idx])
        return fd

    def _create(self) -> int:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        tmp = f"{self.path}.{os.getpid()}.new"
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        names = "\n".join(self.columns).encode()
        head = (_HEAD.pack(MAGIC, self._hlen, self.step, self.slots, len(self.columns),
                           self.width) + names)
        os.write(fd, head.ljust(self._hlen, b"\0"))
        # a sparse file of zero records: slot time 0 never matches a real slot
        os.ftruncate(fd, self._hlen + self.slots * self._rec.size)
        os.replace(tmp, self.path)
        return fd

    def slot_time(self, t: float) -> int:
        return int(t // self.step) * self.step

    def write(self, t: float, values: Sequence[float | None]) -> None:
        st = self.slot_time(t)
        vals = [NAN if v is None else _clamp(float(v), self.width) for v in values]
        off = self._hlen + (st // self.step) % self.slots * self._rec.size
        os.pwrite(self._fd, self._rec.pack(st, *vals), off)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _clamp(v: float, width: int) -> float:
    """Half floats end at ±65504: larger readings are stored as that bound, not as infinity."""
    if width == 2 and v == v and abs(v) > HALF_MAX:
        return HALF_MAX if v > 0 else -HALF_MAX
    return v


HALF_MAX = 65504.0
Header = tuple  # (header_len, step, slots, columns, width)


def read_header(fd: int) -> Header | None:
    """(header_len, step, slots, columns, width) or None when it is not a ring file."""
    raw = os.pread(fd, _HEAD.size, 0)
    if len(raw) < _HEAD.size:
        return None
    magic, hlen, step, slots, ncols, width = _HEAD.unpack(raw)
    if magic != MAGIC or step <= 0 or slots <= 0 or hlen < _HEAD.size or width not in (2, 4):
        return None
    names = os.pread(fd, hlen - _HEAD.size, _HEAD.size).rstrip(b"\0").decode("utf-8", "replace")
    cols = tuple(names.split("\n")) if names else ()
    if len(cols) != ncols:
        return None
    return hlen, step, slots, cols, width


def _records(fd: int, head: Header) -> Iterator[tuple[int, tuple[float, ...]]]:
    hlen, step, slots, cols, width = head
    rec = _struct(len(cols), width)
    data = os.pread(fd, slots * rec.size, hlen)
    for i in range(len(data) // rec.size):
        t, *vals = rec.unpack_from(data, i * rec.size)
        if t and (t // step) % slots == i:
            yield t, tuple(vals)


def read(path: str, since: float = 0, until: float = math.inf
         ) -> tuple[int, tuple[str, ...], list[tuple[int, tuple[float | None, ...]]]] | None:
    """(step, columns, [(t, values)] sorted by t, NaN → None) of the slots in
    [since, until], or None when there is no such ring file."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        head = read_header(fd)
        if head is None:
            return None
        step, cols = head[1], head[3]
        out = [(t, tuple(None if v != v else v for v in vals))
               for t, vals in _records(fd, head) if since <= t <= until]
    finally:
        os.close(fd)
    out.sort(key=lambda r: r[0])
    return step, cols, out
