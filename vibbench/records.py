"""Frozen dataclasses that are cheap to make.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` — about
1,500 machine instructions a field, so 16,000 for an :class:`~vibbench.scoring.result.IndicatorResult`.
Scoring one workbook makes a few hundred such objects: in a batch of 1,000 workbooks that was
a tenth of all the work. :func:`fast_init` gives a frozen dataclass an ``__init__`` that fills
the instance's dictionary in one step instead. Everything else stays as the dataclass made it:
assigning to a field still raises ``FrozenInstanceError``; equality, hashing, ``repr``,
pickling and ``dataclasses.replace`` are unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def fast_init(cls: C) -> C:
    """Replace the ``__init__`` of frozen dataclass ``cls`` (fields with plain defaults only)."""
    params: list[str] = []
    defaults: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not f.init or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: fast_init takes plain fields only")
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    if hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: fast_init does not run __post_init__ or fill slots")
    names = [f.name for f in dataclasses.fields(cls)]
    source = (
        f"def __init__(self, {', '.join(params)}):\n"
        f"    self.__dict__.update({{{', '.join(f'{n!r}: {n}' for n in names)}}})\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, defaults, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls
