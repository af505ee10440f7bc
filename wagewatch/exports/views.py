"""我的导出 and the export flow: request an export, poll its status, download the file."""
import re
from pathlib import Path
from urllib.parse import quote

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from jobs.exports import build_export, export_failed, rq_job_id, settle_if_lost
from wagewatch import audit
from wagewatch.exports.blueprint import bp
from wagewatch.exports.forms import export_params
from wagewatch.exports.queries import downloadable, own_export_or_404, user_exports
from wagewatch.exports.registry import EXPORTS
from wagewatch.extensions import db
from wagewatch.htmx import render, wants_fragment
from wagewatch.jobs_runner import enqueue
from wagewatch.models import ExportJob
from wagewatch.models._types import utcnow
from wagewatch.personal_search import protect
from wagewatch.settings import rule_settings


@bp.get("")
@login_required
def index():
    exports = [settle_if_lost(export) for export in user_exports(current_user)]
    return render("exports/index.html", "exports/_list.html", exports=exports, specs=EXPORTS,
                  keep_days=int(rule_settings()["export.keep_days"]))


@bp.post("")
@login_required
def create():
    spec, params = EXPORTS.get(request.form.get("kind", "")), export_params(request.form)
    if spec is None or not spec.scope or params is None:
        abort(400)  # unknown kind, a kind that declares no scope, or tampered filters
    params = protect(params)  # an ID number or phone is stored and audited as its keyed hash and mask only
    if spec.needs_reviewer and not current_user.can_review:
        abort(403)  # the list itself is visible, so refusing the export leaks nothing
    description = spec.describe(current_user, params)[:300]  # 404 here for a project outside the user's scope
    export = ExportJob(user_id=current_user.id, org_id=current_user.org_id, kind=spec.kind, params=params,
                       description=description, status="queued",
                       filename=spec.filename(current_user, params, utcnow()))
    db.session.add(export)
    db.session.flush()
    audit.record("export_requested", export, kind=spec.kind, params=params)
    db.session.commit()
    outcome = enqueue("exports", build_export, export.id, on_failure=export_failed, job_id=rq_job_id(export.id))
    status = 200
    if not outcome.started:
        export.status, export.error = "failed", outcome.message
        db.session.commit()
        status = 503  # honest: the job service is down; the page itself keeps working
    if not wants_fragment():
        return redirect(url_for("exports.detail", export_id=export.id), 303)
    db.session.refresh(export)
    return _status(export, status)


@bp.get("/<int:export_id>")
@login_required
def detail(export_id: int):
    export = settle_if_lost(own_export_or_404(current_user, export_id))
    return render("exports/detail.html", "exports/_status.html", export=export, spec=EXPORTS.get(export.kind))


@bp.get("/<int:export_id>/status")
@login_required
def status(export_id: int):
    return _status(settle_if_lost(own_export_or_404(current_user, export_id)))


def _status(export: ExportJob, code: int = 200):
    response = current_app.make_response((render_template("exports/_status.html", export=export,
                                                          spec=EXPORTS.get(export.kind)), code))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:export_id>/download")
@login_required
def download(export_id: int):
    export = own_export_or_404(current_user, export_id)
    spec = EXPORTS.get(export.kind)
    if spec is None or (spec.needs_reviewer and not current_user.can_review):
        abort(404)  # the user lost the right to this data since the export was built
    path = Path(current_app.config["EXPORT_DIR"]) / (export.file or "")
    if not downloadable(current_user, export) or not path.is_file():
        abort(404)  # not ready, deleted after export.keep_days, or built for the user's former org
    audit.record("export_downloaded", export, kind=export.kind)
    db.session.commit()
    response = send_file(path, as_attachment=True, max_age=0,
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = content_disposition(export.filename or path.name, export.kind)
    return response


def content_disposition(name: str, kind: str) -> str:
    """RFC 6266: the Chinese name as filename*=UTF-8''…, and a readable ASCII fallback (工程清单_… → projects_…)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "", name)
    fallback = fallback if fallback[:1].isalnum() else f"{kind}{fallback}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
