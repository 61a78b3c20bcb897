"""Data classes without the start-up cost of :mod:`dataclasses`.

rpcd runs the plugin as a fresh interpreter for every ubus call, so import time is response
time. ``import dataclasses`` pulls in :mod:`inspect` (ast, dis, tokenize, enum, …) and every
``@dataclass`` compiles three methods when its module is imported; on the development machine
that was ~8 ms for the import plus ~0.3 ms per class, for 40-odd classes most calls never
instantiate.

:func:`record` builds the same plain classes from the annotated fields — ``__init__`` with the
defaults (``field(default_factory=...)`` for mutable ones), ``__repr__``, ``__eq__``,
``__match_args__``; ``frozen=True`` forbids assignment and adds ``__hash__`` — without compiling
anything up front: a class starts with a generic ``__init__`` and gets a compiled one (what
dataclasses generates) once it has made :data:`COMPILE_AFTER` instances, so a call pays for
compiling only where it makes many (stations, links, survey entries). :func:`fields` and
:func:`replace` mirror their :mod:`dataclasses` namesakes. Methods a class defines are kept.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["Field", "FrozenInstanceError", "field", "fields", "record", "replace"]

_FIELDS = "__record_fields__"
#: instances made through the generic ``__init__`` before the class gets a compiled one (most
#: classes are made a handful of times per call: compiling costs more than it saves)
COMPILE_AFTER = 16


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class Field:
    __slots__ = ("default", "default_factory", "name")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.default_factory is MISSING

    def __repr__(self) -> str:
        return (f"Field(name={self.name!r}, default={self.default!r}, "
                f"default_factory={self.default_factory!r})")


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING) -> Any:
    """A field with a default value or a factory called for every new instance."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("a field takes a default or a default_factory, not both")
    return Field(default, default_factory)


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in declaration order."""
    try:
        return getattr(obj, _FIELDS)
    except AttributeError:
        raise TypeError(f"{obj!r} is not a record") from None


def replace(obj: Any, /, **changes: Any) -> Any:
    """A new instance of ``obj``'s class with some fields changed."""
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(obj)(**values)


def _is_classvar(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar"))


def _compile_init(cls: type, fs: tuple[Field, ...], frozen: bool) -> Callable[..., None]:
    env: dict[str, Any] = {"MISSING": MISSING}
    params, body = ["self"], []
    if frozen:
        body.append("  d = self.__dict__")
    for f in fs:
        n = f.name
        if f.default is not MISSING:
            env[f"_d_{n}"] = f.default
            params.append(f"{n}=_d_{n}")
            value = n
        elif f.default_factory is not MISSING:
            env[f"_f_{n}"] = f.default_factory
            params.append(f"{n}=MISSING")
            value = f"_f_{n}() if {n} is MISSING else {n}"
        else:
            params.append(n)
            value = n
        body.append(f"  d[{n!r}] = {value}" if frozen else f"  self.{n} = {value}")
    src = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "  pass") + "\n"
    exec(compile(src, f"<record {cls.__qualname__}>", "exec"), env)  # noqa: S102 — own source
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _bind(cls: type, fs: tuple[Field, ...], args: tuple, kwargs: dict[str, Any]
          ) -> dict[str, Any]:
    """The field values of ``cls(*args, **kwargs)``, checked as a compiled ``__init__`` would."""
    name = cls.__name__
    if len(args) > len(fs):
        raise TypeError(f"{name}() takes {len(fs)} positional arguments but {len(args)} were "
                        "given")
    values = {f.name: v for f, v in zip(fs, args, strict=False)}
    used = 0
    for f in fs[len(args):]:
        if f.name in kwargs:
            values[f.name] = kwargs[f.name]
            used += 1
        elif f.default is not MISSING:
            values[f.name] = f.default
        elif f.default_factory is not MISSING:
            values[f.name] = f.default_factory()
        else:
            raise TypeError(f"{name}() missing required argument: {f.name!r}")
    if used != len(kwargs):             # a keyword that is no field, or one given twice
        positional = {f.name for f in fs[:len(args)]}
        for k in kwargs:
            if k in positional:
                raise TypeError(f"{name}() got multiple values for argument {k!r}")
            if k not in values:
                raise TypeError(f"{name}() got an unexpected keyword argument {k!r}")
    return values


def _repr(self: Any) -> str:
    inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in getattr(self, _FIELDS))
    return f"{type(self).__qualname__}({inner})"


def _astuple(self: Any) -> tuple:
    return tuple(getattr(self, f.name) for f in getattr(self, _FIELDS))


def _eq(self: Any, other: Any) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _astuple(self) == _astuple(other)


def _hash(self: Any) -> int:
    return hash(_astuple(self))


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r} of a frozen "
                              f"{type(self).__name__}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")


def _process(cls: type, frozen: bool) -> type:
    own: list[Field] = []
    # a class's own annotations (3.10+); inspect.get_annotations would import inspect
    for name, annotation in cls.__annotations__.items():
        if _is_classvar(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field):
            f = value
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        else:
            if isinstance(value, list | dict | set):
                raise ValueError(f"{cls.__name__}.{name}: a mutable default is shared by every "
                                 "instance; use field(default_factory=...)")
            f = Field(value)
        f.name = name
        own.append(f)
    inherited = [f for base in reversed(cls.__mro__[1:]) for f in base.__dict__.get(_FIELDS, ())]
    names = {f.name for f in own}
    fs = tuple([f for f in inherited if f.name not in names] + own)
    seen_default = ""
    for f in fs:
        if not f.required:
            seen_default = f.name
        elif seen_default:
            raise TypeError(f"{cls.__name__}: field {f.name!r} without a default follows "
                            f"{seen_default!r}, which has one")
    setattr(cls, _FIELDS, fs)
    cls.__match_args__ = tuple(f.name for f in fs)  # type: ignore[attr-defined]

    if "__init__" not in cls.__dict__:
        made = 0

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            nonlocal made
            made += 1
            if made == COMPILE_AFTER:   # made often: compile the fast one
                cls.__init__ = _compile_init(cls, fs, frozen)  # type: ignore[misc]
            self.__dict__.update(_bind(cls, fs, args, kwargs))

        cls.__init__ = __init__  # type: ignore[misc]
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = _repr  # type: ignore[assignment]
    if "__eq__" not in cls.__dict__:
        cls.__eq__ = _eq  # type: ignore[assignment]
        if frozen:
            cls.__hash__ = _hash  # type: ignore[assignment]
        elif "__hash__" not in cls.__dict__:
            cls.__hash__ = None  # type: ignore[assignment]
    if frozen:
        cls.__setattr__ = _frozen_setattr  # type: ignore[assignment]
        cls.__delattr__ = _frozen_delattr  # type: ignore[assignment]
    return cls


def record(cls: type | None = None, /, *, frozen: bool = False) -> Any:
    """Class decorator: ``@record`` or ``@record(frozen=True)``."""
    if cls is None:
        return lambda c: _process(c, frozen)
    return _process(cls, frozen)
