"""SPEC §5: the JSON output. Scripts depend on it: keys and meanings are a contract."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from vibbench.scoring.export import SCHEMA_VERSION, plan, to_dict

__all__ = ["SCHEMA_VERSION", "compact", "dumps", "dumps_many", "join_many", "plan", "render", "to_dict"]
from vibbench.scoring.result import Result

# orjson rather than the standard library's json: 4× faster on these documents (compare
# --format json of 1,000 workbooks spent a fifth of its time encoding), UTF-8 text as is,
# and the same layout as json.dumps(indent=2). Numbers read back identically; only the
# spelling of exponents differs (1e-5, not 1e-05). Answers are finite by the time they
# are scored (the reader refuses inf and NaN), so no NaN reaches the encoder.


def dumps(obj: Any) -> str:
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode() + "\n"


def compact(obj: Any) -> bytes:
    """One line of UTF-8 JSON. Bytes, not text: batch workers send these, and 1,000
    institutions' 14 MB are then neither decoded nor encoded again on their way out."""
    return orjson.dumps(obj)


def dumps_many(obj: dict[str, Any], key: str = "institutions") -> bytes:
    """Many institutions: the same JSON, one institution per line.

    Indented output of thousands of institutions is tens of megabytes; one compact line per
    institution keeps it fast, greppable and still valid JSON for ``jq``.
    """
    head = {k: v for k, v in obj.items() if k != key}
    return join_many(head, [(compact(item),) for item in obj[key]], key)


def join_many(
    head: dict[str, Any], items: Iterable[Sequence[bytes | memoryview]], key: str = "institutions"
) -> bytes:
    """``head`` plus ``key`` holding the already-encoded ``items``, one per line, each given as
    the pieces that make it up: everything is copied once, into the result."""
    pieces: list[bytes | memoryview] = [compact(head)[:-1], f',"{key}":[\n'.encode()]
    for n, item in enumerate(items):
        if n:
            pieces.append(b",\n")
        pieces.extend(item)
    pieces.append(b"]}\n")
    return b"".join(pieces)


def render(result: Result, lang: str = "en", top: int = 10) -> str:
    """``score --format json``: the institution's object with its projection and roadmap."""
    return dumps(to_dict(result, lang) | plan(result, lang))
