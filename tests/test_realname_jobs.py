"""The nightly refresh of R1 and the 数据通报 figures: idempotent, scheduled after the aggregation, runnable by hand."""
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
