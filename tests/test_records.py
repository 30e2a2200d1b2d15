"""vibbench.records.fast_init: a cheaper __init__ that changes nothing else about a frozen dataclass."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from vibbench.records import fast_init


@dataclasses.dataclass(frozen=True)
class Plain:
    a: int
    b: str = "b"
    c: tuple[int, ...] = ()


@fast_init
@dataclasses.dataclass(frozen=True)
class Fast:
    a: int
    b: str = "b"
    c: tuple[int, ...] = ()


@pytest.mark.parametrize(
    ("args", "kwargs"), [((1,), {}), ((1, "x"), {}), ((1,), {"c": (2, 3)}), ((), {"a": 4, "b": "y"})]
)
def test_same_object_as_the_dataclass_makes(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    fast, plain = Fast(*args, **kwargs), Plain(*args, **kwargs)  # type: ignore[arg-type]
    assert dataclasses.astuple(fast) == dataclasses.astuple(plain)
    assert repr(fast) == repr(plain).replace("Plain", "Fast")
    assert fast == Fast(*args, **kwargs) and hash(fast) == hash(Fast(*args, **kwargs))  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(fast)) == fast
    assert dataclasses.replace(fast, b="z").b == "z" and fast.b != "z"


def test_still_frozen_and_still_strict() -> None:
    fast = Fast(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.a = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Fast()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast(1, d=2)  # type: ignore[call-arg]


def test_refuses_what_it_cannot_reproduce() -> None:
    with pytest.raises(TypeError, match="plain fields"):

        @fast_init
        @dataclasses.dataclass(frozen=True)
        class WithFactory:
            a: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="__post_init__"):

        @fast_init
        @dataclasses.dataclass(frozen=True)
        class WithPostInit:
            a: int

            def __post_init__(self) -> None:
                pass


def test_the_results_use_it() -> None:
    """The objects a workbook's scoring makes by the hundred."""
    from vibbench.scoring.result import IndicatorResult, NodeResult, Result
    from vibbench.workbook.model import Answer, Assessment

    for cls in (IndicatorResult, NodeResult, Result, Answer, Assessment):
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
        assert "__dict__" in cls.__init__.__code__.co_names
