"""What can be exported: each list registers a kind with its Chinese headers and a row generator.

A row generator takes (user, params) — params are the list's filters as plain strings — and yields
tuples in header order, already masked, streaming from the database (yield_per), always through scope.
A describer takes the same (user, params) when the export is requested: it answers 404 (abort) for anything
outside the user's scope, so nothing is queued for it, and returns the filters in words for 我的导出.
"""
from dataclasses import dataclass
from typing import Callable, Iterator


@dataclass(frozen=True)
class ExportSpec:
    kind: str
    title: str  # used in the file name and in 我的导出, e.g. 工程清单
    headers: tuple[str, ...]
    rows: Callable[..., Iterator[tuple]]
    needs_reviewer: bool = False  # exports of personal data are for reviewers (DESIGN §1)
    describe: Callable[..., str] = lambda user, params: ""


EXPORTS: dict[str, ExportSpec] = {}


def register_export(kind: str, title: str, headers, needs_reviewer: bool = False, describe=None):
    def decorator(func):
        EXPORTS[kind] = ExportSpec(kind, title, tuple(headers), func, needs_reviewer,
                                   describe or ExportSpec.describe)
        return func

    return decorator
