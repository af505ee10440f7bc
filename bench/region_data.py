"""The region-scale data set: projects, workers, punches, daily rows, payrolls and complaints at Xinjiang's size.

Used by bench/generate.py. Small reference-like tables (enterprises, projects, workers, complaints) are written
from Python through COPY, because their values must pass the platform's own checks (ID and USCC check digits,
encrypted ID numbers with their keyed hashes); the big derived tables (employments, punches, daily rows, payroll
lines, events) are written by INSERT … SELECT inside PostgreSQL, which is several times faster than any client.
The mix of states follows the rules (R1–R3), so every screen shows realistic warnings. Deterministic per seed.
"""
import random
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import text

FULL = {"projects": 8000, "workers": 1_000_000, "days": 30, "complaints": 60_000, "events_per_complaint": 5}
INDUSTRIES = (("housing", 55), ("transport", 20), ("water", 12), ("energy", 5), ("agriculture", 4),
              ("rail", 2), ("telecom", 1), ("aviation", 1))
BANKS = ("中国农业银行", "中国工商银行", "中国建设银行", "新疆农村信用社", "中国银行")
COMPLAINT_TYPES = ("拖欠工资", "拖欠工资", "拖欠工资", "克扣工资", "未签劳动合同", "其他")


def sizes(scale: float) -> dict:
    return {key: max(2 if key != "days" else 3, int(value * scale)) if key not in ("days", "events_per_complaint")
            else value for key, value in FULL.items()}


def copy_rows(connection, table: str, columns: tuple[str, ...], rows) -> int:
    """COPY an iterable of tuples into a table through psycopg 3; returns the count."""
    count = 0
    cursor = connection.connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def placements() -> list[tuple[str, str, int | None, int | None]]:
    """Every (county, industry) with its derived 人社 and industry orgs, as registration derives them (the
    nearest org of that kind at or above the county), resolved in memory from one read of the org table."""
    from wagewatch.extensions import db
    from wagewatch.orgs import region_chain

    orgs = {(code, kind, industry): org_id for org_id, code, kind, industry in
            db.session.execute(text("SELECT id, region_code, kind, industry FROM orgs"))}
    counties = [code for (code,) in db.session.execute(text("SELECT code FROM regions WHERE level = 3 ORDER BY code"))]

    def nearest(code, kind, industry):
        return next((orgs[(c, kind, industry)] for c in region_chain(code) if (c, kind, industry) in orgs), None)

    return [(code, industry, nearest(code, "hr", None), nearest(code, "industry", industry))
            for code in counties for industry, _weight in INDUSTRIES]


def fill_enterprises(connection, rng: random.Random, count: int) -> int:
    from wagewatch.identity import make_uscc

    seen = set()

    def rows():
        for n in range(1, count + 1):
            uscc = make_uscc(rng)
            while uscc in seen:
                uscc = make_uscc(rng)
            seen.add(uscc)
            kind = "建设工程有限公司" if n % 3 else "建筑劳务有限公司"
            yield (f"新疆{('天山', '昆仑', '丝路', '准噶尔', '塔里木', '博格达')[n % 6]}第{n}{kind}", uscc)
    return copy_rows(connection, "enterprises", ("name", "uscc"), rows())


def project_state(rng: random.Random) -> tuple[str, str]:
    review = rng.choices(("approved", "pending", "rejected"), (80, 12, 8))[0]
    if review != "approved":
        return review, "not_started"
    return review, rng.choices(("in_progress", "completed", "suspended", "not_started"), (72, 16, 6, 6))[0]


def fill_projects(connection, rng: random.Random, count: int, enterprises: int, today: date) -> int:
    from wagewatch.demo.names import han_name, phone
    from wagewatch.models._types import prefecture_of

    places = placements()
    weights = [dict(INDUSTRIES)[industry] for _code, industry, _hr, _ind in places]
    now = datetime.now(timezone.utc)

    def rows():
        for n in range(1, count + 1):
            code, industry, hr_org, industry_org = rng.choices(places, weights)[0]
            review, status = project_state(rng)
            registered = today - timedelta(days=rng.randint(20, 900))
            officer = rng.random() < 0.92
            yield (f"XJ{registered:%Y%m}{n:08d}", f"{('乌鲁木齐', '喀什', '伊宁', '哈密', '阿克苏', '库尔勒')[n % 6]}"
                   f"第{n}号{('住宅楼', '道路改扩建', '灌区节水改造', '光伏电站', '学校教学楼', '安置房')[n % 6]}工程",
                   "新疆", rng.choice(("government", "soe", "private")), rng.randint(500, 90000) * 1000,
                   registered + timedelta(days=15), registered + timedelta(days=rng.randint(200, 900)), registered,
                   rng.randint(1, enterprises), rng.randint(1, enterprises), hr_org, industry_org, review,
                   "资料不全，请补充施工许可证" if review == "rejected" else None,
                   now if review != "pending" else None, status, rng.randint(5, 25),
                   han_name(rng), han_name(rng) if officer else None, phone(rng) if officer else None,
                   rng.choices(("cash", "guarantee", "exempt", "none"), (40, 35, 10, 15))[0],
                   registered + timedelta(days=30) if rng.random() < 0.85 else None,
                   code, prefecture_of(code), industry, now, now)
    columns = ("code", "name", "address", "funding", "contract_amount", "planned_start", "planned_end",
               "registered_on", "owner_id", "contractor_id", "hr_org_id", "industry_org_id", "review_status",
               "review_reason", "reviewed_at", "status", "payday", "manager_name", "labour_officer_name",
               "labour_officer_phone", "deposit_form", "notice_board_posted_on", "region_code", "prefecture_code",
               "industry", "created_at", "updated_at")
    return copy_rows(connection, "projects", columns, rows())


def fill_wage_accounts(connection, rng: random.Random) -> int:
    from wagewatch import crypto

    ids = [pid for (pid,) in connection.execute(text("SELECT id FROM projects WHERE review_status = 'approved'"))]

    def rows():
        for pid in ids:
            if rng.random() < 0.9:
                number = f"3001{pid:012d}{rng.randint(0, 9)}"
                yield (pid, rng.choice(BANKS), crypto.encrypt(number), crypto.lookup_hash(number),
                       f"**** {number[-4:]}", "农民工工资专用账户", date(2023, 1, 1), True, datetime.now(timezone.utc))
    return copy_rows(connection, "wage_accounts", ("project_id", "bank_name", "account_no_enc", "account_no_hash",
                                                   "account_no_masked", "account_name", "opened_on",
                                                   "tripartite_agreement", "updated_at"), rows())


def fill_workers(connection, rng: random.Random, count: int) -> int:
    from wagewatch import crypto
    from wagewatch.demo.names import han_name, phone
    from wagewatch.identity import make_id_number
    from wagewatch.masking import mask_id

    counties = [code for (code,) in connection.execute(text("SELECT code FROM regions WHERE level = 3"))]
    seen = set()

    def rows():
        for _n in range(count):
            number = make_id_number(rng, rng.choice(counties))
            while number in seen:
                number = make_id_number(rng, rng.choice(counties))
            seen.add(number)
            gender = "M" if int(number[16]) % 2 else "F"
            yield (crypto.encrypt(number), crypto.lookup_hash(number), mask_id(number), han_name(rng, gender),
                   gender, date(int(number[6:10]), int(number[10:12]), int(number[12:14])), phone(rng))
    return copy_rows(connection, "workers", ("id_number_enc", "id_number_hash", "id_number_masked", "name", "gender",
                                             "birth_date", "phone"), rows())
