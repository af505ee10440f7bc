"""Locust file: regulators signing in and browsing, filtering and paging WageWatch's screens (bench/load_run.py
starts gunicorn and locust with it; run that, not this file directly).

Each simulated regulator signs in through the login form as one of the plan's bench users (the region, a
prefecture or a county reviewer, one account each), then, with 5–20 s to read each answer, opens list screens, applies a
filter or turns a page as the htmx fragment the browser would ask for, and opens panes and dialogs. The plan
(users and object ids inside their jurisdiction) comes as JSON in the file named by WAGEWATCH_LOAD_PLAN. Every
answer other than 200 counts as a failure. Requests are grouped by screen so the results read per screen.
"""
import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["WAGEWATCH_LOAD_PLAN"], encoding="utf-8").read())
PASSWORD = PLAN["password"]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HX = {"HX-Request": "true", "HX-Request-Type": "partial"}
_next_user = itertools.count()
_timings = []  # (name, ms, failed, epoch s): the runner computes browsing and sign-in percentiles apart


@events.request.add_listener
def _note(name, response_time, exception=None, **_kwargs):
    _timings.append((name, round(response_time, 1), exception is not None, round(time.time(), 1)))


@events.quitting.add_listener
def _write(**_kwargs):
    if os.environ.get("WAGEWATCH_LOAD_TIMES"):
        with open(os.environ["WAGEWATCH_LOAD_TIMES"], "w", encoding="utf-8") as handle:
            json.dump(_timings, handle, ensure_ascii=False)

LISTS = {  # screen → its first page; filters and pages are added to it
    "首页": "/", "工程审批": "/projects/approvals?tab=approved", "人员考勤日报表": "/attendance/daily",
    "实名制进度预警": "/realname", "工资代发实时进度": "/wages/progress", "数据通报": "/bulletin",
    "欠薪投诉监控": "/complaints",
}
FILTERS = {  # screen → filters a regulator types or picks ({region} is the user's own jurisdiction)
    "工程审批": ["name=号", "region={region}", "industry=housing"],
    "人员考勤日报表": ["status=single", "region={region}", "name=工人1"],
    "实名制进度预警": ["compliance=failed", "region={region}", "industry=water"],
    "工资代发实时进度": ["abnormal=1", "region={region}", "flag=NO_ACCOUNT"],
    "数据通报": ["region={region}"],
    "欠薪投诉监控": ["supervision=supervising", "region={region}", "timeliness=overdue"],
}


class Regulator(HttpUser):
    wait_time = between(5, 20)

    def on_start(self):
        self.me = PLAN["users"][next(_next_user) % len(PLAN["users"])]
        with self.client.get("/auth/login", name="登录 page", catch_response=True) as answer:
            token = TOKEN.search(answer.text)
            if not token:
                answer.failure("no CSRF token on the login page")
                return
        self.client.post("/auth/login", name="登录", allow_redirects=False, data={
            "csrf_token": token.group(1), "username": self.me["username"], "password": PASSWORD})

    def _get(self, path: str, name: str, fragment: bool = False):
        with self.client.get(path, name=name, headers=HX if fragment else {}, allow_redirects=False,
                             catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")

    @task(5)
    def open_screen(self):
        screen, path = random.choice(list(LISTS.items()))
        self._get(path, screen)

    @task(3)
    def filter_screen(self):
        screen = random.choice(list(FILTERS))
        query = random.choice(FILTERS[screen]).format(region=self.me["region"])
        joiner = "&" if "?" in LISTS[screen] else "?"
        self._get(LISTS[screen] + joiner + query, f"{screen} filter (fragment)", fragment=True)

    @task(2)
    def turn_page(self):
        screen = random.choice([s for s in LISTS if s not in ("首页", "数据通报")])
        joiner = "&" if "?" in LISTS[screen] else "?"
        self._get(f"{LISTS[screen]}{joiner}page={random.randint(2, 5)}", f"{screen} page 2–5 (fragment)",
                  fragment=True)

    @task(2)
    def open_pane(self):
        name, path = random.choice(self.me["panes"])
        self._get(path, name, fragment=True)

    @task(1)
    def project_site(self):
        project = self.me["project"]
        tab = random.choice(["", "&tab=info", "&state=left"])
        self._get(f"/projects/site?project_id={project}{tab}", "工程现场管理 人员信息")
