"""What can be exported: each list registers a kind with its Chinese headers and a row generator.

A row generator takes (user, params) — params are the list's filters as plain strings — and yields
tuples in header order, already masked, streaming from the database (yield_per), always through scope.
Dates and datetimes are yielded as such: the writer makes them real date cells.
A describer takes the same (user, params) when the export is requested: it answers 404 (abort) for anything
outside the user's scope, so nothing is queued for it, and returns the filters in words for 我的导出.
A subject names what the file is about (the project of 人员信息), for its file name.
Every kind declares its scope (SCOPES): how its rows are restricted to the user's jurisdiction. A kind that
declares none is refused when requested (400) and when built (failed), and the registry test fails for it.
"""
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from wagewatch.templating import beijing

SCOPES = {
    "region": "rows of projects restricted by scope.conditions / scope.projects (工程清单)",
    "project": "rows of one project checked by scope.get_project_or_404 (人员信息)",
    "owned": "rows of project-owned tables restricted through scope (考勤, 工资…)",
    "complaints": "complaints restricted by scope.restrict(…, Complaint) (欠薪投诉)",
    "orgs": "audit entries of the user's org and the orgs below it, for the 审计管理员 (操作日志)",
}
UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_SUBJECT = 60


@dataclass(frozen=True)
class ExportSpec:
    kind: str
    title: str  # used in the file name and in 我的导出, e.g. 工程清单
    headers: tuple[str, ...]
    rows: Callable[..., Iterator[tuple]]
    needs_reviewer: bool = False  # exports of personal data are for reviewers (DESIGN §1)
    describe: Callable[..., str] = lambda user, params: ""
    subject: Callable[..., str] = lambda user, params: ""
    scope: str | None = None  # one of SCOPES; None: refused

    def filename(self, user, params: dict, at: datetime) -> str:
        """人员信息_<工程名称>_<时间>.xlsx, 工程清单_<时间>.xlsx: the screen, its subject, when."""
        subject = UNSAFE_IN_NAMES.sub("", self.subject(user, params) or "").strip()[:MAX_SUBJECT]
        parts = [self.title, subject, beijing(at, "%Y%m%d_%H%M%S")]
        return "_".join(part for part in parts if part) + ".xlsx"


EXPORTS: dict[str, ExportSpec] = {}


def region_subject(user, code: str | None = None) -> str:
    """The region a list is about, for a file name: the chosen one, else the user's jurisdiction (昌吉回族自治州)."""
    from wagewatch.extensions import db
    from wagewatch.models import Region

    found = db.session.get(Region, code or user.org.region_code)
    return found.name if found else ""


def register_export(kind: str, title: str, headers, *, scope: str | None = None, needs_reviewer: bool = False,
                    describe=None, subject=None):
    """A kind without a scope is registered but refused (400 when requested, failed if built), and
    tests/test_exports_turns.py fails for it; an unknown scope is a mistake caught at import."""
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"export {kind!r} declares an unknown scope {scope!r}, not one of {sorted(SCOPES)}")

    def decorator(func):
        EXPORTS[kind] = ExportSpec(kind, title, tuple(headers), func, needs_reviewer,
                                   describe or ExportSpec.describe, subject or ExportSpec.subject, scope)
        return func

    return decorator
