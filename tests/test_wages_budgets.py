"""工资代发实时进度 on a slow link: DESIGN §8 byte budgets at the worst case (every flag), no query per row."""
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import event

from tests.test_projects_budgets import FRAGMENT_BUDGET, HX, PAGE_BUDGET, compressed, make_projects
from tests.wages_data import build_month
from wagewatch.extensions import db
from wagewatch.models import WageProgress
from wagewatch.rules import wages as rules

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)


def flagged_rows(projects) -> None:
    """Every project-month with all six flags and their reasons (the longest a row gets)."""
    fig = rules.Figures(employed=128, attended=117, on_payroll=120, paid=96, failed=12, retrying=6, pending=6,
                        amount_due=Decimal("1234567.89"), amount_paid=Decimal("987654.32"), attended_paid=93,
                        below_min=3, outliers=1, paid_no_attendance=2, has_account=False)
    verdict = rules.evaluate(fig, "2026-09", 15, date(2026, 11, 2), {
        "wage.min_monthly": Decimal(1900), "wage.full_month_days": Decimal(22),
        "wage.outlier_monthly": Decimal(50000), "wage.coverage_red_ratio": Decimal("0.10")})
    from wagewatch.wages.refresh import row_of

    for n, project in enumerate(projects):
        db.session.add(WageProgress(**row_of(project.id, "2026-09", fig, verdict, NOW)))
        fig = rules.Figures(**{**fig.__dict__, "amount_due": fig.amount_due + n})
    db.session.commit()


def test_progress_page_and_20_row_fragment_fit_the_budgets(client, login, frozen_clock):
    frozen_clock.set(NOW)
    login(region="652328")
    flagged_rows(make_projects(25, review_status="approved", status="in_progress"))
    url = "/wages/progress?month=2026-09"
    assert compressed(client.get(url)) <= PAGE_BUDGET
    assert compressed(client.get(url, headers=HX)) <= FRAGMENT_BUDGET


def test_progress_and_detail_run_a_fixed_number_of_queries(client, login, frozen_clock):
    frozen_clock.set(NOW)
    login(region="652328")
    statements = []

    def count(*args):
        statements.append(args[2])

    def queries(url: str) -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url, headers=HX).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    flagged_rows(make_projects(3, review_status="approved", status="in_progress"))
    few = queries("/wages/progress?month=2026-09")
    flagged_rows(make_projects(20, review_status="approved", status="in_progress"))
    more = queries("/wages/progress?month=2026-09")
    flagged_rows(make_projects(40, review_status="approved", status="in_progress"))
    # the pager reads the keys of the pages it links (at most two seeks more), never a query per row
    assert few <= more <= few + 2 and queries("/wages/progress?month=2026-09") <= few + 2
    project, _workers, sheets = build_month()
    db.session.commit()
    detail = queries(f"/wages/progress/detail?project_id={project.id}&month=2026-09&sheet={sheets[0].id}")
    assert detail <= 16
