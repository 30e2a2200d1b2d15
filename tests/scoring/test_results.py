"""The hand-written ``__init__`` of the hottest frozen results (written out for speed) takes
exactly the dataclass's fields, in order, with the same defaults, and the objects stay frozen."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from vibbench.scoring.result import IndicatorResult, NodeResult
from vibbench.workbook.model import Answer


@pytest.mark.parametrize("cls", [IndicatorResult, NodeResult, Answer])
def test_init_matches_the_fields(cls: type) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        want = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert p.default == want, p.name


def test_still_frozen_equal_and_replaceable() -> None:
    a = Answer("A.X.1", 3.0, "Responses!F2")
    assert a == Answer("A.X.1", 3.0, "Responses!F2") and hash(a) == hash(Answer("A.X.1", 3.0, "Responses!F2"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.value = 4.0  # type: ignore[misc]
    assert dataclasses.replace(a, value=4.0).value == 4.0
