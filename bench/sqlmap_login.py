"""Bench: sqlmap against a running WageWatch — the login form, and with a signed-in session the 工程审批 search
and the 操作日志 filter — records that it finds no SQL injection.

Run: .venv/bin/python bench/sqlmap_login.py [--level 2] [--risk 1] [--tiny]
Builds a throwaway PostgreSQL database, serves the app on a free local port with CSRF on (sqlmap fetches a fresh
token from the form before each request), signs in a 查看 user and a 审计管理员 for the search forms, and runs
sqlmap (from the package index: `pip install sqlmap`) once per form in --batch mode. Each run must end with
sqlmap's "do not appear to be injectable" and never "identified the following injection point"; the script
prints one verdict line per form and exits 1 otherwise. --tiny runs boolean-based tests only, at level 1, on the
login form and the 工程审批 search.
Measured (2-core machine, 2026-11-29, --level 2 --risk 1, techniques BEUST): no injection found in any form
(login 348 s, 工程审批 search 104 s, 操作日志 filter 80 s); --tiny takes about 40 s.
"""
import argparse
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch_db import drop_database, new_database

PASSWORD = "Bench-Pass-2026!"
CLEAN = "do not appear to be injectable"
FOUND = "identified the following injection point"


def build(url: str):
    from wagewatch import create_app
    from wagewatch.extensions import db
    from wagewatch.reference import load_all
    from wagewatch.users import create_user, find_org

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": True, "LOGIN_RATE_LIMIT": "100000 per minute",
                      "SECOND_FACTOR_ENFORCED": False, "SECRET_KEY": "bench-secret", "WAGEWATCH_DATA_KEY": "bench-key"})
    with app.app_context():
        db.create_all()
        load_all()
        org = find_org("650000", "hr", None)
        create_user("bench_viewer", PASSWORD, org, "viewer")
        create_user("bench_auditor", PASSWORD, org, "auditor")
        db.session.commit()
    return app


def serve(app) -> tuple[str, object]:
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per sqlmap probe would bury the verdicts
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def session_cookie(base: str, username: str) -> str:
    """Sign in through the real form (CSRF token and all) and return the session cookie header."""
    import urllib.parse
    import urllib.request
    from http.cookiejar import CookieJar

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": PASSWORD}).encode()
    opener.open(f"{base}/auth/login", data=body)
    cookies = {c.name: c.value for c in jar}
    assert "session" in cookies, "sign-in failed"
    return f"session={cookies['session']}"


def sqlmap(args: list[str], workdir: str, tiny: bool, level: int, risk: int) -> str:
    binary = shutil.which("sqlmap", path=str(Path(sys.executable).parent)) or shutil.which("sqlmap")
    if binary is None:
        sys.exit("sqlmap is not installed: pip install sqlmap")
    technique = "B" if tiny else "BEUST"
    command = [binary, "--batch", "--disable-coloring", f"--output-dir={workdir}", f"--level={1 if tiny else level}",
               f"--risk={risk}", f"--technique={technique}", "--dbms=PostgreSQL", "--time-sec=2",
               "--skip-waf", "--smart" if tiny else "--threads=1", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=3000, check=False)
    return result.stdout + result.stderr


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--level", type=int, default=2)
    parser.add_argument("--risk", type=int, default=1)
    parser.add_argument("--tiny", action="store_true")
    options = parser.parse_args()
    url = new_database()
    verdicts = []
    try:
        app = build(url)
        base, server = serve(app)
        viewer, auditor = session_cookie(base, "bench_viewer"), session_cookie(base, "bench_auditor")
        login = f"{base}/auth/login"
        forms = {
            "登录表单 POST /auth/login (username, password)":
                [f"--url={login}", "--data=username=nobody&password=Wrong-Pass-1&csrf_token=x",
                 "--csrf-token=csrf_token", f"--csrf-url={login}", "-p", "username,password"],
            "工程审批搜索 GET /projects/approvals (name, code, owner)":
                [f"--url={base}/projects/approvals?tab=pending&name=a&code=b&owner=c", f"--cookie={viewer}",
                 "-p", "name,code,owner"],
            "操作日志筛选 GET /admin/audit (actor, object_type, object_id)":
                [f"--url={base}/admin/audit?actor=a&object_type=users&object_id=1", f"--cookie={auditor}",
                 "-p", "actor,object_type,object_id"],
        }
        if options.tiny:
            forms = dict(list(forms.items())[:2])
        with tempfile.TemporaryDirectory() as workdir:
            for name, args in forms.items():
                started = time.perf_counter()
                output = sqlmap(args, workdir, options.tiny, options.level, options.risk)
                clean = CLEAN in output and FOUND not in output
                verdicts.append(clean)
                print(f"{name}: {'no injection found' if clean else 'INJECTION OR ERROR'} "
                      f"({time.perf_counter() - started:.0f} s)")
                if not clean:
                    print(output[-3000:])
        server.shutdown()
    finally:
        drop_database(url)
    print("sqlmap verdict:", "no injection found in any form" if all(verdicts) else "FAILED")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
