"""The aggregation bench runs end to end at its tiny size and prints job time, bare time and their ratio."""
import re
import sys
from pathlib import Path

from tests.conftest import _pg_reachable, unavailable

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_aggregation_bench_prints_job_bare_and_ratio(capsys, monkeypatch):
    if not _pg_reachable():
        unavailable("PostgreSQL is not reachable at 127.0.0.1:5432")
    monkeypatch.syspath_prepend(str(BENCH))
    import aggregation as bench

    ratio = bench.main(["--tiny"])
    out = capsys.readouterr().out
    assert re.search(r"bare INSERT … SELECT … GROUP BY :\s+\d+ rows in\s+[\d.]+ s", out)
    assert re.search(r"job aggregate_attendance\(\)\s+:\s+2000 rows in\s+[\d.]+ s", out)
    assert re.search(r"ratio job / bare\s+:\s+[\d.]+×", out) and ratio > 0
    sys.modules.pop("aggregation", None)
