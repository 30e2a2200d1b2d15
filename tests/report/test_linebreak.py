"""Chinese line breaking (SPEC §7): no line starts with closing or ends with opening punctuation,
none is wider than the terminal, and nothing is lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vibbench.report.linebreak import NO_END, NO_START, cells, wrap

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
WORD = st.text(alphabet=HAN, min_size=1, max_size=8)
LATIN = st.from_regex(r"[A-Z]{2}\.[A-Z]{3}\.[0-9]|[0-9]{1,4}(\.[0-9])?|VIB|[a-z]{2,9}", fullmatch=True)
PUNCT = st.sampled_from(["，", "。", "；", "：", "、", "）", "」", "（", "「", "？"])


@st.composite
def sentences(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(draw(LATIN) + " ")
        else:
            parts.append(draw(WORD))
        if draw(st.booleans()):
            mark = draw(PUNCT)
            parts.append(mark)
    return "".join(parts).strip()


@settings(max_examples=120, deadline=None)
@given(sentences(), st.integers(20, 140))
def test_wrapped_chinese_keeps_the_rules(text: str, width: int) -> None:
    lines = wrap(text, width)
    for n, line in enumerate(lines):
        assert cells(line) <= width, (line, width)
        if n:
            assert line[:1] not in NO_START, (lines, width)
        if n < len(lines) - 1:
            assert line[-1:] not in NO_END, (lines, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_examples() -> None:
    text = "将机构登记为独立的非营利法人，理事会由共建高校、产业界和出资方共同组成，并公开发布治理章程。"
    for width in (20, 24, 30, 40):
        lines = wrap(text, width)
        assert all(not ln.startswith(("，", "。", "、")) for ln in lines[1:])
    assert wrap("Register the institute as a separate non-profit legal person", 20) == [
        "Register the",
        "institute as a",
        "separate non-profit",
        "legal person",
    ]
