"""Every bench/ script runs to completion at a tiny size on PostgreSQL, so a bench cannot rot unseen; each one
prints its bare baseline and the ratio to it in the same run."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_ADMIN_URL, _pg_reachable, unavailable

pytestmark = pytest.mark.pg
BENCH = Path(__file__).resolve().parent.parent / "bench"
# script → words its output must contain: the baseline and the ratio to it
EXPECTED = {
    "aggregation.py": ("bare GROUP BY (baseline)", "ratio to bare"),
    "complaints_bench.py": ("bare SQL", "request/bare", "150 ms"),
    "attendance_daily.py": ("bare SQL", "request/bare", "150 ms"),
    "county_link.py": ("256 kbit/s", "/auth/login (baseline)", "ratio LCP/baseline", "filter round trip",
                       "dialog round trip"),
    "api_punches.py": ("bare INSERT (baseline)", "ratio API time / bare time"),
    "export_100k.py": ("bare xlsxwriter", "ratio build_export / bare write", "status done"),
    "projects_bench.py": ("bare SQL", "request/bare", "150 ms"),
    "sqlmap_login.py": ("no injection found in any form",),
    "admin_bench.py": ("bare SQL", "request/bare", "150 ms"),
    "generate.py": ("bare INSERT … SELECT", "ratio generator / bare", "complaint events",
                    "punch partitions"),
    "lighthouse.py": ("/auth/login (baseline)", "ratio performance/baseline", "accessibility", "best-practices"),
    "load_run.py": ("bare static file through the same gunicorn", "ratio browsing p95 / bare", "PostgreSQL connections"),
    "screens.py": ("bare static file through gunicorn (baseline)", "ratio = request p50 / bare", "p95 ≤ 150 ms"),
    "realname_bench.py": ("bare SQL", "request/bare", "target"),
    "wages_bench.py": ("bare SQL", "request/bare", "150 ms", "refresh job"),
}


def test_every_bench_script_is_covered():
    helpers = {"scratch_db.py", "region_data.py", "region_sql.py", "bulk_load.py", "demo_site.py", "served.py",
               "load.py"}
    scripts = {path.name for path in BENCH.glob("*.py")} - helpers
    assert scripts == set(EXPECTED), "a new bench script needs a --tiny run here"


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_bench_runs_at_tiny_size(script):
    if not _pg_reachable():
        unavailable("PostgreSQL is not reachable at 127.0.0.1:5432")
    env = {**os.environ, "WAGEWATCH_BENCH_PG": PG_ADMIN_URL}
    result = subprocess.run([sys.executable, str(BENCH / script), "--tiny"], check=False, capture_output=True,
                            text=True, timeout=300, env=env, cwd=BENCH.parent)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    for words in EXPECTED[script]:
        assert words in result.stdout, (words, result.stdout[-2000:])
