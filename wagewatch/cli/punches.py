"""flask punches partitions / archive: the punches' monthly partitions by hand (jobs/partitions.py)."""
import click


def register(app) -> None:
    @app.cli.group("punches")
    def punches_group():
        """打卡记录: monthly partitions and their archive (PostgreSQL)."""

    @punches_group.command("partitions")
    @click.option("--ahead", default=3, show_default=True, help="coming months to create")
    def create_partitions(ahead):
        """Create this month's and the coming months' partitions now (what the nightly job does)."""
        from jobs.partitions import create_punch_partitions

        created = create_punch_partitions(ahead=ahead)["created"]
        click.echo("已创建分区：" + ("、".join(created) if created else "无（均已存在）"))

    @punches_group.command("archive")
    @click.option("--dir", "directory", default=None, help="where the .csv.gz files go (default: PUNCH_ARCHIVE_DIR)")
    @click.option("--keep-months", type=click.IntRange(min=1), default=None,
                  help="override attendance.punch_keep_months")
    def archive(directory, keep_months):
        """Detach, dump (gzip CSV) and drop the months older than the retention; 考勤日报 stay."""
        from jobs.partitions import archive_old_punches

        result = archive_old_punches(directory=directory, keep_months=keep_months)
        if result.get("skipped"):
            click.echo(f"无需归档：{result['skipped']}")
        for name, path, rows in result["archived"]:
            click.echo(f"已归档 {name}：{rows} 条 → {path}")
        for name in result["refused"]:
            click.echo(f"未归档 {name}：尚有未汇总进考勤日报的打卡，请先运行 flask attendance aggregate", err=True)
        if result["refused"]:
            raise SystemExit(1)
        if not result["archived"] and not result.get("skipped"):
            click.echo("没有超过保留期的月份")
