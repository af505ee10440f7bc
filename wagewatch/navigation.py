"""The manual's left navigation; screens not built yet are served by a 建设中 page at the same path."""
from dataclasses import dataclass, field

BUSINESS = ("viewer", "reviewer")
EVERYONE = ("viewer", "reviewer", "sysadmin", "secadmin", "auditor")


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str | None = None
    path: str | None = None
    children: tuple = field(default_factory=tuple)
    roles: tuple = BUSINESS  # 三员分立: administrators see 系统管理, not business screens
    top_only: bool = False  # region-wide objects: only the 自治区人社厅's administrators

    def visible_to(self, role: str, top: bool = True) -> bool:
        if self.children:
            return any(child.visible_to(role, top) for child in self.children)
        return role in self.roles and (top or not self.top_only)


NAV = (
    NavItem("首页", "home.index", "/"),
    NavItem("项目管理", children=(
        NavItem("工程审批", "projects.approvals", "/projects/approvals"),
        NavItem("工程现场管理", "projects.site", "/projects/site"),
    )),
    NavItem("考勤管理", children=(
        NavItem("人员考勤日报表", "attendance.daily", "/attendance/daily"),
    )),
    NavItem("实名制进度预警", "realname.index", "/realname"),
    NavItem("工资管理", children=(
        NavItem("工资代发进度", children=(
            NavItem("工资代发实时进度", "wages.progress", "/wages/progress"),
            NavItem("工资代发实时进度明细", "wages.progress_detail", "/wages/progress/detail"),
        )),
    )),
    NavItem("数据通报", "bulletin.index", "/bulletin"),
    NavItem("欠薪投诉监控", "complaints.index", "/complaints"),
    NavItem("我的导出", "exports.index", "/exports", roles=EVERYONE),
    NavItem("系统管理", children=(
        NavItem("用户管理", "admin.users", "/admin/users", roles=("sysadmin", "secadmin")),
        NavItem("接口凭证", "admin.clients", "/admin/clients", roles=("sysadmin",), top_only=True),
        NavItem("规则参数", "admin.settings", "/admin/settings", roles=("secadmin",), top_only=True),
        NavItem("操作日志", "admin.audit_log", "/admin/audit", roles=("auditor",)),
    )),
    NavItem("帮助", "home.help", "/help", roles=EVERYONE),
)


def leaves(items=NAV):
    for item in items:
        if item.endpoint:
            yield item
        yield from leaves(item.children)
