"""The nightly refresh of R1 and the 数据通报 figures: idempotent, scheduled after the aggregation, runnable by hand."""
import re

from sqlalchemy import func, select

from jobs.indicators import refresh_indicators
from tests.bulletin_data import project
from wagewatch.extensions import db
from wagewatch.models import BulletinFigure, ProjectRealname


def stored():
    db.session.expire_all()
    verdicts = db.session.execute(select(ProjectRealname.project_id, ProjectRealname.compliant,
                                         ProjectRealname.failed).order_by(ProjectRealname.project_id)).all()
    figures = db.session.execute(select(BulletinFigure.region_code, BulletinFigure.indicator,
                                        BulletinFigure.numerator, BulletinFigure.denominator)
                                 .order_by(BulletinFigure.region_code, BulletinFigure.indicator)).all()
    return verdicts, figures


def test_running_twice_gives_the_same_rows(app):
    project("木垒全达标", pay="full")
    project("吉木萨尔工程", region="652327", realname=False, officer=False)
    db.session.commit()
    first = refresh_indicators()
    assert first["projects"] == 2 and first["bulletin_figures"] > 0
    before = stored()
    assert refresh_indicators() == first and stored() == before
    assert [row[1] for row in before[0]] == [True, False]


def test_scheduled_after_the_aggregation_and_runnable_by_hand(app):
    from rq import cron

    from jobs import schedule

    registered = {entry["name"]: entry for entry in cron._job_data_registry}
    assert registered["refresh_indicators"]["queue_name"] == "nightly"
    assert registered["refresh_indicators"]["cron"] == schedule.utc_cron(20, 17)  # 01:20 Beijing
    project("木垒全达标")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["indicators", "refresh"])
    assert result.exit_code == 0 and "实名制达标已更新 1 个工程" in result.output
    assert db.session.scalar(select(func.count()).select_from(ProjectRealname)) == 1


def test_refresh_and_both_screens_on_postgresql(pg_app, frozen_clock):
    from datetime import datetime

    from tests.bulletin_data import complaint
    from tests.conftest import make_user, sign_in
    from wagewatch import clock

    frozen_clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=clock.BEIJING))
    project("木垒全达标", pay="full")
    project("木垒未发", pay="unpaid", officer=False)
    complaint("TS-PG", closed_after_days=20, supervised=True)
    db.session.commit()
    assert refresh_indicators()["projects"] == 2
    client = pg_app.test_client()
    sign_in(client, make_user("pg-viewer", "652300", role="viewer"))
    listed = client.get("/realname?compliance=failed").get_data(as_text=True)
    assert "共 1 条" in listed and "未配备劳资专管员" in listed
    report = client.get("/bulletin?region=652300").get_data(as_text=True)
    assert '<tr id="bulletin-652328">' in report and "50.0%<br><small>6,000.00 / 12,000.00" in report
    from tests.bulletin_data import wage_month
    from wagewatch.wages.refresh import refresh as refresh_wages

    refresh_wages(wage_month())
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert '<a class="tile" id="desk-flag-red" href="/wages/progress?month=' in home
    assert re.search(r'id="desk-flag-red" href="[^"]+"><b>1</b>', home)  # 木垒未发: PAY_LATE / PAY_COVERAGE red
