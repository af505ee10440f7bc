"""操作日志 (审计管理员): filter by user, org, action, object and time; export through 导出数据."""
from flask import request
from flask_login import current_user

from wagewatch.admin import audit_queries as queries
from wagewatch.admin.access import role_required
from wagewatch.admin.blueprint import bp
from wagewatch.admin.orgs import managed_orgs
from wagewatch.htmx import render


@bp.get("/audit")
@role_required("auditor")
def audit_log():
    form = queries.AuditFilterForm(request.args, managed_orgs(current_user))
    valid = form.validate()
    listing = queries.page(current_user, form.filters(), form.before.data) if valid else None
    return render("admin/audit.html", "admin/_audit_table.html", status=200 if valid else 422, form=form,
                  listing=listing, args=form.filters() if valid else {}, action_label=queries.action_label)
