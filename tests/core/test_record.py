"""wifimgr.core.record: the data classes every module uses instead of dataclasses."""

from __future__ import annotations

from typing import ClassVar

import pytest

from wifimgr.core import record as record_mod
from wifimgr.core.record import FrozenInstanceError, field, fields, record, replace


class Point:   # defined afresh for each test by the fixture below
    pass


class Key:
    pass


@pytest.fixture(autouse=True, params=["generic", "compiled"])
def classes(request, monkeypatch):
    """Every test runs against both __init__ paths: the generic one records start with and the
    compiled one they switch to after COMPILE_AFTER instances."""
    global Point, Key
    monkeypatch.setattr(record_mod, "COMPILE_AFTER", 10**9 if request.param == "generic" else 1)

    @record
    class Point:
        x: int
        y: int = 0
        tags: list[str] = field(default_factory=list)
        kind: ClassVar[str] = "point"

    @record(frozen=True)
    class Key:
        band: str
        channel: int = 36

    return request.param


def test_init_positional_keyword_and_defaults():
    p = Point(1, 2, ["a"])
    assert (p.x, p.y, p.tags) == (1, 2, ["a"])
    q = Point(y=5, x=3)
    assert (q.x, q.y, q.tags) == (3, 5, [])
    assert Point.kind == "point" and "kind" not in [f.name for f in fields(Point)]


def test_default_factory_is_called_per_instance():
    a, b = Point(1), Point(1)
    a.tags.append("x")
    assert b.tags == []
    assert not hasattr(Point, "tags")       # a factory leaves no shared class attribute


def test_wrong_arguments_raise_type_error():
    Point(0)   # the compiled variant switches here
    with pytest.raises(TypeError, match="missing"):
        Point()
    with pytest.raises(TypeError, match="positional"):
        Point(1, 2, [], 4)
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(1, z=3)
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        Point(1, x=1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(x=1, y=2, z=3)            # every field given by keyword, plus one more
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(x=1, y=2, tags=[], z=3)


def test_repr_and_eq():
    assert repr(Point(1, tags=["t"])) == "Point(x=1, y=0, tags=['t'])"
    assert Point(1) == Point(1) and Point(1) != Point(2)
    assert Point(1) != Key("5g", 1)
    assert Point.__hash__ is None           # mutable records are unhashable, as dataclasses


def test_frozen_records_refuse_assignment_and_hash_by_value():
    k = Key("6g", 37)
    with pytest.raises(FrozenInstanceError):
        k.channel = 5
    with pytest.raises(FrozenInstanceError):
        del k.band
    assert hash(k) == hash(Key("6g", 37))
    assert {k, Key("6g", 37), Key("5g")} == {Key("6g", 37), Key("5g", 36)}


def test_fields_replace_and_match_args():
    assert [f.name for f in fields(Point)] == ["x", "y", "tags"]
    assert [f.required for f in fields(Point(1))] == [True, False, False]
    assert fields(Key)[1].default == 36
    k = replace(Key("6g"), channel=5)
    assert k == Key("6g", 5)
    with pytest.raises(TypeError, match="no field 'nope'"):
        replace(k, nope=1)
    with pytest.raises(TypeError, match="not a record"):
        fields(object())
    match Key("5g", 100):
        case Key(band, ch):
            assert (band, ch) == ("5g", 100)


def test_own_methods_are_kept():
    @record
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Named("a")) == "<a>"


def test_declaration_errors_are_caught_at_definition():
    with pytest.raises(ValueError, match="default_factory"):
        @record
        class Shared:
            items: list = []   # noqa: RUF012 — the point of the test

    with pytest.raises(TypeError, match="without a default"):
        @record
        class Order:
            a: int = 1
            b: int

    with pytest.raises(ValueError):
        field(default=1, default_factory=list)


def test_init_is_compiled_only_for_classes_made_often(monkeypatch):
    monkeypatch.setattr(record_mod, "COMPILE_AFTER", 3)

    @record
    class Lazy:
        a: int
        b: list = field(default_factory=list)

    generic = Lazy.__init__
    made = [Lazy(1), Lazy(2)]
    assert Lazy.__init__ is generic
    made.append(Lazy(3))
    assert Lazy.__init__ is not generic
    assert Lazy.__init__.__qualname__.endswith("Lazy.__init__")
    made.append(Lazy(a=4))
    assert [m.a for m in made] == [1, 2, 3, 4] and made[0].b is not made[3].b


def test_inherited_fields_come_first():
    @record
    class Base:
        a: int

    @record
    class Child(Base):
        b: int = 2

    assert Child(1) == Child(1, 2) and [f.name for f in fields(Child)] == ["a", "b"]
