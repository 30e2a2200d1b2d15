"""SPEC §1 (v2): without --lang, VIBBENCH_LANG, else a zh* locale, else English — usage errors too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vibbench.usage import env_lang

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"VIBBENCH_LANG": "zh"}, "zh"),
        ({"VIBBENCH_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # the first one set decides
        ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_GB.UTF-8"}, "zh"),
        ({"VIBBENCH_LANG": "fr", "LANG": "zh_CN"}, "zh"),  # an unknown VIBBENCH_LANG is ignored
    ],
)
def test_env_lang(env: dict[str, str], lang: str) -> None:
    assert env_lang(env) == lang


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v for k, v in os.environ.items() if k not in ("VIBBENCH_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    return subprocess.run(
        [sys.executable, "-m", "vibbench", *args],
        capture_output=True,
        text=True,
        env={**base, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        check=False,
    )


def test_output_and_usage_errors_follow_the_locale() -> None:
    out = run(["score", "samples/vib-reference.xlsx"], LANG="zh_CN.UTF-8")
    assert out.returncode == 0 and "总分" in out.stdout
    bad = run(["score", "--format", "xml", "samples/vib-reference.xlsx"], LANG="zh_CN.UTF-8")
    assert bad.returncode == 2 and "可选值" in bad.stderr
    en = run(["score", "samples/vib-reference.xlsx"], LANG="zh_CN.UTF-8", VIBBENCH_LANG="en")
    assert "Overall" in en.stdout
