"""Who may open what: each administrative screen for its one role, business screens for 查看/审核 only."""
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required

# Business screens show project, worker and wage data; the three administrative roles do not need it.
BUSINESS_BLUEPRINTS = {"projects", "attendance", "realname", "wages", "bulletin", "complaints"}
# The exports an administrative role may request (the audit log for 审计管理员).
ADMIN_EXPORT_KINDS = {"auditor": {"audit_log"}}


def at_platform_top(user) -> bool:
    return user.at_platform_top


def role_required(*roles):
    """Login, then 403 for any other role: the screen's existence is no secret, its content is."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def keep_roles_apart():
    """before_request: administrators stay out of business data; business users out of 系统管理."""
    if not getattr(current_user, "is_authenticated", False) or not current_user.is_administrator:
        return None
    if request.endpoint == "home.index":
        return redirect(url_for("admin.index"))
    if request.blueprint in BUSINESS_BLUEPRINTS:
        abort(403)
    if request.endpoint == "exports.create" and \
            request.form.get("kind") not in ADMIN_EXPORT_KINDS.get(current_user.role, ()):
        abort(403)
    return None


def init_app(app) -> None:
    app.before_request(keep_roles_apart)
