"""Load test: 200 simulated regulators browsing and filtering for 5 minutes against gunicorn with 2 workers on
the region-scale data set, on loopback, with locust (bench/load.py); errors, p95, worker memory and PostgreSQL
connections sampled during the run, written into bench/RESULTS.md with the machine and date.

Run: .venv/bin/python bench/load_run.py [--database URL | --scale 0.1] [--users 200] [--run-time 5m]
     [--spawn-rate 5] [--no-record] [--tiny]
Without --database the data set is built first (bench/generate.py's build, kept). --tiny: the 1/1000 set, 10
users for 15 s, nothing recorded, the database dropped. The bare baseline beside the run is a static file
fetched through the same gunicorn while idle, and the ratio of the load p95 to it. Goal (issue of region scale):
no error, p95 ≤ 1 s, memory and database connections flat.
"""
import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import served  # noqa: E402
from scratch_db import drop_database, new_database, ratio, web_config  # noqa: E402
from screens import facts, percentile  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"


def plan(app, accounts: int) -> dict:
    """One bench reviewer per simulated regulator (parallel sign-ins to one account are refused by design): one
    in ten for the whole region, two in ten for a prefecture, the rest for one of the ten busiest counties; each
    with a project and the panes of objects inside its jurisdiction."""
    from wagewatch.extensions import db
    from sqlalchemy import text

    with app.app_context():
        counties = list(db.session.scalars(text(
            "SELECT p.region_code FROM projects p JOIN regions r ON r.code = p.region_code WHERE r.level = 3 "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 10")))
        # 自治区直辖县级行政区划 (6590xx) is a grouping without a bureau of its own: its cities answer to the region.
        bureaus = set(db.session.scalars(text("SELECT region_code FROM orgs WHERE kind = 'hr'")))
    objects = {county: facts(app, county) for county in counties}
    users, wanted = [], {}
    for n in range(accounts):
        county = counties[n % len(counties)]
        prefecture = county[:4] + "00" if county[:4] + "00" in bureaus else "650000"
        region = "650000" if n % 10 == 0 else prefecture if n % 10 < 3 else county
        username = f"bench_load_{n:03d}"
        wanted[username] = region
        users.append({"username": username, "region": region, **visible(objects[county], county)})
    served.ensure_users(app, wanted)
    return {"password": served.PASSWORD, "users": users}


def visible(f: dict, county: str) -> dict:
    panes = [(name, path) for name, path, ok in (
        ("打卡记录 pane", f"/attendance/daily/{f['day']}/punches", f["day"]),
        ("投诉 detail pane", f"/complaints/{f['complaint']}/pane", f["complaint"]),
        ("工资表明细 pane", f"/wages/progress/sheets/{f['payroll']}/lines", f["payroll"]),
        ("状态 dialog", f"/projects/{f['approved']}/status", f["approved"]),
        ("工程树 children", f"/selector/projects.site/children?region={county}", True)) if ok]
    return {"project": f["project"], "panes": panes}


class Sampler(threading.Thread):
    """Every few seconds: the workers' RSS and the database's open connections."""

    def __init__(self, master_pid: int, url: str, every: float):
        super().__init__(daemon=True)
        self.master_pid, self.url, self.every = master_pid, url, every
        self.samples, self.stopping = [], threading.Event()

    def run(self):
        started = time.monotonic()
        while not self.stopping.is_set():
            rss = served.workers_rss_mb(self.master_pid)
            self.samples.append((time.monotonic() - started, rss, served.connection_count(self.url)))
            self.stopping.wait(self.every)


def run_locust(base: str, plan_file: Path, users: int, spawn_rate: float, run_time: str, prefix: Path) -> None:
    env = {**os.environ, "WAGEWATCH_LOAD_PLAN": str(plan_file), "WAGEWATCH_LOAD_TIMES": f"{prefix}_times.json"}
    command = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "load.py"), "--headless",
               "--host", base, "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", run_time,
               "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if not (prefix.parent / f"{prefix.name}_stats.csv").exists():
        raise RuntimeError("locust wrote no statistics: " + result.stdout[-2000:] + result.stderr[-3000:])


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    return list(csv.DictReader(open(path, encoding="utf-8"))) if path.exists() else []


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    memory = next(int(line.split()[1]) // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({model}), {memory:,} MB RAM, {platform.system()} {platform.release()}"


def split(prefix: Path) -> tuple[list, list, list]:
    """(browsing, browsing once every regulator has signed in, signing in) request timings: the sign-in runs
    argon2 at its production cost on purpose, and while the regulators arrive it shares the two workers."""
    timings = json.loads(Path(f"{prefix}_times.json").read_text(encoding="utf-8"))
    signing_in = [t for t in timings if t[0].startswith("登录")]
    browsing = [t for t in timings if not t[0].startswith("登录")]
    settled = max((t[3] for t in signing_in), default=0) if signing_in else 0
    return browsing, [t for t in browsing if t[3] > settled], signing_in


def figures(timings: list) -> str:
    ms = [t[1] for t in timings] or [0.0]
    return (f"{len(timings):,} requests, {sum(t[2] for t in timings)} failed, p50 {percentile(ms, 50):.0f} ms, "
            f"p95 {percentile(ms, 95):.0f} ms, p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms")


def summary(prefix, rows, samples, bare_ms, args, scale_note, load_before) -> tuple[list[str], bool]:
    total = next(row for row in rows if row["Name"] == "Aggregated")
    browsing, settled, signing_in = split(prefix)
    p95 = percentile([t[1] for t in browsing] or [0.0], 95)
    errors = int(total["Failure Count"])
    met = errors == 0 and p95 <= 1000
    per_worker = [max(rss) for _, rss, _ in samples if rss] or [0.0]
    third = max(1, len(per_worker) // 3)
    connections = [c for *_, c in samples]
    lines = [
        f"### Load run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — {args.users} users, {args.run_time}",
        "",
        f"Machine: {machine()}; load average before the run {load_before:.1f} (the machine is shared), "
        f"after {os.getloadavg()[0]:.1f}. Data set: {scale_note}. gunicorn 2 threaded workers (scripts/gunicorn.conf.py), "
        f"PostgreSQL 127.0.0.1, locust on the same machine, one account per simulated regulator, 5–20 s think "
        f"time, spawn {args.spawn_rate:g}/s.",
        "",
        f"- browsing (every screen, filter, page, pane): {figures(browsing)}; "
        f"{float(total['Requests/s']):.1f} requests/s overall",
        f"- browsing after the last sign-in answered: {figures(settled)}",
        f"- signing in (argon2 at its production cost, while the others browse): {figures(signing_in)}",
        f"- bare static file through the same gunicorn, idle (baseline) {bare_ms:.1f} ms; ratio browsing p95 / "
        f"bare {ratio(p95, bare_ms)}",
        f"- largest worker RSS: first third of the run {statistics.mean(per_worker[:third]):.0f} MB, last third "
        f"{statistics.mean(per_worker[-third:]):.0f} MB, peak {max(per_worker):.0f} MB ({len(samples)} samples)",
        f"- PostgreSQL connections to the database: min {min(connections, default=0)}, max "
        f"{max(connections, default=0)}, last {connections[-1] if connections else 0}",
        f"- goal (no error, p95 ≤ 1000 ms while browsing): {'met' if met else 'NOT met'}; errors {errors}",
        "",
        "| screen | requests | failures | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row["Name"] != "Aggregated":
            lines.append(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | "
                         f"{row['95%']} | {row['99%']} |")
    return lines, met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--run-time", default="5m")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--no-record", action="store_true", help="print, do not write bench/RESULTS.md")
    parser.add_argument("--tiny", action="store_true", help="1/1000 set, 10 users, 15 s, nothing recorded")
    args = parser.parse_args()
    scale = 0.001 if args.tiny else args.scale
    if args.tiny:
        args.users, args.run_time, args.spawn_rate, args.no_record = 10, "15s", 10, True
    url = args.database or new_database()
    try:
        from wagewatch import create_app

        if not args.database:
            import generate

            print(f"building the data set, scale {scale:g}, into {url}", flush=True)
            generate.build(url, scale, 20261129)
        app = create_app(web_config(url))
        with app.app_context():
            from wagewatch.extensions import db
            from sqlalchemy import text

            counts = db.session.execute(text(
                "SELECT (SELECT count(*) FROM projects), (SELECT count(*) FROM workers), "
                "(SELECT count(*) FROM attendance_days), (SELECT count(*) FROM complaints)")).one()
        scale_note = (f"{counts[0]:,} projects, {counts[1]:,} workers, {counts[2]:,} daily attendance rows, "
                      f"{counts[3]:,} complaints (bench/generate.py)")
        work = Path(tempfile.mkdtemp(prefix="wagewatch_load_"))
        (work / "plan.json").write_text(json.dumps(plan(app, args.users), ensure_ascii=False), encoding="utf-8")
        load_before = os.getloadavg()[0]
        with served.gunicorn(url) as (base, master):
            times = []
            for _ in range(11):
                began = time.perf_counter()
                served.requests.get(f"{base}/static/{next((ROOT / 'static').rglob('*.css')).relative_to(ROOT / 'static')}")
                times.append((time.perf_counter() - began) * 1000)
            bare = statistics.median(times[1:])
            print(f"bare static file through gunicorn (baseline) {bare:.1f} ms", flush=True)
            sampler = Sampler(master, url, every=2 if args.tiny else 10)
            sampler.start()
            print(f"locust: {args.users} users, {args.run_time}, spawn {args.spawn_rate}/s", flush=True)
            run_locust(base, work / "plan.json", args.users, args.spawn_rate, args.run_time, work / "load")
            sampler.stopping.set()
            sampler.join()
        rows = read_stats(work / "load")
        lines, met = summary(work / "load", rows, sampler.samples, bare, args, scale_note, load_before)
        print("\n".join(lines))
        for failure in failures(work / "load")[:20]:
            print(f"failure: {failure.get('Name')} {failure.get('Error')} × {failure.get('Occurrences')}")
        if not args.no_record:
            with open(RESULTS, "a", encoding="utf-8") as handle:
                handle.write("\n" + "\n".join(lines) + "\n")
            print(f"recorded in {RESULTS.relative_to(ROOT)}")
        return 0 if args.tiny or met else 1
    finally:
        if args.tiny and not args.database:
            drop_database(url)
        elif not args.database:
            print(f"kept: DATABASE_URL={url}")


if __name__ == "__main__":
    sys.exit(main())
