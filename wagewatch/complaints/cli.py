"""flask complaints push: run the automatic push to supervision by hand (what the scheduled job does)."""
import click

from wagewatch.complaints.blueprint import bp

bp.cli.short_help = "欠薪投诉: push overdue cases to supervision"


@bp.cli.command("push")
def push():
    """Push every case whose handling is overdue to its regulators now."""
    from jobs.complaints import push_overdue_complaints

    result = push_overdue_complaints()
    click.echo(f"已推送监管 {result['pushed']} 件超期未处理的投诉")
