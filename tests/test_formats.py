"""One Format enum, one registry (issue 11 §1): every format a command offers has a renderer."""

from __future__ import annotations

import pytest

from vibbench.errors import UsageError
from vibbench.formats import OFFERED, RENDERERS, Format, check, renderer


@pytest.mark.parametrize(("command", "fmt"), [(c, f) for c, fs in OFFERED.items() for f in fs])
def test_every_offered_format_has_a_renderer(command: str, fmt: Format) -> None:
    assert (command, fmt) in RENDERERS
    assert callable(renderer(command, fmt))


def test_every_member_is_offered_somewhere_and_nothing_else_is_registered() -> None:
    assert {f for fs in OFFERED.values() for f in fs} == set(Format)
    assert set(RENDERERS) == {(c, f) for c, fs in OFFERED.items() for f in fs}


def test_a_format_a_command_does_not_write_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        check("score", Format.docx)
    assert "table, json, csv, markdown, xlsx" in info.value.problems[0].fix.get("en")
