"""系统管理 landing page: the screens of the user's administrative role."""
from flask import abort, render_template
from flask_login import current_user, login_required

from wagewatch.admin.access import at_platform_top
from wagewatch.admin.blueprint import bp

PLATFORM_SCREENS = {"admin.clients", "admin.settings"}  # region-wide objects: the 自治区人社厅 only
SCREENS = {
    "sysadmin": (("用户管理", "admin.users"), ("接口凭证", "admin.clients")),
    "secadmin": (("规则参数", "admin.settings"), ("用户解锁", "admin.users")),
    "auditor": (("操作日志", "admin.audit_log"),),
}


@bp.get("/")
@login_required
def index():
    if not current_user.is_administrator:
        abort(403)
    top = at_platform_top(current_user)
    screens = [(label, endpoint) for label, endpoint in SCREENS[current_user.role]
               if top or endpoint not in PLATFORM_SCREENS]
    return render_template("admin/index.html", screens=screens)
