"""Field parsers with Chinese messages, and Doc: reads a JSON object collecting errors by dotted path."""
import math
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from flask import g
from sqlalchemy import select

from wagewatch import clock
from wagewatch.extensions import db
from wagewatch.models import Region, TradeCode, WorkerRole
from wagewatch.settings import rule_settings
from wagewatch.validators import id_number_error, normalize_id_number, phone_error, uscc_error

# [0-9] and not \d: \d also matches full-width and other Unicode digits.
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
TIMESTAMP = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)?"
                       r"([Zz]|[+-][0-9]{2}:[0-9]{2})?")  # RFC 3339, the offset checked separately
MONEY = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
CODE = re.compile(r"[A-Za-z0-9_-]+")
MONEY_MAX = Decimal("999999999999.99")


class Invalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(max_len: int, min_len: int = 1):
    """Length is judged as sent (as the OpenAPI document says); the stored value is stripped."""
    def parse(value):
        if not isinstance(value, str):
            raise Invalid("必须是字符串")
        if len(value) > max_len:
            raise Invalid(f"长度不能超过{max_len}个字符")
        if len(value) < min_len or (min_len and not value.strip()):
            raise Invalid("不能为空")
        if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
            raise Invalid("不能包含控制字符")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise Invalid("包含无效字符") from error
        return value.strip()
    return parse


def code(max_len: int):
    def parse(value):
        if not isinstance(value, str) or not CODE.fullmatch(value) or len(value) > max_len:
            raise Invalid(f"编号只能由字母、数字、-、_组成，长度1至{max_len}位")
        return value
    return parse


def choice(options):
    def parse(value):
        if not isinstance(value, str) or value not in options:
            raise Invalid("取值必须是以下之一：" + "、".join(options))
        return value
    return parse


def integer(lo: int, hi: int):
    def parse(value):
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            value = int(value)  # 22.0 is an integer in JSON Schema too
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("必须是整数")
        if not lo <= value <= hi:
            raise Invalid(f"必须在{lo}至{hi}之间")
        return value
    return parse


def boolean(value):
    if not isinstance(value, bool):
        raise Invalid("必须是true或false")
    return value


def money(value) -> Decimal:
    """A JSON number or decimal string, at most 2 decimals, no exponent, not negative."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str, float)):
        raise Invalid("金额必须是数字或数字字符串")
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid("金额不是有效数字")
    raw = value if isinstance(value, str) else str(value)
    if raw.startswith("-"):
        raise Invalid("金额不能为负数")
    if not MONEY.fullmatch(raw):
        raise Invalid("金额必须是普通十进制数，最多两位小数，不能用科学计数法")
    try:
        amount = Decimal(raw)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only valid decimals
        raise Invalid("金额不是有效数字") from error
    if amount > MONEY_MAX:
        raise Invalid("金额过大")
    return amount.quantize(Decimal("0.01"))


def date_value(value) -> date:
    if not isinstance(value, str) or not DATE.fullmatch(value):
        raise Invalid("日期格式应为YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise Invalid("日期不存在") from error


def month(value) -> str:
    found = MONTH.fullmatch(value) if isinstance(value, str) else None
    if not found:
        raise Invalid("月份格式应为YYYY-MM")
    if not (1 <= int(found.group(2)) <= 12 and int(found.group(1)) >= 1900):
        raise Invalid("月份不存在")
    return value


def latest_allowed() -> datetime:
    """Times may run ahead of our clock by attendance.future_tolerance_minutes (device clocks drift)."""
    if "api_latest" not in g:
        minutes = int(rule_settings()["attendance.future_tolerance_minutes"])
        g.api_latest = clock.now() + timedelta(minutes=minutes)
        g.api_tolerance = minutes
    return g.api_latest


def timestamp(value) -> datetime:
    found = TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if not found:
        raise Invalid("时间格式应为ISO 8601，如2022-05-15T17:52:00+08:00")
    if not found.group(3):
        raise Invalid("时间必须带时区偏移，如2022-05-15T17:52:00+08:00")
    # RFC 3339 allows any number of fraction digits (.NET writes 7); microseconds are kept, the rest dropped.
    fraction = (found.group(2) or "")[:7]
    try:
        moment = datetime.fromisoformat((found.group(1) + fraction + found.group(3)).upper().replace("Z", "+00:00"))
        moment = moment.astimezone(timezone.utc)
    except (ValueError, OverflowError) as error:
        raise Invalid("时间不存在") from error
    if moment.year < 1900:
        raise Invalid("时间不合理")
    if moment > latest_allowed():
        raise Invalid(f"时间不能晚于当前时间{g.api_tolerance}分钟以上")
    return moment


ID_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]")
PHONE_SHAPE = re.compile(r"[0-9]{11}")


def id_number(value) -> str:
    """A lowercase x is accepted and stored upper-case; nothing else is normalised (no stripping)."""
    if isinstance(value, str) and not ID_SHAPE.fullmatch(value):
        raise Invalid("身份证号应为18位" if len(value) != 18 else "身份证号只能包含半角数字，最后一位可为X")
    problem = id_number_error(value)
    if problem:
        raise Invalid(problem)
    return normalize_id_number(value)


def uscc(value) -> str:
    problem = uscc_error(value)
    if problem:
        raise Invalid(problem)
    return value


def phone(value) -> str:
    if isinstance(value, str) and not PHONE_SHAPE.fullmatch(value):  # \d would let full-width digits in
        raise Invalid("手机号应为11位大陆手机号码，如13800000000，不带+86")
    problem = phone_error(value)
    if problem:
        raise Invalid(problem)
    return value


def reference_codes(column) -> set:
    """A reference table's codes, read once per request however many items a batch holds."""
    cache = g.setdefault("api_reference_codes", {})
    table = column.class_.__tablename__
    if table not in cache:
        cache[table] = set(db.session.scalars(select(column)))
    return cache[table]


def region_code(value) -> str:
    if not isinstance(value, str) or value not in reference_codes(Region.code):
        raise Invalid("行政区划代码不存在")
    return value


def trade_code(value) -> str:
    if not isinstance(value, str) or value not in reference_codes(TradeCode.code):
        raise Invalid("工种代码不存在")
    return value


def worker_role(value) -> int:
    roles = reference_codes(WorkerRole.code)
    if isinstance(value, bool) or not isinstance(value, int) or value not in roles:
        raise Invalid("人员类别代码不存在，应为" + "、".join(str(code) for code in sorted(roles)))
    return value


class Doc:
    """One JSON object of a request; every problem is kept as {"field": dotted.path, "message": …}."""

    def __init__(self, data, prefix: str = "", errors: list | None = None):
        self.errors = errors if errors is not None else []
        self.prefix = prefix
        if not isinstance(data, dict):
            self.errors.append({"field": prefix.rstrip("."), "message": "必须是JSON对象"})
            data = {}
        self.data = data

    def error(self, name: str, message: str) -> None:
        self.errors.append({"field": f"{self.prefix}{name}", "message": message})

    def has(self, name: str) -> bool:
        return name in self.data

    def field(self, name: str, parse, *, required: bool = True, nullable: bool = False, default=None):
        if name not in self.data:
            if required:
                self.error(name, "缺少必填字段")
            return default
        value = self.data[name]
        if value is None:
            if not nullable:
                self.error(name, "不能为空")
            return None if nullable else default
        try:
            return parse(value)
        except Invalid as problem:
            self.error(name, problem.message)
            return default

    def obj(self, name: str, *, required: bool = True, nullable: bool = False) -> "Doc | None":
        if name not in self.data or self.data[name] is None:
            if name not in self.data and required or (name in self.data and not nullable):
                self.error(name, "缺少必填字段" if name not in self.data else "不能为空")
            return None
        return Doc(self.data[name], f"{self.prefix}{name}.", self.errors)

    def items(self, name: str, limit: int):
        """The list under `name` as (index, Doc) pairs; a list over `limit` items is refused whole."""
        from wagewatch.api.errors import too_many_items

        value = self.data.get(name)
        if not isinstance(value, list) or not value:
            self.error(name, "缺少必填字段" if name not in self.data else "必须是非空数组")
            return []
        if len(value) > limit:
            raise too_many_items(limit)
        return [(i, Doc(item, f"{self.prefix}{name}.{i}.", self.errors)) for i, item in enumerate(value)]


ACCOUNT = re.compile(r"[0-9]{6,32}")


def account_no(value) -> str:
    if not isinstance(value, str) or not ACCOUNT.fullmatch(value):
        raise Invalid("账号应为6至32位半角数字")
    return value
