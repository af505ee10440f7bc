"""The 人员考勤日报表 search bar (GET, no CSRF): 工程, 所在区域, 班组 (of the chosen 工程), 姓名, 身份证号, 日期 from–to, 考勤状态."""
from datetime import date, timedelta

from sqlalchemy import select
from wtforms import Form, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from wagewatch import clock, scope
from wagewatch.extensions import db
from wagewatch.forms import JurisdictionFilters, RegionField
from wagewatch.models import Team
from wagewatch.models.attendance import DAY_STATUSES
from wagewatch.personal_search import KeyedHashField
from wagewatch.projects.forms import DateText, clean, page_error
from wagewatch.validators import id_number_error, normalize_id_number

MAX_DAYS = 31
# The fields shown in the filter bar (their errors appear beside them); other parameters' errors go to its summary.
FILTER_FIELDS = ("region", "team", "name", "id_number", "date_from", "date_to", "status", "sort")
SORTS = {"-day": "日期 新→旧", "day": "日期 旧→新", "project": "按工程"}
STATUSES = {"": "全部", **DAY_STATUSES}


def _choice(options: dict, message: str):
    def check(form, field):
        if (field.data or "") not in options:
            raise ValidationError(message)
    return check


class DailyFilterForm(JurisdictionFilters, Form):
    project_id = StringField("工程", filters=[clean])
    region = RegionField("所在区域", default="")
    team = SelectField("班组", validate_choice=False, default="")
    name = StringField("姓名", filters=[clean], validators=[Optional(), Length(max=64, message="姓名最多64个字")])
    # Typed, posted, and replaced by its keyed hash in the URL (personal_search): never in a URL in clear.
    id_number = StringField("身份证号", filters=[clean])
    id_hash = KeyedHashField()
    worker_id = StringField("工人编号", filters=[clean])
    date_from = DateText("日期从")
    date_to = DateText("至")
    status = SelectField("考勤状态", choices=STATUSES, validate_choice=False, default="",
                         validators=[_choice(STATUSES, "考勤状态只能是正常或单次打卡")])
    sort = SelectField("排序", choices=SORTS, validate_choice=False, default="-day",
                       validators=[_choice(SORTS, "未知的排序方式")])
    after = StringField("之后", filters=[clean])
    before = StringField("之前", filters=[clean])
    page = StringField("页码", default="1")

    def __init__(self, formdata, user):
        super().__init__(formdata)
        self.user = user
        self.limit_to(user)
        yesterday = clock.beijing_today() - timedelta(days=1)
        # Default: yesterday, the last day the nightly run has completed.
        if not self.date_from.raw_data or not self.date_from.raw_data[0]:
            self.date_from.data, self.date_from.raw_data = yesterday, [yesterday.isoformat()]
        if not self.date_to.raw_data or not self.date_to.raw_data[0]:
            end = max(self.date_from.data or yesterday, yesterday)  # from a given day up to yesterday
            self.date_to.data, self.date_to.raw_data = end, [end.isoformat()]
        self.sort.data = self.sort.data or "-day"
        self.team.choices = {"": "全部", **self._teams()} if self.project_id.data else {"": "请先选择工程"}

    def _teams(self) -> dict:
        """The chosen project's teams (the view has already answered 404 for a project outside the scope)."""
        raw = self.project_id.data or ""
        if not (raw.isascii() and raw.isdecimal()) or not 0 < int(raw) <= scope.MAX_ID:
            return {}
        stmt = select(Team.id, Team.name).where(Team.project_id == int(raw)).order_by(Team.name, Team.id)
        return {str(team_id): name for team_id, name in db.session.execute(stmt)}

    def validate_team(self, field):
        if field.data and field.data not in self.team.choices:
            raise ValidationError("所选班组不属于该工程" if self.project_id.data else "请先选择工程，再选班组")

    def validate_id_number(self, field):
        if field.data:
            message = id_number_error(normalize_id_number(field.data))
            raise ValidationError("请输入完整、正确的18位身份证号：" + (message or "请重新搜索"))

    def validate_date_to(self, field):
        start, end = self.date_from.data, field.data
        if start and end:
            if end < start:
                raise ValidationError("结束日期不能早于开始日期")
            if (end - start).days + 1 > MAX_DAYS:
                raise ValidationError(f"每次最多查询{MAX_DAYS}天，请缩小日期范围")

    def validate_page(self, field):
        message = page_error(field.data)
        if message:
            raise ValidationError(message)

    def filters(self) -> dict:
        """The search values without empties: what the query, the links and the export use."""
        found = {key: (self[key].data or "").strip() for key in ("project_id", "region", "team", "name",
                                                               "id_hash", "worker_id", "status")}
        found = {key: value for key, value in found.items() if value}
        found["date_from"], found["date_to"] = self.date_from.data, self.date_to.data
        return found

    def args(self) -> dict:
        """The filters as query-string values (dates as text), sort included, cursor and page left out."""
        args = {key: (value.isoformat() if isinstance(value, date) else value)
                for key, value in self.filters().items()}
        if self.sort.data != "-day":
            args["sort"] = self.sort.data
        return args

    def page_number(self) -> int:
        return int(self.page.data or 1) if not self.page.errors else 1
