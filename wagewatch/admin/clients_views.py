"""接口凭证 (系统管理员 of the 自治区): intake API clients — create (token shown once), list with usage, revoke."""
from flask import abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select, update
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length

from wagewatch import audit
from wagewatch.admin.access import at_platform_top, role_required
from wagewatch.admin.blueprint import bp
from wagewatch.admin.forms import ActionForm
from wagewatch.api.auth import NAME_MAX, issue_client
from wagewatch.extensions import db
from wagewatch.htmx import render
from wagewatch.models import ApiClient
from wagewatch.models._types import utcnow
from wagewatch.models.api import API_SCOPES
from wagewatch.projects.forms import clean

SCOPE_LABELS = {"projects": "工程登记", "workers": "实名制人员", "attendance": "考勤打卡", "payrolls": "工资单",
                "bank": "银行代发", "complaints": "欠薪投诉"}
MAX_ID = 2**31 - 1


class ApiClientForm(FlaskForm):
    name = StringField("客户端名称", filters=[clean], validators=[
        DataRequired("请输入客户端名称"), Length(max=NAME_MAX, message=f"客户端名称最多{NAME_MAX}个字符")])
    scopes = SelectMultipleField("权限范围", choices={s: SCOPE_LABELS.get(s, s) for s in API_SCOPES},
                                 validators=[DataRequired("请至少选择一项权限")],
                                 option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False))


def _region_sysadmin():
    if not at_platform_top(current_user):
        abort(403)  # API clients report for every region and industry; only the 自治区人社厅 issues them


def _list(form=None, status=200, token=None, created=None):
    clients = list(db.session.scalars(select(ApiClient).order_by(ApiClient.active.desc(), ApiClient.name)))
    response = render("admin/clients.html", "admin/_clients.html", status=status, clients=clients,
                      form=form or ApiClientForm(formdata=None), action=ActionForm(), token=token, created=created,
                      scope_labels=SCOPE_LABELS)
    response.headers["Cache-Control"] = "no-store"  # the page may carry a token shown this once
    return response


@bp.get("/clients")
@role_required("sysadmin")
def clients():
    _region_sysadmin()
    return _list()


@bp.post("/clients")
@role_required("sysadmin")
def create_client():
    _region_sysadmin()
    form = ApiClientForm()
    if not form.validate_on_submit():
        return _list(form, 422)
    try:
        client, token = issue_client(form.name.data, form.scopes.data)
    except ValueError as error:
        form.name.errors.append(str(error))
        return _list(form, 422)
    client.created_by = current_user.id
    audit.record("api_client.created", client, name=client.name, scopes=client.scopes)
    db.session.commit()
    return _list(token=token, created=client)  # shown in this response only; it is stored hashed


@bp.post("/clients/<int:client_id>/revoke")
@role_required("sysadmin")
def revoke_client(client_id: int):
    _region_sysadmin()
    if not 0 < client_id <= MAX_ID or not ActionForm().validate_on_submit():
        abort(404 if not 0 < client_id <= MAX_ID else 400)
    client = db.session.get(ApiClient, client_id) or abort(404)
    done = db.session.execute(update(ApiClient).where(ApiClient.id == client_id, ApiClient.active.is_(True))
                              .values(active=False, revoked_at=utcnow())
                              .execution_options(synchronize_session=False)).rowcount
    if done:
        audit.record("api_client.revoked", client, name=client.name)
    db.session.commit()
    flash(f"已吊销接口凭证 {client.name}，其令牌立即失效。" if done else f"接口凭证 {client.name} 已吊销。", "info")
    return redirect(url_for("admin.clients"), 303)


