"""flask demo: add the demo data set and demo users, and print their names and passwords."""
import time

import click

from wagewatch.demo import DEFAULT_SEED, build_demo
from wagewatch.demo.users import table
from wagewatch.extensions import db
from wagewatch.users import UserError

LABELS = {"projects": "工程", "enterprises": "企业", "wage_accounts": "工资专户", "workers": "工人",
          "employments": "用工记录", "punches": "打卡记录", "attendance_days": "考勤日报", "payrolls": "工资单",
          "payroll_lines": "工资单明细", "complaints": "欠薪投诉"}


def register(app) -> None:
    @app.cli.command("demo")
    @click.option("--scale", type=click.FloatRange(min=0.01, max=100), default=1.0, show_default=True,
                  help="1 ≈ 150 projects, 3,000 workers, 100,000 punches; fractions for a smaller set")
    @click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="same seed, same data set")
    def demo_command(scale, seed):
        """Add the deterministic demo data set and the demo users (run `flask setup` first)."""
        started = time.perf_counter()
        try:
            result = build_demo(scale, seed)
        except UserError as error:  # no org tree yet
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        if result.skipped:
            click.echo("演示数据已存在，未重复生成；只补建了缺少的演示账号。")
        else:
            click.echo("演示数据已生成：" + "，".join(f"{LABELS.get(k, k)} {v}" for k, v in result.counts.items()
                                                    if k in LABELS))
        click.echo(f"用时 {time.perf_counter() - started:.1f} 秒")
        click.echo("")
        for line in table(result.accounts):
            click.echo(line)
