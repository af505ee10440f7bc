"""用户管理 (系统管理员): list, search, create, edit, disable, unlock, reset password or second factor."""
from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from wagewatch import audit
from wagewatch.admin import users_queries as queries
from wagewatch.admin.access import role_required
from wagewatch.admin.blueprint import bp
from wagewatch.admin.forms import (
    USER_STATES,
    ActionForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from wagewatch.admin.orgs import is_below, managed_orgs, org_or_404, user_or_404
from wagewatch.auth.passwords import policy_errors
from wagewatch.extensions import db
from wagewatch.htmx import render
from wagewatch.models.orgs import ROLES
from wagewatch.users import UserError, create_user

sysadmin_only = role_required("sysadmin")
# 安全管理员 handles lockouts: it reads the list and unlocks, nothing else.
user_managers = role_required("sysadmin", "secadmin")


@bp.get("/users")
@user_managers
def users():
    orgs = managed_orgs(current_user)
    form = UserFilterForm(request.args, orgs)
    valid = form.validate()
    listing = queries.users_page(current_user, form.filters(), form.page.data or 1) if valid else None
    args = {key: request.args[key] for key in ("q", "org", "role", "state") if request.args.get(key)}
    return render("admin/users.html", "admin/_users_table.html", status=200 if valid else 422, form=form,
                  listing=listing, args=args, roles=ROLES, states=USER_STATES, is_locked=queries.is_locked)


@bp.route("/users/new", methods=["GET", "POST"])
@sysadmin_only
def create_user_form():
    form = UserCreateForm().set_orgs(managed_orgs(current_user))
    errors = []
    if form.validate_on_submit():
        errors = policy_errors(form.password.data, form.username.data)
        if not errors:
            try:
                user = create_user(form.username.data, form.password.data,
                                   org_or_404(current_user, form.org_id.data), form.role.data)
            except UserError as error:
                errors = [str(error)]
            else:
                user.password_changed_at = queries.MUST_CHANGE  # the initial password is changed at first login
                audit.record("user.created", user, username=user.username, role=user.role, org_id=user.org_id)
                db.session.commit()
                flash(f"已创建用户 {user.username}（{user.org.name}，{user.role_label}），首次登录须修改密码。", "info")
                return redirect(url_for("admin.user_detail", user_id=user.id), 303)
    status = 422 if errors or form.errors else 200
    return render("admin/user_new.html", "admin/_user_new_form.html", status=status, form=form, errors=errors)


def _detail(user, form=None, reset_form=None, status=200, errors=()):
    form = form or UserEditForm(obj=user, formdata=None).set_orgs(managed_orgs(current_user))
    return render("admin/user_detail.html", "admin/_user_detail.html", status=status, user=user, form=form,
                  reset_form=reset_form or PasswordResetForm(formdata=None), action=ActionForm(),
                  locked=queries.is_locked(user), may_reset_device=is_below(current_user, user),
                  is_self=user.id == current_user.id, errors=errors)


@bp.get("/users/<int:user_id>")
@user_managers
def user_detail(user_id: int):
    return _detail(user_or_404(current_user, user_id))


def _not_self(user) -> None:
    if user.id == current_user.id:
        abort(403)  # an administrator never changes their own role, state or credentials here


@bp.post("/users/<int:user_id>")
@sysadmin_only
def update_user(user_id: int):
    user = user_or_404(current_user, user_id)
    _not_self(user)
    form = UserEditForm().set_orgs(managed_orgs(current_user))
    if not form.validate_on_submit():
        return _detail(user, form=form, status=422)
    org_or_404(current_user, form.org_id.data)
    changed = queries.change_org_role(user, form.org_id.data, form.role.data)
    db.session.commit()
    flash(f"已保存用户 {user.username}，其登录已全部失效。" if changed else "没有需要保存的修改。", "info")
    return redirect(url_for("admin.user_detail", user_id=user.id), 303)


def _action(user_id: int, change, message: str):
    user = user_or_404(current_user, user_id)
    _not_self(user)
    if not ActionForm().validate_on_submit():
        abort(400)
    change(user)
    db.session.commit()
    flash(message.format(name=user.username), "info")
    return redirect(url_for("admin.user_detail", user_id=user.id), 303)


@bp.post("/users/<int:user_id>/disable")
@sysadmin_only
def disable_user(user_id: int):
    return _action(user_id, lambda u: queries.set_active(u, False), "已停用用户 {name}，其登录已全部失效。")


@bp.post("/users/<int:user_id>/enable")
@sysadmin_only
def enable_user(user_id: int):
    return _action(user_id, lambda u: queries.set_active(u, True), "已启用用户 {name}。")


@bp.post("/users/<int:user_id>/unlock")
@user_managers
def unlock_user(user_id: int):
    return _action(user_id, queries.unlock, "已解锁用户 {name}。")


@bp.post("/users/<int:user_id>/second-factor/reset")
@sysadmin_only
def reset_second_factor(user_id: int):
    user = user_or_404(current_user, user_id)
    if not is_below(current_user, user):
        abort(403)  # a lost device is reset by an administrator of a higher org
    return _action(user_id, queries.reset_second_factor, "已重置用户 {name} 的动态口令，下次登录时须重新绑定。")


@bp.post("/users/<int:user_id>/password")
@sysadmin_only
def reset_password(user_id: int):
    user = user_or_404(current_user, user_id)
    _not_self(user)
    form = PasswordResetForm()
    errors = policy_errors(form.password.data or "", user.username) if form.validate_on_submit() else []
    if form.errors or errors:
        return _detail(user, reset_form=form, status=422, errors=errors)
    queries.reset_password(user, form.password.data)
    db.session.commit()
    flash(f"已重置用户 {user.username} 的密码，其登录已全部失效，下次登录须修改密码。", "info")
    return redirect(url_for("admin.user_detail", user_id=user.id), 303)
