"""Shared test set-up: an isolated rubric cache, and paths to fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_RUBRIC = FIXTURES / "rubrics" / "mini.yaml"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    import os

    os.environ["VIBBENCH_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("VIBBENCH_DEBUG", None)
    # Output in English unless a test asks otherwise, whatever the developer's locale
    # (--lang defaults to VIBBENCH_LANG, else the locale: tests/test_lang_default.py).
    os.environ["VIBBENCH_LANG"] = "en"


@pytest.fixture
def mini_rubric():  # type: ignore[no-untyped-def]
    from vibbench.rubric.loader import load_rubric

    return load_rubric(MINI_RUBRIC)
