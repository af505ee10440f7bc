"""R2 figures computed set-based in SQL equal the pure rule functions, on SQLite and PostgreSQL, without N+1."""
from datetime import date

from sqlalchemy import event

from tests.conftest import make_user
from tests.wages_data import MONTH, attend, build_month, rule_lines
from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.models import AttendanceDay
from wagewatch.rules import wages as rules
from wagewatch.settings import rule_settings
from wagewatch.wages.queries import month_figures, month_verdicts


def expected(project, workers, payrolls, settings, has_account=True):
    attended = db.session.scalars(db.select(AttendanceDay.worker_id).where(
        AttendanceDay.project_id == project.id)).all()
    return rules.figures(rule_lines(payrolls), set(attended), len(workers), has_account, settings)


def test_sql_figures_equal_the_rule_functions(any_app):
    settings = rule_settings()
    first, w1, s1 = build_month()
    second, w2, s2 = build_month("哈密市伊州区道路工程", region="650502", trade="transport", account=False)
    db.session.commit()
    found = month_figures([first.id, second.id], MONTH, settings)
    assert found[first.id] == expected(first, w1, s1, settings)
    assert found[second.id] == expected(second, w2, s2, settings, has_account=False)
    fig = found[first.id]
    assert (fig.employed, fig.attended, fig.on_payroll, fig.paid, fig.failed, fig.retrying) == (8, 7, 7, 5, 1, 1)
    assert fig.attended_paid == 4 and fig.below_min == 1 and fig.outliers == 1 and fig.paid_no_attendance == 1
    assert str(fig.amount_due) == "89500.00" and str(fig.amount_paid) == "73660.00"


def test_figures_accept_a_scope_subquery_and_take_a_fixed_number_of_statements(any_app):
    settings = rule_settings()
    for n in range(6):
        build_month(f"木垒县测试工程{n}")
    other, _w, _s = build_month("哈密市伊州区道路工程", region="650502", trade="transport")
    db.session.commit()
    user = make_user("muleixian", region="652328")
    statements = []
    listener = lambda *args: statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = month_verdicts(scope.project_ids(user), MONTH, date(2026, 10, 16), settings)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(found) == 6 and other.id not in found
    assert len(statements) <= 6
    verdict = next(iter(found.values()))[1]
    assert verdict.status == "failed" or verdict.status == "processing"


def test_attendance_outside_the_month_does_not_count(any_app):
    project, workers, _sheets = build_month()
    attend(project, workers[7], 5, month="2026-10")
    db.session.commit()
    assert month_figures([project.id], MONTH, rule_settings())[project.id].attended == 7
    assert month_figures([project.id], "2026-10", rule_settings())[project.id].attended == 1
    assert month_figures([project.id], "2026-08", rule_settings()) == {}


def test_the_detail_review_agrees_with_the_stored_figures(any_app):
    from wagewatch.wages.detail import review

    settings = rule_settings()
    project, _w, _s = build_month()
    db.session.commit()
    today = date(2026, 10, 16)
    fig, verdict = month_verdicts([project.id], MONTH, today, settings)[project.id]
    assert review(project, MONTH, today, settings).result == (fig, verdict)
    assert review(project, "2026-07", today, settings).result is None
