"""Login, logout and password change pages."""
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from wagewatch import audit
from wagewatch.auth import passwords, second_factor, sessions
from wagewatch.auth.blueprint import bp
from wagewatch.auth.forms import LoginForm, PasswordChangeForm
from wagewatch.auth.login import authenticate
from wagewatch.extensions import db, limiter
from wagewatch.models._types import utcnow


def _safe_next(target: str | None) -> str:
    """Only a path on this site: browsers read "//host" and "/\\host" as another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user, error = authenticate(form.username.data.strip(), form.password.data)
        if user is not None and second_factor.needed(user):
            return second_factor.begin(user, _safe_next(request.args.get("next")))
        if user is not None:
            sessions.start(user)
            login_user(user)
            audit.record("login", user, user_id=user.id, actor=user.username)
            db.session.commit()
            if passwords.expired(user):
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")))
        audit.record("login_failed", object_type="users", actor=form.username.data.strip()[:64])
        second_factor.record_lockout(form.username.data.strip())
        db.session.commit()
    status = 200 if request.method == "GET" or error is None and not form.errors else 422
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    audit.record("logout", current_user)
    sessions.end()
    db.session.commit()
    logout_user()
    flash("您已安全退出。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    errors = []
    if form.validate_on_submit():
        if not passwords.verify(current_user.password_hash, form.current.data):
            errors.append("当前密码不正确")
        errors += passwords.policy_errors(form.new.data, current_user.username)
        if not errors:
            current_user.password_hash = passwords.hash_password(form.new.data)
            current_user.password_changed_at = utcnow()
            sessions.revoke_all(current_user.id)
            audit.record("password_changed", current_user)
            user = current_user._get_current_object()
            sessions.start(user)
            login_user(user)
            db.session.commit()
            flash("密码已修改，其他设备上的登录已失效。", "info")
            return redirect(url_for("home.index"))
    status = 422 if errors or form.errors else 200
    return render_template("auth/password.html", form=form, errors=errors,
                           expired=passwords.expired(current_user)), status
