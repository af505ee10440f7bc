"""flask user create / show / unlock / reset-second-factor: regulator accounts from the command line."""
import os

import click
from sqlalchemy import select

from wagewatch import audit, clock
from wagewatch.extensions import db
from wagewatch.models import User
from wagewatch.models.orgs import ROLE_ALIASES, ROLES
from wagewatch.models.projects import INDUSTRIES
from wagewatch.users import UserError, create_user, find_org

ROLE_HELP = "；".join(f"{code} {label}" for code, label in ROLES.items()) + "（admin 即 sysadmin）"


def register(app) -> None:
    @app.cli.group("user")
    def user_group():
        """Manage regulator accounts."""

    @user_group.command("create")
    @click.argument("username")
    @click.option("--region", "region_code", required=True, help="GB/T 2260 code of the org's region")
    @click.option("--kind", type=click.Choice(["hr", "industry"]), required=True)
    @click.option("--industry", type=click.Choice(list(INDUSTRIES)), default=None)
    @click.option("--role", type=click.Choice([*ROLES, *ROLE_ALIASES]), required=True, help=ROLE_HELP)
    def create(username, region_code, kind, industry, role):
        """Create a regulator; the password is prompted, or read from WAGEWATCH_PASSWORD."""
        if kind == "industry" and not industry:
            raise click.UsageError("--kind industry needs --industry")
        password = os.environ.get("WAGEWATCH_PASSWORD") or click.prompt(
            "密码", hide_input=True, confirmation_prompt=True)
        try:
            user = create_user(username, password, find_org(region_code, kind, industry), role)
        except UserError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        audit.record("user.created", user, actor="cli", username=user.username, role=user.role)
        db.session.commit()
        click.echo(f"已创建用户 {user.username}（{user.org.name}，{user.role_label}）")

    def _find(username: str) -> User:
        user = db.session.scalars(select(User).where(User.username == username)).one_or_none()
        if user is None:
            raise click.ClickException(f"用户 {username} 不存在")
        return user

    @user_group.command("show")
    @click.argument("username")
    def show(username):
        """Show an account: its org, role, and whether repeated failed logins (or second-step codes) locked it."""
        user = _find(username)
        now = clock.now()
        locks = [until for until in (user.locked_until, user.second_factor_locked_until)
                 if until is not None and until > now]
        state = (f"已锁定至 {clock.to_beijing(max(locks)):%Y-%m-%d %H:%M:%S}" if locks
                 else "正常" if user.active else "已停用")
        click.echo(f"{user.username}（{user.org.name}，{user.role_label}）状态：{state}；"
                   f"连续登录失败 {user.failed_logins} 次")

    @user_group.command("unlock")
    @click.argument("username")
    def unlock(username):
        """Lift a lock set by repeated failed logins before it runs out (as 用户管理's 解锁 does)."""
        from wagewatch.admin.users_queries import unlock as lift

        user = _find(username)
        lift(user)
        db.session.commit()
        click.echo(f"已解除 {user.username} 的登录锁定")

    @user_group.command("reset-second-factor")
    @click.argument("username")
    def reset_second_factor(username):
        """Reset a lost authenticator of an account no higher org can reset (the 自治区 level)."""
        from wagewatch.admin.users_queries import reset_second_factor as reset

        user = _find(username)
        reset(user)
        db.session.commit()
        click.echo(f"已重置用户 {username} 的动态口令，下次登录时须重新绑定。")
