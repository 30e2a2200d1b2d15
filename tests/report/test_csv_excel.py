"""CSV as Excel reads it (SPEC §7): UTF-8 with a byte-order mark, JSON key names as headers, the
institution's name and year on every row of ``score``, numbers unrounded."""

from __future__ import annotations

import csv
import io

from tests.conftest import ROOT
from vibbench.report import csv_format
from vibbench.scoring.engine import score_file


def test_score_csv_for_excel() -> None:
    result = score_file(ROOT / "samples" / "shanghai-biomed-2025.xlsx", "vib")
    text = csv_format.render(result, "zh")
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only after a BOM
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == csv_format.HEADER
    assert {r["institution"] for r in rows} == {result.assessment.name}
    assert {r["year"] for r in rows} == {str(result.assessment.year)}
    scored = [r for r in rows if r["score"]]
    assert any(len(r["score"].split(".")[-1]) > 1 for r in scored)  # unrounded
    # what Excel on Chinese Windows sees: the BOM makes it decode as UTF-8, not GBK
    assert result.assessment.name in data.decode("utf-8-sig")
