"""Monthly partitions of `punches` on PostgreSQL: create them ahead, and archive and drop the old ones.

A partition holds one Beijing month, `punches_YYYY_MM` for [first day 00:00 +08, next month's first day 00:00 +08),
so a Beijing day — what the aggregation and the 考勤 pane read — always lies in one partition. `punches_default`
catches a punch outside every month partition (a device clock years off), so an insert never fails; a month
created later takes its rows out of the default first. SQLite keeps one plain table: every function here is a
no-op there.
"""
import gzip
import re
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import event, text

from wagewatch import clock

TABLE = "punches"
DEFAULT = "punches_default"
PARTITION_BY = "RANGE (punched_at)"
AHEAD_MONTHS = 3   # the scheduled job keeps this many coming months ready
BEHIND_MONTHS = 2  # a new schema starts with the two months before this one (the last 30 days' punches)
NAME = re.compile(r"^punches_(\d{4})_(\d{2})$")


def is_partition_name(name: str) -> bool:
    return name == DEFAULT or bool(NAME.match(name))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def name_of(first: date) -> str:
    return f"punches_{first.year:04d}_{first.month:02d}"


def month_of(name: str) -> date | None:
    found = NAME.match(name)
    return date(int(found.group(1)), int(found.group(2)), 1) if found else None


def bounds(first: date) -> tuple[datetime, datetime]:
    """The month's [start, end) as aware datetimes: Beijing midnight of its first day and of the next month's."""
    start = datetime.combine(first, time(0), tzinfo=clock.BEIJING)
    return start, datetime.combine(add_months(first, 1), time(0), tzinfo=clock.BEIJING)


def _literal(moment: datetime) -> str:
    return "'" + moment.isoformat() + "'"


def is_postgresql(conn) -> bool:
    return conn.dialect.name == "postgresql"


def partitions(conn) -> dict[str, bool]:
    """Month partitions by name (default left out): True when attached to punches, False when detached (an
    archive run stopped between detaching and dropping)."""
    rows = conn.execute(text(
        "SELECT c.relname, c.relispartition FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'punches\\_%'")).all()
    return {name: attached for name, attached in rows if NAME.match(name)}


def create_default(conn) -> None:
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {DEFAULT} PARTITION OF {TABLE} DEFAULT"))


def create_month(conn, first: date) -> bool:
    """Create the month's partition if missing; rows the default partition holds for it move in. True if new."""
    name = name_of(first)
    if name in partitions(conn):
        return False
    start, end = (_literal(moment) for moment in bounds(first))
    in_range = f"punched_at >= {start} AND punched_at < {end}"
    stray = conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE {in_range})")).scalar() \
        if _has_default(conn) else False
    if not stray:
        conn.execute(text(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ({start}) TO ({end})"))
        return True
    # PostgreSQL refuses a new partition while the default holds rows of its range: move them, then attach.
    conn.execute(text(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"))
    conn.execute(text(f"WITH moved AS (DELETE FROM {DEFAULT} WHERE {in_range} RETURNING *) "
                      f"INSERT INTO {name} SELECT * FROM moved"))
    conn.execute(text(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ({start}) TO ({end})"))
    return True


def _has_default(conn) -> bool:
    return conn.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": DEFAULT}).scalar()


def ensure(conn, ahead: int = AHEAD_MONTHS, behind: int = 0, today: date | None = None) -> list[str]:
    """The default partition and the months from `behind` before this Beijing month to `ahead` after it."""
    if not is_postgresql(conn):
        return []
    create_default(conn)
    this = month_start(today or clock.beijing_today())
    return [name_of(first) for first in (add_months(this, step) for step in range(-behind, ahead + 1))
            if create_month(conn, first)]


def old_months(conn, keep_months: int, today: date | None = None) -> list[date]:
    """Months wholly before the kept window (this month and the keep_months - 1 before it), oldest first."""
    cutoff = add_months(month_start(today or clock.beijing_today()), -(keep_months - 1))
    months = (month_of(name) for name in partitions(conn))
    return sorted(first for first in months if first < cutoff)


def unaggregated(conn, first: date, watermark: datetime | None) -> bool:
    """Whether the month holds a punch the 考勤日报 aggregation has not read yet (received after its watermark)."""
    table = name_of(first)
    if watermark is None:
        return bool(conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {table})")).scalar())
    return bool(conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE received_at > :mark)"),
                             {"mark": watermark}).scalar())


def detach(conn, first: date) -> None:
    if partitions(conn).get(name_of(first)):
        conn.execute(text(f"ALTER TABLE {TABLE} DETACH PARTITION {name_of(first)}"))


def dump(conn, first: date, directory: Path) -> tuple[Path, int]:
    """COPY the (detached) month to `directory/punches_YYYY_MM.csv.gz` (written aside, then renamed)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name_of(first)}.csv.gz"
    part = target.with_suffix(".gz.part")
    cursor = conn.connection.driver_connection.cursor()
    with gzip.open(part, "wb") as out, cursor.copy(
            f"COPY {name_of(first)} TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
        for chunk in copy:
            out.write(chunk)
    part.replace(target)
    rows = conn.execute(text(f"SELECT count(*) FROM {name_of(first)}")).scalar()
    return target, rows


def drop(conn, first: date) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {name_of(first)}"))


def _after_create(table, conn, **_kw) -> None:
    """create_all on PostgreSQL: the default partition and this month's with the two before and three after."""
    ensure(conn, ahead=AHEAD_MONTHS, behind=BEHIND_MONTHS)


def listen(table) -> None:
    event.listen(table, "after_create", _after_create)


def create_initial(op) -> None:
    """Called at the end of the initial migration's upgrade(): the same partitions create_all makes."""
    ensure(op.get_bind(), ahead=AHEAD_MONTHS, behind=BEHIND_MONTHS)
