"""动态口令 pages: verify the second step, enrol an authenticator (QR as inline SVG), recovery codes."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from wagewatch import audit
from wagewatch.auth import passwords, sessions, totp
from wagewatch.auth.blueprint import bp
from wagewatch.auth.second_factor import finish, pending_user
from wagewatch.extensions import db, limiter
from wagewatch.models._types import utcnow

LOCKED = "动态口令连续错误次数过多，账户已锁定15分钟，请稍后再试或联系上级系统管理员"
WRONG = "动态口令或恢复码不正确"


class CodeForm(FlaskForm):
    code = StringField("动态口令", validators=[DataRequired("请输入动态口令"), Length(max=20, message="动态口令过长")])


def _rate_key() -> str:
    user = pending_user()
    return f"{request.remote_addr}:{user.id if user else '-'}"


def _limit() -> str:
    return current_app.config.get("SECOND_FACTOR_RATE_LIMIT", "10 per minute")


def _complete(user, codes=None):
    """The second step passed: start the real session (a new id) and go on."""
    next_path = finish()
    sessions.start(user)
    login_user(user)
    audit.record("login", user, user_id=user.id, actor=user.username, second_factor=True)
    db.session.commit()
    if codes:
        return render_template("auth/recovery_codes.html", codes=codes, next_path=next_path)
    if passwords.expired(user):
        return redirect(url_for("auth.change_password"))
    return redirect(next_path)


def _expired_login():
    flash("登录已超时，请重新输入用户名和密码。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/second-factor", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_rate_key)
def second_factor():
    user = pending_user()
    if user is None or not user.second_factor_enabled:
        return _expired_login()
    form, error = CodeForm(), None
    if form.validate_on_submit():
        if not totp.claim_attempt(user.id):
            error = LOCKED
        elif totp.accept_code(user, totp.secret_of(user), form.code.data):
            totp.attempt_succeeded(user.id)
            return _complete(user)
        elif totp.use_recovery_code(user, form.code.data):
            totp.attempt_succeeded(user.id)
            audit.record("second_factor.recovery_used", user, user_id=user.id, actor=user.username,
                         remaining=totp.remaining_recovery_codes(user))
            return _complete(user)
        else:
            error = LOCKED if totp.attempt_failed(user.id) else WRONG
            audit.record("second_factor.locked" if error == LOCKED else "second_factor.failed", user,
                         user_id=user.id, actor=user.username)
            db.session.commit()
    status = 200 if request.method == "GET" or (error is None and not form.errors) else 422
    return render_template("auth/second_factor.html", form=form, error=error, user=user), status


def _enrolling_user():
    if current_user.is_authenticated:
        return current_user._get_current_object(), True
    return pending_user(), False


@bp.route("/second-factor/enrol", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_rate_key)
def enrol_second_factor():
    user, signed_in = _enrolling_user()
    if user is None:
        return _expired_login()
    if user.second_factor_enabled:
        flash("您已绑定动态口令。", "info")
        return redirect(url_for("home.index") if signed_in else url_for("auth.second_factor"))
    secret = totp.start_enrolment(user)
    db.session.commit()
    form, error = CodeForm(), None
    if form.validate_on_submit():
        if not totp.claim_attempt(user.id):
            error = LOCKED
        elif totp.accept_code(user, secret, form.code.data):
            totp.attempt_succeeded(user.id)
            user.totp_enabled_at = utcnow()
            codes = totp.new_recovery_codes(user)
            audit.record("second_factor.enrolled", user, user_id=user.id, actor=user.username)
            if signed_in:
                db.session.commit()
                return render_template("auth/recovery_codes.html", codes=codes, next_path=url_for("home.index"))
            return _complete(user, codes)
        else:
            error = LOCKED if totp.attempt_failed(user.id) else WRONG
            db.session.commit()
    uri = totp.provisioning_uri(user, secret)
    status = 200 if request.method == "GET" or (error is None and not form.errors) else 422
    return render_template("auth/enrol.html", form=form, error=error, secret=secret, svg=totp.qr_svg(uri),
                           user=user), status
