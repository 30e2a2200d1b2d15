"""Line breaking for the terminal, in both languages (SPEC §7, v2).

Chinese breaks between any two characters, but a line never starts with closing punctuation
(，。；：）」、…) nor ends with opening punctuation (（「…) — the 避头尾 rule every Chinese typesetter
applies. English breaks at spaces. Widths are terminal cells: a CJK character takes two.
"""

from __future__ import annotations

import unicodedata

NO_START = frozenset("，。、；：？！）」』】〕〉》’”…·％,.;:?!)]}%")
"""Closing punctuation: never at the start of a line."""
NO_END = frozenset("（「『【〔〈《‘“([{")
"""Opening punctuation: never at the end of a line."""


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _tokens(text: str) -> list[str]:
    """Units that stay together: a run of non-space narrow characters (a word, a number, an id) with
    the space after it, or a single wide character."""
    out: list[str] = []
    word = ""
    for ch in text:
        if _wide(ch):
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            word += ch
            out.append(word)
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells (a token wider than the line is cut), with no
    line starting with closing or ending with opening punctuation where the text allows it."""
    width = max(4, width)
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if cells(line + token.rstrip()) <= width:
            line += token
            continue
        if not line.strip():
            # a token longer than the whole line: cut it
            while cells(token) > width:
                cut = 0
                while cells(token[: cut + 1]) <= width:
                    cut += 1
                lines.append(token[:cut])
                token = token[cut:]
            line = token
            continue
        # the token does not fit: break before it, keeping punctuation where it belongs
        head = token.lstrip()[:1]
        while head in NO_START and line.strip():
            # a closing mark may not start a line: carry the line's last character down with it
            stripped = line.rstrip()
            line, token = stripped[:-1], stripped[-1:] + token
            head = token[:1]
        while line and line.rstrip()[-1:] in NO_END:
            stripped = line.rstrip()
            line, token = stripped[:-1], stripped[-1:] + token
        if line.strip():
            lines.append(line.rstrip())
        line = token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def fill(text: str, width: int, indent: str = "") -> str:
    """``text`` wrapped to ``width`` cells less the indent, every line after the first indented by
    ``indent`` (the first line's prefix, a bullet, is the caller's)."""
    lines = wrap(text, width - cells(indent))
    return "\n".join([lines[0], *(indent + ln for ln in lines[1:])])
