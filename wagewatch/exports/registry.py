"""What can be exported: each list registers a kind with its Chinese headers and a row generator.

A row generator takes (user, params) — params are the list's filters as plain strings — and yields
tuples in header order, already masked, streaming from the database (yield_per), always through scope.
Dates and datetimes are yielded as such: the writer makes them real date cells.
A describer takes the same (user, params) when the export is requested: it answers 404 (abort) for anything
outside the user's scope, so nothing is queued for it, and returns the filters in words for 我的导出.
A subject names what the file is about (the project of 人员信息), for its file name.
"""
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterator

from wagewatch.templating import beijing

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

    def filename(self, user, params: dict, at: datetime) -> str:
        """人员信息_<工程名称>_<时间>.xlsx, 工程清单_<时间>.xlsx: the screen, its subject, when."""
        subject = UNSAFE_IN_NAMES.sub("", self.subject(user, params) or "").strip()[:MAX_SUBJECT]
        parts = [self.title, subject, beijing(at, "%Y%m%d_%H%M%S")]
        return "_".join(part for part in parts if part) + ".xlsx"


EXPORTS: dict[str, ExportSpec] = {}


def register_export(kind: str, title: str, headers, needs_reviewer: bool = False, describe=None, subject=None):
    def decorator(func):
        EXPORTS[kind] = ExportSpec(kind, title, tuple(headers), func, needs_reviewer,
                                   describe or ExportSpec.describe, subject or ExportSpec.subject)
        return func

    return decorator
