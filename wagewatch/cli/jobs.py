"""Run each background job by hand: flask attendance aggregate, flask exports build / purge, flask wages refresh."""
import click

from wagewatch.extensions import db


def register(app) -> None:
    @app.cli.group("attendance")
    def attendance_group():
        """考勤: the daily-report aggregation."""

    @attendance_group.command("aggregate")
    @click.option("--day", default=None, help="recompute one Beijing day, YYYY-MM-DD")
    @click.option("--all", "all_days", is_flag=True, help="recompute every day from all punches")
    def aggregate(day, all_days):
        """Turn punches into 考勤日报 rows now (what the nightly job does)."""
        from datetime import date

        from jobs.aggregation import aggregate_attendance

        if day:
            try:
                date.fromisoformat(day)
            except ValueError as error:
                raise click.BadParameter("日期格式应为 YYYY-MM-DD", param_hint="--day") from error
        if day and all_days:
            raise click.UsageError("--day 与 --all 只能选一个")
        result = aggregate_attendance(day=day, all_days=all_days)
        click.echo(f"考勤日报已更新：{result['days_written']} 条（{result['mode']}）")

    @app.cli.group("indicators")
    def indicators_group():
        """实名制达标 and 数据通报: the precomputed indicators."""

    @indicators_group.command("refresh")
    def refresh_indicators_command():
        """Recompute R1 per project and the current month's 数据通报 figures now (what the nightly job does)."""
        from jobs.indicators import refresh_indicators

        result = refresh_indicators()
        click.echo(f"实名制达标已更新 {result['projects']} 个工程；数据通报 {result['bulletin_figures']} 条")

    @app.cli.group("exports")
    def exports_group():
        """导出: build an export by hand, purge old files."""

    @exports_group.command("build")
    @click.argument("export_id", type=int)
    def build(export_id):
        """Build (or rebuild) one export in this process."""
        from jobs.exports import build_export
        from wagewatch.models import ExportJob

        status = build_export(export_id)
        export = db.session.get(ExportJob, export_id)
        if export is None:
            raise click.ClickException(f"导出 {export_id} 不存在")
        click.echo(f"导出 {export_id}：{status}" + (f"，{export.rows} 行" if export else ""))

    @exports_group.command("purge")
    def purge():
        """Delete export files older than export.keep_days."""
        from jobs.maintenance import purge_old_exports

        result = purge_old_exports()
        click.echo(f"已删除过期导出 {result['exports_expired']} 个，残留文件 {result['stray_files']} 个"
                   f"（保留 {result['keep_days']} 天）；长时间未完成而停止的导出 {result['exports_abandoned']} 个")

    @app.cli.group("wages")
    def wages_group():
        """工资: the stored 工资代发实时进度 figures."""

    @wages_group.command("refresh")
    @click.option("--month", default=None, help="one month YYYY-MM (default: this month and the three before)")
    @click.option("--all", "all_months", is_flag=True, help="every month that has attendance or payroll sheets")
    def refresh(month, all_months):
        """Recompute R2 of every project-month now (what the nightly job does; --all for a first fill)."""
        from jobs.wages import refresh_wage_progress
        from wagewatch.wages.forms import month_error
        from wagewatch.wages.refresh import months_with_data

        if month and month_error(month):
            raise click.BadParameter(month_error(month), param_hint="--month")
        if month and all_months:
            raise click.UsageError("--month 与 --all 只能选一个")
        months = months_with_data() if all_months else [month]
        stored = sum(refresh_wage_progress(m) for m in months)
        click.echo(f"工资代发进度已更新：{stored} 个工程月份")
