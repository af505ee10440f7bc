"""flask setup: load reference data (idempotent)."""
import click

from wagewatch.reference import load_all


def register(app) -> None:
    @app.cli.command("setup")
    def setup_command():
        """Load regions, the org tree, code tables and default rule settings."""
        counts = load_all()
        click.echo("参考数据已加载: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
