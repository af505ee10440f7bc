"""Intake speed: post 200,000 punches in batches of 1,000 to gunicorn on PostgreSQL; print punches/s and peak RSS.

Run:  .venv/bin/python bench/api_punches.py [--total 200000] [--batch 1000] [--threads 4] [--workers 2] [--tiny]
      .venv/bin/python bench/api_punches.py --url http://host:8000 --token ww_…   (an already running server)
Without --url it creates a throwaway PostgreSQL database, starts gunicorn on it and drops both afterwards, and
times the bare baseline beside it: the same number of punches inserted by plain multi-row INSERT statements
(batches of the same size, one connection, no HTTP, no checks), with the ratio. --tiny posts 200 punches (the
test suite's smoke test).

Measured on the 2-core development machine (2026-11-27, gunicorn 2 sync workers, 4 client threads, the
client on the same machine):
  idle machine (load average < 1): 200,000 punches in 13.8 s → 14,491 punches/s; server peak RSS 250 MB,
  flat from the first 50,000 punches to the last (250 MB at every quarter).
  under a load average of ≈12 from other work: 3,325 punches/s, 238 MB.
"""
import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch_db import drop_database, new_database, ratio  # noqa: E402


def post(url: str, token: str, body) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Encoding": "identity"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def server_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [master] + [int(p) for p in children.read_text().split()] if children.exists() else [master]


class Sampler(threading.Thread):
    def __init__(self, master: int | None):
        super().__init__(daemon=True)
        self.master, self.peak, self.running = master, 0, True

    def run(self):
        while self.running and self.master:
            self.peak = max(self.peak, rss_kb(server_pids(self.master)))
            time.sleep(0.2)


def start_server(workers: int, port: int):
    db_url = new_database()
    env = {**os.environ, "DATABASE_URL": db_url, "WAGEWATCH_API_RATE_LIMIT": "100000 per minute",
           "REDIS_URL": "", "RATELIMIT_STORAGE_URI": "memory://"}
    from wagewatch import create_app
    from wagewatch.api.auth import issue_client
    from wagewatch.extensions import db
    from wagewatch.reference import load_all

    os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL",)})
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        db.create_all()
        load_all()
        _client, token = issue_client("bench", ["projects", "workers", "attendance"])
        db.session.commit()
        db.engine.dispose()
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
                               "--timeout", "120", "wsgi:app"], cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server, token, db_url


def seed(base: str, token: str, workers: int) -> tuple[str, list[str]]:
    from wagewatch.identity import make_id_number, make_uscc

    rng = random.Random(7)
    code = f"BENCH{rng.randrange(10**8)}"
    post(f"{base}/api/v1/projects", token, {
        "code": code, "name": "压测工程", "region_code": "652927", "industry": "housing", "funding": "private",
        "contract_amount": "1000000.00", "owner": {"name": "压测建设单位", "uscc": make_uscc(rng, "652927")},
        "contractor": {"name": "压测施工单位", "uscc": make_uscc(rng, "652927")}})
    ids = sorted({make_id_number(rng, "652927") for _ in range(workers)})
    for start in range(0, len(ids), 1000):
        post(f"{base}/api/v1/projects/{code}/workers", token, [
            {"id_number": i, "name": "工人", "trade_code": "020", "joined_on": "2022-05-01"}
            for i in ids[start:start + 1000]])
    return code, ids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


BARE_INSERT = """INSERT INTO punches (worker_id, project_id, punched_at, device_id, received_at)
SELECT w.id, p.id, :start + (n * interval '1 second'), 'BARE', now()
FROM generate_series(0, :batch - 1) AS n
JOIN workers w ON w.id = (SELECT min(id) FROM workers) + n % :roster
CROSS JOIN (SELECT id FROM projects WHERE code = :code) AS p
ON CONFLICT DO NOTHING"""


def bare_baseline(db_url: str, code: str, roster: int, total: int, batch: int) -> float:
    """Punches per second of the bare baseline: the same count, batch by batch, by plain INSERT statements."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    start_at = datetime(2023, 5, 1, 0, 0, tzinfo=timezone.utc)  # clear of the punches the API stored
    began = time.perf_counter()
    with engine.connect() as conn:
        for n in range(max(1, total // batch)):
            conn.execute(text(BARE_INSERT), {"start": start_at + timedelta(seconds=n * batch), "batch": batch,
                                             "roster": roster, "code": code})
            conn.commit()
    elapsed = time.perf_counter() - began
    engine.dispose()
    return max(1, total // batch) * batch / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url"), parser.add_argument("--token")
    parser.add_argument("--total", type=int, default=200_000), parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4), parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--roster", type=int, default=2000), parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tiny", action="store_true", help="200 punches: checks the bench still runs")
    args = parser.parse_args()
    if args.tiny:
        args.total, args.batch, args.roster, args.threads, args.workers = 200, 50, 20, 2, 1
    args.port = args.port or free_port()
    server = db_url = None
    base, token = args.url, args.token
    if not base:
        server, token, db_url = start_server(args.workers, args.port)
        base = f"http://127.0.0.1:{args.port}"
    sampler = Sampler(server.pid if server else None)
    sampler.start()
    try:
        code, ids = seed(base, token, args.roster)
        start_at = datetime(2022, 5, 1, 0, 0, tzinfo=timezone.utc)
        batches = list(range(args.total // args.batch))
        lock, done, accepted = threading.Lock(), [0], [0]
        quarter = max(1, len(batches) // 4)

        def send(numbers):
            for n in numbers:
                items = [{"project_code": code, "id_number": ids[(n * args.batch + i) % len(ids)],
                          "punched_at": (start_at + timedelta(seconds=n * args.batch + i)).isoformat(),
                          "device_id": "GATE-1"} for i in range(args.batch)]
                answer = post(f"{base}/api/v1/attendance/punches", token, items)
                with lock:
                    accepted[0] += answer["accepted"]
                    done[0] += 1
                    if done[0] % quarter == 0:
                        print(f"  {done[0] * args.batch:>8,} punches  {accepted[0] / (time.perf_counter() - began):>8,.0f}/s"
                              f"  server RSS peak so far {sampler.peak / 1024:,.0f} MB", flush=True)

        began = time.perf_counter()
        threads = [threading.Thread(target=send, args=(batches[i::args.threads],)) for i in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        print(f"{accepted[0]:,} punches accepted in {elapsed:.1f} s = {accepted[0] / elapsed:,.0f} punches/s; "
              f"server peak RSS {sampler.peak / 1024:,.0f} MB" if server else "(server RSS not measured: --url)")
        if accepted[0] != len(batches) * args.batch:
            sys.exit(f"only {accepted[0]} of {len(batches) * args.batch} punches accepted")
        if db_url:
            bare = bare_baseline(db_url, code, len(ids), args.total, args.batch)
            print(f"bare INSERT (baseline): {bare:,.0f} punches/s; ratio API time / bare time "
                  f"{ratio(bare, accepted[0] / elapsed)}", flush=True)
    finally:
        sampler.running = False
        if server:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            drop_database(db_url)


if __name__ == "__main__":
    main()
