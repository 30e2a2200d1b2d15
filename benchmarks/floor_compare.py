"""Floor for ``vibbench compare``: one process reads every workbook with python-calamine and scores it.

Same arithmetic as ``floor_score.py``, then competition ranks (ties share the better rank)
and one JSON document on standard output.

    python benchmarks/floor_compare.py RUBRIC.yaml FOLDER
"""

from __future__ import annotations

import json
import os
import sys

from floor_score import load_rubric, score_workbook


def main() -> None:
    rubric = load_rubric(sys.argv[1])
    folder = sys.argv[2]
    names = sorted(n for n in os.listdir(folder) if n.endswith(".xlsx"))
    rows = [score_workbook(os.path.join(folder, n), rubric) for n in names]
    scores = sorted((r["overall"] for r in rows if r["overall"] is not None), reverse=True)
    first = {}
    for pos, s in enumerate(scores, start=1):
        first.setdefault(s, pos)
    for r in rows:
        r["rank"] = first.get(r["overall"])
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["path"]))
    sys.stdout.write(json.dumps({"institutions": rows}) + "\n")


if __name__ == "__main__":
    main()
