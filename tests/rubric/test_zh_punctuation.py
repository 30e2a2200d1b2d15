"""SPEC §3: a zh text that uses ASCII punctuation where Chinese needs full-width is flagged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vibbench.rubric.v2checks import FULL_WIDTH, ascii_punctuation


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("科研人员(含博士后)", ["(", ")"]),
        ("是否设立理事会?", ["?"]),
        ("注:以年报为准;不含外包", [":", ";"]),
        ("高校,科研院所", [","]),
        ("高校, 科研院所", [","]),  # a space does not hide it
        ("共 1,700 名科研人员", []),  # digits keep their separator
        ("VIB (Flanders)", []),  # no Chinese beside it
        ("时间 10:30", []),
        ("科研人员（含博士后），是否？", []),
    ],
)
def test_ascii_punctuation(text: str, found: list[str]) -> None:
    assert ascii_punctuation(text) == found


cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=5)


@given(st.lists(st.tuples(cjk, st.sampled_from(sorted(FULL_WIDTH))), min_size=1, max_size=6))
def test_full_width_versions_pass_and_ascii_ones_fail(parts: list[tuple[str, str]]) -> None:
    ascii_text = "".join(word + mark for word, mark in parts)
    full = "".join(word + FULL_WIDTH[mark] for word, mark in parts)
    assert ascii_punctuation(ascii_text) == [mark for _, mark in parts]
    assert ascii_punctuation(full) == []
