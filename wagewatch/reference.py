"""Reference data for `flask setup`: regions, the org tree, code tables and default rule settings.

Every loader is an idempotent upsert, so setup can run on every deploy.
"""
import csv
from importlib import resources

from sqlalchemy import select

from wagewatch.extensions import db
from wagewatch.models import Org, Region, RuleSetting, TradeCode, WorkerRole

GROUP_ONLY = {"659000"}  # 自治区直辖县级行政区划 groups cities; it is not an authority of its own
COUNTY_INDUSTRIES = {"housing": "住建局", "transport": "交通运输局", "water": "水利局"}
REGION_TOP_NAMES = {
    ("hr", None): "自治区人社厅", ("industry", "housing"): "自治区住建厅",
    ("industry", "transport"): "自治区交通运输厅", ("industry", "water"): "自治区水利厅",
    ("industry", "rail"): "自治区铁路建设主管部门", ("industry", "aviation"): "民航新疆管理局",
    ("industry", "telecom"): "新疆通信管理局", ("industry", "energy"): "自治区能源局",
    ("industry", "agriculture"): "自治区农业农村厅", ("industry", "other"): "自治区其他行业主管部门",
}
RULE_DEFAULTS = {
    "realname.min_active": ("1", "实名制达标：最少在职人数"),
    "realname.contract_ratio": ("0.90", "实名制达标：劳动合同签订率下限"),
    "realname.update_ratio": ("0.85", "实名制达标：考勤更新率下限"),
    "realname.update_window_days": ("7", "实名制达标：考勤更新统计天数"),
    "wage.min_monthly": ("1900", "最低月工资标准（元）"),
    "wage.full_month_days": ("22", "满勤天数（低于最低工资判定）"),
    "wage.outlier_monthly": ("50000", "单人单月工资异常上限（元）"),
    "wage.coverage_red_ratio": ("0.10", "未发人数占考勤人数比例达到此值标红"),
    "complaint.read_days": ("1", "企业读取投诉时限（天）"),
    "complaint.handle_days": ("3", "企业处理投诉时限（天）"),
    "complaint.close_days": ("15", "投诉办结时限（天）"),
    "complaint.due_soon_hours": ("24", "即将超时提醒（小时）"),
    "attendance.future_tolerance_minutes": ("10", "打卡时间允许超前的分钟数"),
    "attendance.punch_keep_months": ("13", "原始打卡记录保留月数（更早的按月归档后删除，考勤日报保留）"),
    "export.keep_days": ("7", "导出文件保留天数"),
    "api.idempotency_keep_days": ("7", "接口幂等键（Idempotency-Key）保留天数"),
    "session.keep_days": ("30", "已结束的登录会话记录保留天数"),
}


def _rows(name: str):
    text = resources.files("wagewatch").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_regions() -> int:
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    rows = _rows("xinjiang_regions.csv")
    for row in rows:
        region = existing.get(row["code"]) or Region(code=row["code"])
        region.name, region.short_name = row["name"], row["short_name"]
        region.level, region.parent_code = int(row["level"]), row["parent_code"] or None
        db.session.add(region)
    return len(rows)


def load_trade_codes() -> int:
    existing = {t.code: t for t in db.session.scalars(select(TradeCode))}
    rows = _rows("trade_codes.csv")
    for row in rows:
        trade = existing.get(row["code"]) or TradeCode(code=row["code"])
        trade.name = row["name"]
        db.session.add(trade)
    return len(rows)


def load_worker_roles() -> int:
    existing = {r.code: r for r in db.session.scalars(select(WorkerRole))}
    rows = _rows("worker_roles.csv")
    for row in rows:
        role = existing.get(int(row["code"])) or WorkerRole(code=int(row["code"]))
        role.name = row["name"]
        db.session.add(role)
    return len(rows)


def _org_specs(region: Region):
    if region.level == 1:
        for (kind, industry), name in REGION_TOP_NAMES.items():
            yield kind, industry, name
        return
    yield "hr", None, f"{region.short_name}人社局"
    for industry, suffix in COUNTY_INDUSTRIES.items():
        yield "industry", industry, f"{region.short_name}{suffix}"


def load_orgs() -> int:
    regions = sorted(db.session.scalars(select(Region)), key=lambda r: (r.level, r.code))
    by_key = {(o.region_code, o.kind, o.industry): o for o in db.session.scalars(select(Org))}
    count = 0
    for region in regions:
        if region.code in GROUP_ONLY:
            continue
        parent_region = region.parent_code if region.parent_code not in GROUP_ONLY else "650000"
        for kind, industry, name in _org_specs(region):
            org = by_key.get((region.code, kind, industry)) or Org(region_code=region.code, kind=kind,
                                                                   industry=industry)
            org.name, org.level = name, region.level
            parent = by_key.get((parent_region, kind, industry)) if parent_region else None
            org.parent_id = parent.id if parent else None
            db.session.add(org)
            db.session.flush()
            by_key[(region.code, kind, industry)] = org
            count += 1
    return count


def load_rule_settings() -> int:
    existing = {s.code for s in db.session.scalars(select(RuleSetting))}
    for code, (value, label) in RULE_DEFAULTS.items():
        if code not in existing:  # an administrator's change survives a re-run
            db.session.add(RuleSetting(code=code, value=value, label=label))
    return len(RULE_DEFAULTS)


def load_all() -> dict:
    counts = {"regions": load_regions(), "trade_codes": load_trade_codes(), "worker_roles": load_worker_roles()}
    db.session.flush()
    counts["orgs"] = load_orgs()
    counts["rule_settings"] = load_rule_settings()
    db.session.commit()
    return counts
