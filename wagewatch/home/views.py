"""The overview page and the help page."""
from flask import current_app, render_template
from flask_login import current_user, login_required

from wagewatch.home.blueprint import bp
from wagewatch.home.queries import project_counts
from wagewatch.models.projects import PROJECT_STATUSES, REVIEW_STATUSES


@bp.get("/")
@login_required
def index():
    return render_template("home/index.html", counts=project_counts(current_user),
                           review_labels=REVIEW_STATUSES, status_labels=PROJECT_STATUSES)


@bp.get("/help")
@login_required
def help():
    return render_template("home/help.html", phones=current_app.config["SUPPORT_PHONES"],
                           online=current_app.config["SUPPORT_ONLINE"])
