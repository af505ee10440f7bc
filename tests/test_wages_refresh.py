"""The stored R2 rows: recomputed when sheets or bank results arrive and nightly; idempotent; stale rows removed."""
from datetime import datetime, timezone

from sqlalchemy import func, select

from jobs.wages import refresh_wage_progress
from tests.test_api_support import Api, seeded_project
from tests.test_api_validation import payroll
from tests.wages_data import MONTH, build_clean, build_month
from wagewatch.extensions import db
from wagewatch.models import Payroll, PayrollLine, WageProgress
from wagewatch.wages import refresh

NOW = datetime(2026, 10, 20, 2, 0, tzinfo=timezone.utc)


def stored(project_id, month=MONTH):
    db.session.expire_all()
    return db.session.scalars(select(WageProgress).where(WageProgress.project_id == project_id,
                                                         WageProgress.month == month)).one_or_none()


def snapshot():
    db.session.expire_all()
    return sorted((p.project_id, p.month, p.status, p.flag_codes, p.paid, p.amount_paid, p.ratio)
                  for p in db.session.scalars(select(WageProgress)))


def test_refresh_twice_gives_the_same_rows(any_app, frozen_clock):
    frozen_clock.set(NOW)
    build_month()
    build_clean()
    db.session.commit()
    assert refresh_wage_progress(MONTH) == 2
    first = snapshot()
    frozen_clock.advance(minutes=5)
    assert refresh_wage_progress(MONTH) == 2
    assert snapshot() == first and len(first) == 2
    assert {p.computed_at for p in db.session.scalars(select(WageProgress))} == {NOW.replace(minute=5)}


def test_a_project_month_without_data_any_more_is_removed(app, frozen_clock):
    frozen_clock.set(NOW)
    clean, _people = build_clean()
    db.session.commit()
    refresh_wage_progress(MONTH, [clean.id])
    assert stored(clean.id) is not None
    sheet = db.session.scalars(select(Payroll)).one()
    db.session.execute(db.delete(PayrollLine).where(PayrollLine.payroll_id == sheet.id))
    db.session.execute(db.delete(Payroll))
    db.session.execute(db.text("DELETE FROM attendance_days"))
    db.session.commit()
    frozen_clock.advance(minutes=1)
    refresh_wage_progress(MONTH, [clean.id])
    assert stored(clean.id) is None


def test_nightly_refresh_covers_recent_months_and_moves_statuses_with_the_date(app, frozen_clock):
    frozen_clock.set(datetime(2026, 10, 10, 2, 0, tzinfo=timezone.utc))
    first, _w, _s = build_month()
    db.session.commit()
    refresh_wage_progress()
    assert stored(first.id).status == "not_due" and stored(first.id).flag_codes.count("PAY_LATE") == 0
    assert refresh.recent_months(datetime(2026, 1, 5).date()) == ["2026-01", "2025-12", "2025-11", "2025-10"]
    frozen_clock.set(datetime(2026, 10, 16, 2, 0, tzinfo=timezone.utc))
    refresh_wage_progress()
    assert stored(first.id).status == "processing" and ",PAY_LATE," in stored(first.id).flag_codes


def test_payroll_and_bank_results_through_the_api_refresh_the_project_month(any_app, frozen_clock):
    frozen_clock.set(datetime(2022, 6, 20, 2, 0, tzinfo=timezone.utc))
    api = Api(any_app)
    project, ids = seeded_project(3)
    assert api.post("/payrolls", payroll(project, ids)).status_code == 201
    row = stored(project.id, "2022-05")
    assert (row.on_payroll, row.paid, row.status) == (3, 0, "processing")
    results = {"batch_no": "B1", "results": [{"id_number": i, "status": "paid", "amount_paid": "5280.00",
                                              "paid_at": "2022-06-15T10:02:00+08:00", "fail_reason": None}
                                             for i in ids]}
    assert api.post("/payrolls/GZ-652927-202205-01/bank-results", results).status_code == 200
    row = stored(project.id, "2022-05")
    assert (row.paid, row.status) == (3, "paid_full")
    assert ",PAID_NO_ATTENDANCE," in row.flag_codes   # the seeded roster has no attendance in 2022-05
    before = db.session.scalar(select(func.count()).select_from(WageProgress))
    assert api.post("/payrolls/GZ-652927-202205-01/bank-results", results).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(WageProgress)) == before


def test_cli_refresh(app, frozen_clock):
    frozen_clock.set(NOW)
    build_clean()
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["wages", "refresh", "--month", MONTH])
    assert result.exit_code == 0 and "工资代发进度已更新：1 个工程月份" in result.output
    bad = runner.invoke(args=["wages", "refresh", "--month", "2026-13"])
    assert bad.exit_code != 0 and "月份格式应为YYYY-MM" in bad.output


def test_cli_refresh_all_fills_every_month_with_data(app, frozen_clock):
    from tests.wages_data import attend

    frozen_clock.set(NOW)
    project, people = build_clean()
    attend(project, people[0], 3, month="2026-06")
    db.session.commit()
    assert refresh.months_with_data() == ["2026-06", "2026-07", "2026-08", "2026-09"]
    result = app.test_cli_runner().invoke(args=["wages", "refresh", "--all"])
    assert result.exit_code == 0 and "2 个工程月份" in result.output
    assert stored(project.id, "2026-06").status == "no_payroll"
