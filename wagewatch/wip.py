"""建设中: every navigation entry whose screen is not built yet answers a clear page, never an error."""
from flask import render_template
from flask_login import login_required

from wagewatch.navigation import leaves


def register_unbuilt_screens(app) -> None:
    for item in leaves():
        if item.endpoint in app.view_functions:
            continue

        def view(label=item.label):
            return render_template("_shared/wip.html", label=label)

        app.add_url_rule(item.path, endpoint=item.endpoint, view_func=login_required(view))
