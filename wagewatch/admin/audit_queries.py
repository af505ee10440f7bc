"""操作日志 queries: the auditor's scope, the filters of the page and of its export, keyset pages."""
from datetime import datetime, time, timedelta

from flask import abort
from sqlalchemy import func, select, union_all
from werkzeug.datastructures import MultiDict
from wtforms import Form, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from wagewatch.admin.access import at_platform_top
from wagewatch.admin.orgs import managed_org_ids, managed_orgs
from wagewatch.exports.registry import register_export
from wagewatch.extensions import db
from wagewatch.models import AuditLog, Org
from wagewatch.projects.forms import DateText, clean
from wagewatch.templating import BEIJING

PER_PAGE = 20
COUNT_CAP = 10000
ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出", "password_changed": "修改密码",
    "second_factor.enrolled": "绑定动态口令", "second_factor.verified": "动态口令验证通过",
    "second_factor.failed": "动态口令验证失败", "second_factor.locked": "动态口令锁定",
    "second_factor.recovery_used": "使用恢复码", "second_factor.reset": "重置动态口令",
    "user.created": "新增用户", "user.updated": "修改用户", "user.disabled": "停用用户", "user.enabled": "启用用户",
    "user.unlocked": "解锁用户", "user.password_reset": "重置密码",
    "api_client.created": "新增接口凭证", "api_client.revoked": "吊销接口凭证",
    "rule_setting.changed": "修改规则参数", "export_requested": "导出数据", "export_downloaded": "下载导出文件",
    "project_reviewed": "工程审批", "project_status_changed": "修改工程状态", "audit.purged": "清除操作日志",
    "user.locked": "账户锁定", "api.project_registered": "接口登记工程", "api.project_updated": "接口更新工程",
    "api.project_facts": "接口报送工程信息", "api.wage_account": "接口报送工资专户",
    "api.payroll_submitted": "接口报送工资单", "api.complaint_received": "接口接收投诉",
    "api.complaint_event": "接口报送投诉处理",
}
HEADERS = ("序号", "时间", "用户", "所属机构", "操作", "对象类型", "对象编号", "IP地址", "详情", "哈希")


class AuditFilterForm(Form):
    actor = StringField("用户名", filters=[clean], validators=[Optional(), Length(max=64, message="用户名最多64个字符")])
    org = SelectField("机构", validate_choice=False, default="")
    action = SelectField("操作", choices={"": "全部", **ACTIONS}, default="")
    object_type = StringField("对象类型", filters=[clean], validators=[Optional(), Length(max=32, message="最多32个字符")])
    object_id = StringField("对象编号", filters=[clean], validators=[Optional(), Length(max=64, message="最多64个字符")])
    start = DateText("开始日期", validators=[Optional()])
    end = DateText("结束日期", validators=[Optional()])
    before = IntegerField("游标", validators=[Optional(), NumberRange(1, 2**31 - 1, "游标无效")])

    def __init__(self, formdata, orgs, **kwargs):
        super().__init__(formdata, **kwargs)
        self.org.choices = {"": "全部", **{str(o.id): o.name for o in orgs}}
        self._org_ids = {str(o.id) for o in orgs}

    def validate_org(self, field):
        if field.data and field.data not in self._org_ids:
            raise ValidationError("请选择列表中的机构")

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError("结束日期不能早于开始日期")

    def filters(self) -> dict:
        found = {key: getattr(self, key).data for key in ("actor", "org", "action", "object_type", "object_id")
                 if getattr(self, key).data}
        for key in ("start", "end"):
            if getattr(self, key).data:
                found[key] = getattr(self, key).data.isoformat()
        return found


def may_read(user) -> bool:
    return user is not None and user.role == "auditor"


def visible_org_ids(user) -> list[int]:
    """The auditor's orgs as literal ids (a handful): the planner then uses ix_audit_log_org_id_id."""
    return list(db.session.scalars(select(Org.id).where(Org.id.in_(managed_org_ids(user)))))


def _newest_ids(user, filters: dict, before: int | None, limit: int):
    """Ids of the newest matching entries. Below the 自治区人社厅, one index walk per visible org, merged: a
    single walk newest-first over the whole log would pass every other org's entries (1.5 s for a prefecture's
    quiet orgs among 1,000,000 entries)."""
    def newest(stmt):
        if before:
            stmt = stmt.where(AuditLog.id < before)
        return stmt.with_only_columns(AuditLog.id).order_by(AuditLog.id.desc()).limit(limit)

    base = statement(user, {**filters, "org": None}) if not filters.get("org") else None
    if base is None or at_platform_top(user):
        return newest(statement(user, filters))
    branches = [select(newest(base.where(AuditLog.org_id == org_id)).subquery().c.id)
                for org_id in visible_org_ids(user)]
    if not branches:
        return newest(statement(user, filters))
    merged = union_all(*branches).subquery()
    return select(merged.c.id).order_by(merged.c.id.desc()).limit(limit)


def statement(user, filters: dict):
    """Entries of the auditor's org and the orgs below; the 自治区人社厅's auditor sees all, those of no org too
    (failed logins of unknown names, API clients, commands)."""
    stmt = select(AuditLog)
    if not at_platform_top(user):
        stmt = stmt.where(AuditLog.org_id.in_(visible_org_ids(user)))
    if filters.get("actor"):
        stmt = stmt.where(AuditLog.actor == filters["actor"])  # the whole name: an index lookup, not a scan
    if filters.get("org"):
        stmt = stmt.where(AuditLog.org_id == int(filters["org"]))
    if filters.get("action"):
        stmt = stmt.where(AuditLog.action == filters["action"])
    if filters.get("object_type"):
        stmt = stmt.where(AuditLog.object_type == filters["object_type"])
    if filters.get("object_id"):
        stmt = stmt.where(AuditLog.object_id == filters["object_id"])
    if filters.get("start"):
        day = datetime.fromisoformat(filters["start"]).date()
        stmt = stmt.where(AuditLog.at >= datetime.combine(day, time(), BEIJING))
    if filters.get("end"):
        day = datetime.fromisoformat(filters["end"]).date() + timedelta(days=1)
        stmt = stmt.where(AuditLog.at < datetime.combine(day, time(), BEIJING))
    return stmt


def page(user, filters: dict, before: int | None) -> dict:
    """A keyset page, newest first: `before` is the smallest id shown on the previous page."""
    stmt = statement(user, filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.limit(COUNT_CAP + 1).subquery()))
    ids = list(db.session.scalars(_newest_ids(user, filters, before, PER_PAGE + 1)))
    rows = list(db.session.scalars(select(AuditLog).where(AuditLog.id.in_(ids)).order_by(AuditLog.id.desc()))) \
        if ids else []
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    org_ids = {row.org_id for row in rows if row.org_id}
    orgs = dict(db.session.execute(select(Org.id, Org.name).where(Org.id.in_(org_ids))).all()) if org_ids else {}
    return {"items": rows, "orgs": orgs, "next": rows[-1].id if more and rows else None,
            "total": f"{COUNT_CAP:,}+" if total > COUNT_CAP else str(total)}


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def describe(user, params: dict) -> str:
    if not may_read(user):
        abort(404)  # only 审计管理员 exports the audit log
    form = AuditFilterForm(_formdata(params), managed_orgs(user))
    if not form.validate():
        abort(400)
    return " · ".join(f"{form[key].label.text}：{value}" for key, value in form.filters().items()) or "全部"


def _formdata(params: dict):
    return MultiDict({key: str(value) for key, value in params.items() if key != "before"})


@register_export("audit_log", "操作日志", HEADERS, scope="orgs", describe=describe)
def rows(user, params: dict):
    if not may_read(user):
        abort(404)
    form = AuditFilterForm(_formdata(params), managed_orgs(user))
    if not form.validate():
        raise ValueError("筛选条件无效")
    orgs = dict(db.session.execute(select(Org.id, Org.name)).all())
    stmt = statement(user, form.filters()).order_by(AuditLog.id.desc()).execution_options(yield_per=1000)
    for entry in db.session.scalars(stmt):
        details = ", ".join(f"{k}={v}" for k, v in (entry.details or {}).items())
        yield (entry.seq, entry.at, entry.actor, orgs.get(entry.org_id, ""),
               action_label(entry.action), entry.object_type or "", entry.object_id or "", entry.address or "",
               details, entry.hash or "")
