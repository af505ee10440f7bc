"""flask user create."""
import os

import click

from wagewatch.extensions import db
from wagewatch.models.orgs import ROLES
from wagewatch.models.projects import INDUSTRIES
from wagewatch.users import UserError, create_user, find_org


def register(app) -> None:
    @app.cli.group("user")
    def user_group():
        """Manage regulator accounts."""

    @user_group.command("create")
    @click.argument("username")
    @click.option("--region", "region_code", required=True, help="GB/T 2260 code of the org's region")
    @click.option("--kind", type=click.Choice(["hr", "industry"]), required=True)
    @click.option("--industry", type=click.Choice(list(INDUSTRIES)), default=None)
    @click.option("--role", type=click.Choice(list(ROLES)), required=True)
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
        db.session.commit()
        click.echo(f"已创建用户 {user.username}（{user.org.name}，{user.role_label}）")
