"""COINr's ASEM example (tests/data/coinr-asem) as a vibbench rubric and 51 workbooks.

Sub-indices are pillars, COINr's pillars are dimensions, indicators are `number` indicators
with goalposts at the column's minimum and maximum (swapped for direction −1).
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

ASEM = Path(__file__).resolve().parent / "data" / "coinr-asem"
"""Vendored here (with its README and licence note), so the reproduction never skips."""


def read(name: str) -> list[dict[str, str]]:
    with open(ASEM / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build_rubric(folder: Path) -> Path:
    aggregates = {r["code"]: r for r in read("aggregates.csv")}
    indicators = read("indicators.csv")
    pillars: dict[str, dict[str, list[dict[str, object]]]] = {}
    for ind in indicators:
        pillars.setdefault(ind["pillar"], {}).setdefault(ind["dimension"], []).append(ind)  # type: ignore[arg-type]
    doc = {
        "schema_version": 1,
        "id": "asem",
        "version": "coinr-1.1.14",
        "title": {"en": "ASEM Sustainable Connectivity (COINr)", "zh": "亚欧会议可持续互联指数（COINr）"},
        "pillars": [],
    }
    for pid, dims in pillars.items():
        pillar = {
            "id": pid,
            "name": aggregates[pid]["name"],
            "weight": float(aggregates[pid]["weight"]),
            "dimensions": [],
        }
        for did, inds in dims.items():
            dim = {
                "id": f"{pid}.{did}",
                "name": aggregates[did]["name"],
                "weight": float(aggregates[did]["weight"]),
                "indicators": [],
            }
            for ind in inds:
                lo, hi = float(ind["min"]), float(ind["max"])  # type: ignore[arg-type]
                worst, best = (lo, hi) if float(ind["direction"]) > 0 else (hi, lo)  # type: ignore[arg-type]
                dim["indicators"].append(  # type: ignore[attr-defined]
                    {
                        "id": f"{pid}.{did}.{ind['code']}",
                        "name": ind["name"],
                        "type": "number",
                        "weight": float(ind["weight"]),  # type: ignore[arg-type]
                        "unit": ind["unit"] or "-",
                        "direction": "higher" if float(ind["direction"]) > 0 else "lower",  # type: ignore[arg-type]
                        "min": worst,
                        "target": best,
                        "reference": best,
                        "range": {"min": None, "max": None},
                        "source": "COINr ASEM example",
                    }
                )
            pillar["dimensions"].append(dim)  # type: ignore[attr-defined]
        doc["pillars"].append(pillar)  # type: ignore[attr-defined]
    path = folder / "asem.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def indicator_ids() -> dict[str, str]:
    """COINr code → vibbench id."""
    return {r["code"]: f"{r['pillar']}.{r['dimension']}.{r['code']}" for r in read("indicators.csv")}


def build_workbooks(folder: Path) -> list[Path]:
    from openpyxl import Workbook

    ids = indicator_ids()
    paths = []
    for row in read("treated.csv"):
        wb = Workbook(write_only=True)
        inst = wb.create_sheet("Institution")
        inst.append(["name", row["UnitCode"]])
        inst.append(["country", row["UnitName"]])
        inst.append(["year", 2018])
        resp = wb.create_sheet("Responses")
        resp.append(["id", "answer"])
        for code, ident in ids.items():
            resp.append([ident, float(row[code])])
        path = folder / f"{row['UnitCode']}.xlsx"
        wb.save(path)
        paths.append(path)
    return paths
