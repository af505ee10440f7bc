"""flask api-client create / revoke: intake API clients; a token is printed once and stored only hashed."""
import click
from sqlalchemy import select

from wagewatch import audit
from wagewatch.api.auth import issue_client
from wagewatch.extensions import db
from wagewatch.models import ApiClient
from wagewatch.models.api import API_SCOPES


def register(app) -> None:
    @app.cli.group("api-client")
    def api_client_group():
        """Manage intake API clients."""

    @api_client_group.command("create")
    @click.option("--name", required=True, help="客户端名称，如 某某银行乌什县支行")
    @click.option("--scopes", required=True, help="逗号分隔：" + ",".join(API_SCOPES))
    def create(name, scopes):
        """Create a client and print its token (shown only this once)."""
        try:
            client, token = issue_client(name.strip(), [s.strip() for s in scopes.split(",") if s.strip()])
        except ValueError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        audit.record("api_client.created", client, actor="cli", scopes=client.scopes)
        db.session.commit()
        click.echo(f"已创建接口客户端 {client.name}（权限：{client.scopes}）")
        click.echo("访问令牌（只显示这一次，请妥善保存）：")
        click.echo(token)

    @api_client_group.command("revoke")
    @click.argument("name")
    def revoke(name):
        """Revoke a client: its token stops working at once."""
        client = db.session.scalars(select(ApiClient).where(ApiClient.name == name)).one_or_none()
        if client is None:
            raise click.ClickException(f"接口客户端 {name} 不存在")
        client.active = False
        audit.record("api_client.revoked", client, actor="cli")
        db.session.commit()
        click.echo(f"已吊销接口客户端 {name}")
