"""Forms of 系统管理: the user list's GET filters and the POST forms of 用户管理."""
from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, Regexp, ValidationError

from wagewatch.models.orgs import ROLES
from wagewatch.projects.forms import clean

USER_STATES = {"": "全部", "active": "正常", "disabled": "已停用", "locked": "已锁定"}
USERNAME = Regexp(r"^[A-Za-z0-9_.-]{3,64}$", message="用户名为3至64位字母、数字、下划线、点或连字符")


class ActionForm(FlaskForm):
    """No fields: the buttons of 停用 / 启用 / 解锁 / 重置 carry the CSRF token."""


class UserFilterForm(Form):
    q = StringField("用户名", filters=[clean], validators=[Optional(), Length(max=64, message="用户名最多64个字符")])
    org = SelectField("所属机构", validate_choice=False, default="")
    role = SelectField("角色", choices={"": "全部", **ROLES}, default="")
    state = SelectField("状态", choices=USER_STATES, default="")
    page = IntegerField("页码", validators=[Optional(), NumberRange(1, 100000, "页码应为1到100000之间的整数")])

    def __init__(self, formdata, orgs, **kwargs):
        super().__init__(formdata, **kwargs)
        self.org.choices = {"": "全部", **{str(o.id): o.name for o in orgs}}
        self._org_ids = {str(o.id) for o in orgs}

    def validate_org(self, field):
        if field.data and field.data not in self._org_ids:
            raise ValidationError("请选择列表中的机构")

    def filters(self) -> dict:
        return {key: getattr(self, key).data for key in ("q", "org", "role", "state") if getattr(self, key).data}


class _OrgRole(FlaskForm):
    org_id = SelectField("所属机构", coerce=int, validators=[DataRequired("请选择所属机构")])
    role = SelectField("角色", choices=ROLES, validators=[DataRequired("请选择角色")])

    def set_orgs(self, orgs):
        self.org_id.choices = {o.id: o.name for o in orgs}
        return self


class UserCreateForm(_OrgRole):
    username = StringField("用户名", filters=[clean], validators=[DataRequired("请输入用户名"), USERNAME])
    password = PasswordField("初始密码", validators=[DataRequired("请输入初始密码"), Length(max=256)])
    confirm = PasswordField("确认初始密码", validators=[DataRequired("请再次输入初始密码"),
                                                   EqualTo("password", "两次输入的密码不一致")])


class UserEditForm(_OrgRole):
    pass


class PasswordResetForm(FlaskForm):
    password = PasswordField("临时密码", validators=[DataRequired("请输入临时密码"), Length(max=256)])
    confirm = PasswordField("确认临时密码", validators=[DataRequired("请再次输入临时密码"),
                                                   EqualTo("password", "两次输入的密码不一致")])
