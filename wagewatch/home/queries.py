"""Counts for the 首页, always inside the user's jurisdiction."""
from sqlalchemy import func, select

from wagewatch import scope
from wagewatch.extensions import db
from wagewatch.models import Project
from wagewatch.models.projects import PROJECT_STATUSES, REVIEW_STATUSES


def project_counts(user) -> dict:
    stmt = scope.restrict(select(Project.review_status, Project.status, func.count()), user) \
        .group_by(Project.review_status, Project.status)
    by_review = dict.fromkeys(REVIEW_STATUSES, 0)
    by_status = dict.fromkeys(PROJECT_STATUSES, 0)
    for review_status, status, count in db.session.execute(stmt):
        by_review[review_status] = by_review.get(review_status, 0) + count
        if review_status == "approved":
            by_status[status] = by_status.get(status, 0) + count
    return {"by_review": by_review, "by_status": by_status, "total": sum(by_review.values())}
