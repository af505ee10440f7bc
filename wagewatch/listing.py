"""One page of any list screen: capped totals and keyset (seek) pages, so a deep page costs what the first does.

How a screen uses it (工程审批 and 人员信息 are the examples)::

    ORDER = keyset.Keyset((Project.registered_on, True), (Project.id, True))    # (column, descending)
    request_ = listing.PageRequest.from_args(request.args)                        # page, after, before
    page = listing.paginate(stmt, ORDER, request_)                                # or total=… when counted already
    {{ pager(page, 'projects.approvals', args, '#projects-table') }}             # templates/_macros/list.html

- `count(stmt)` counts at most CAP + 1 rows: totals are exact up to CAP (10,000) and shown as "10,000+" beyond
  it (`Page.total_label`, or the `count_label` template filter for other counts such as tab badges).
- Pages are read with a seek on the sort key (WHERE key > last key ORDER BY key LIMIT n), never with OFFSET:
  the pager's links carry the key of the row before (`after`) or after (`before`) the page they open, and the
  last page is the first page read backwards. A bare `?page=N` (typed or bookmarked) looks up the key where
  page N starts on the key columns alone, then seeks.
- The last key column must be unique (the id), so the order is total. Columns may mix directions and may be
  SQL expressions (e.g. `Employment.left_on.is_not(None)`); their values are read back by their SQL type.
- `paginate(..., load=fn)` turns the page's raw rows into what the template shows (e.g. ids → rows with joins).
"""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from wagewatch.extensions import db
from wagewatch.keyset import Keyset

PER_PAGE = 20
CAP = 10_000
MAX_PAGE = 100_000
WINDOW = 2  # numbered links on each side of the current page


def init_app(app) -> None:
    app.add_template_filter(count_label, "count_label")


def count(stmt, cap: int | None = None) -> int:
    """How many rows the statement yields, counting no further than cap + 1 (so cap + 1 means "more than cap")."""
    cap = CAP if cap is None else cap
    limited = stmt.order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited))


def count_label(total: int | None, cap: int | None = None) -> str:
    """'1,234' for an exact count, '10,000+' above the cap, '—' for no count at all (e.g. after a bad filter)."""
    cap = CAP if cap is None else cap
    if total is None:
        return "—"
    return f"{cap:,}+" if total > cap else f"{total:,}"


@dataclass(frozen=True)
class PageRequest:
    """What the URL asks for: a page number, and the key the page starts after or ends before (from the pager)."""

    number: int = 1
    after: str | None = None
    before: str | None = None

    @classmethod
    def from_args(cls, args, number: int | None = None) -> "PageRequest":
        """Read page/after/before; pass `number` when a form has already validated the page field."""
        if number is None:
            raw = args.get("page") or "1"
            number = int(raw) if raw.isascii() and raw.isdecimal() and 1 <= int(raw) <= MAX_PAGE else 1
        return cls(number, args.get("after") or None, args.get("before") or None)


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, its number, the capped total and the pager's links."""

    items: list
    number: int
    total: int
    per_page: int = PER_PAGE
    links: dict = field(default_factory=dict)  # page number → URL arguments (page, after/before)
    has_next: bool = False

    @property
    def capped(self) -> bool:
        return self.total > CAP

    @property
    def total_label(self) -> str:
        return count_label(self.total)

    @property
    def pages(self) -> int | None:
        """Number of pages, or None when the total is beyond the cap (then the pager offers 下一页 page by page)."""
        return None if self.capped else max(1, -(-self.total // self.per_page))

    def window(self) -> list[int | None]:
        """Page numbers to link around the current one, with None where numbers are skipped."""
        shown = sorted(set(self.links) | {self.number})
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out

    def args_for(self, number) -> dict:
        return self.links.get(number, {"page": number})


@dataclass(frozen=True)
class OffsetPage:
    """A numbered page read with OFFSET, for lists not yet on `paginate` (same pager interface as Page)."""

    items: list
    number: int
    total: int
    per_page: int = PER_PAGE

    capped = Page.capped
    total_label = Page.total_label

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def window(self, width: int = WINDOW) -> list[int | None]:
        shown = sorted({1, self.pages, *range(max(1, self.number - width), min(self.pages, self.number + width) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out

    def args_for(self, number) -> dict:
        return {"page": number}


def clamp(number: int, total: int, per_page: int = PER_PAGE) -> int:
    """A wanted page number within 1…the last page (for OffsetPage)."""
    return min(max(1, number), max(1, -(-total // per_page)))


def paginate(stmt, order: Keyset, wanted: PageRequest, *, total: int | None = None, per_page: int = PER_PAGE,
             load=None, options=()) -> Page:
    """Read the wanted page of `stmt` (a select of the list's rows) in `order`, without OFFSET over the list.

    `total` is the capped count when the caller has it already (tab badges); `load(rows)` maps the raw rows
    (each row is the statement's columns followed by the key's); `options` are loader options for those rows.
    """
    total = count(stmt) if total is None else total
    pages = None if total > CAP else max(1, -(-total // per_page))
    number = min(wanted.number, pages) if pages else wanted.number
    after, before = order.decode(wanted.after), order.decode(wanted.before)
    if after is None and before is None and number > 1:
        if pages and number == pages:
            before = ()  # the last page: the first page read backwards
        else:
            after = _start_key(stmt, order, number, per_page)
            if after is None:  # fewer rows than the number implies (the list shrank): show the last page
                number, before = (pages or 1), ()
    if before == ():  # the last page holds what the earlier pages leave
        rows = _seek(stmt.options(*options), order, before=(), limit=total - (pages - 1) * per_page)
        number, has_next = pages, False
    else:
        rows = _seek(stmt.options(*options), order, after=after, before=before, limit=per_page + 1)
        has_next = len(rows) > per_page if before is None else True
        rows = rows[:per_page] if before is None else rows[-per_page:]
    if before and len(rows) < per_page:
        number, rows = 1, _seek(stmt.options(*options), order, limit=per_page + 1)  # ran off the front: page 1
        has_next = len(rows) > per_page
        rows = rows[:per_page]
    items = load(rows) if load else rows
    return Page(items, number, total, per_page, _links(stmt, order, rows, number, pages, has_next, per_page),
                has_next)


def _keys(order: Keyset, rows) -> list[tuple]:
    width = len(order.parts)
    return [tuple(row[-width:]) for row in rows]


def _keyed(stmt, order: Keyset):
    """The statement with the key columns appended, so every row carries its key at the end."""
    return stmt.add_columns(*order.columns)


def _seek(stmt, order: Keyset, after=None, before=None, limit=PER_PAGE, keys_only=False):
    base = stmt.with_only_columns(*order.columns) if keys_only else _keyed(stmt, order)
    if before is not None:
        if before:
            base = base.where(order.beyond(before, reverse=True))
        found = list(db.session.execute(base.order_by(None).order_by(*order.order_by(reverse=True)).limit(limit)))
        return found[::-1]
    if after is not None:
        base = base.where(order.beyond(after))
    return list(db.session.execute(base.order_by(None).order_by(*order.order_by()).limit(limit)))


def _start_key(stmt, order: Keyset, number: int, per_page: int):
    """The key of the last row before page `number`, read on the key columns alone (a bare ?page=N URL)."""
    position = (number - 1) * per_page - 1
    narrow = stmt.with_only_columns(*order.columns).order_by(None).order_by(*order.order_by())
    found = db.session.execute(narrow.offset(position).limit(1)).first()
    return tuple(found) if found else None


def _links(stmt, order, rows, number, pages, has_next, per_page) -> dict:
    """URL arguments of the pages the pager shows: first, the WINDOW pages around this one, and the last."""
    links: dict = {1: {"page": 1}}
    if pages:
        links[pages] = {"page": pages}
    if not rows:
        return links
    first, last = _keys(order, rows)[0], _keys(order, rows)[-1]
    if has_next:
        ahead = _seek(stmt, order, after=last, limit=per_page * (WINDOW - 1) + 1, keys_only=True)
        for step in range(WINDOW):
            start = last if step == 0 else (tuple(ahead[step * per_page - 1]) if len(ahead) >= step * per_page + 1
                                            else None)
            if start is not None and (not pages or number + step + 1 < pages):  # the last page reads backwards
                links[number + step + 1] = {"page": number + step + 1, "after": order.encode(start)}
    if number > 1:
        back = _seek(stmt, order, before=first, limit=per_page * (WINDOW - 1), keys_only=True)[::-1]
        for step in range(WINDOW):
            end = first if step == 0 else (tuple(back[step * per_page - 1]) if len(back) >= step * per_page else None)
            if end is not None and number - step - 1 >= 1:
                links[number - step - 1] = {"page": number - step - 1, "before": order.encode(end)}
    links[1] = {"page": 1}
    return links
