"""flask audit verify / purge: check the tamper-evident chain of the 操作日志 and remove old entries."""
from datetime import date

import click

from wagewatch.admin.chain import PurgeRefused, purge, verify
from wagewatch.extensions import db


def register(app) -> None:
    @app.cli.group("audit")
    def audit_group():
        """The audit log (操作日志)."""

    @audit_group.command("verify")
    def verify_command():
        """Walk the hash chain; name the first broken link and exit 1 when there is one."""
        verdict = verify()
        if verdict.ok:
            click.echo(f"操作日志哈希链完整，共校验 {verdict.checked} 条。")
            return
        click.echo(f"操作日志哈希链断开：第一个断开的记录 id={verdict.broken_id} 序号={verdict.broken_seq}"
                   f"（{verdict.reason}）；此前 {verdict.checked} 条完好。", err=True)
        raise SystemExit(1)

    @audit_group.command("purge")
    @click.option("--before", required=True, help="YYYY-MM-DD: remove entries older than this day (UTC)")
    def purge_command(before):
        """Remove entries older than --before; refuses anything younger than 6 months."""
        try:
            day = date.fromisoformat(before)
        except ValueError as error:
            raise click.BadParameter("日期格式应为YYYY-MM-DD", param_hint="--before") from error
        try:
            count = purge(day)
        except PurgeRefused as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(f"已清除 {day.isoformat()} 之前的操作日志 {count} 条。")
