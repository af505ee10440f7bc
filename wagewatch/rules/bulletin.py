"""R4 数据通报: which indicator a project (or complaint) achieves, and the region figures built from them.

Pure functions, no Flask, no database: facts in, verdicts and figures out. wagewatch/bulletin/ reads the facts
set-based, stores the figures per (county, industry) and sums them for any region and any org.

Decisions where DESIGN R4 is silent:
- The bulletin of month M states the point-in-time indicators (专户, 保证金, 实名制, 公示牌, 专管员) as last computed in
  M; the monthly ones (按月足额, 总包代发, 投诉按期办结, 督办) are for the wage month W = the last month whose payday
  had passed (R2's last_passed_month with payday 28, so every project's due day has passed).
- 按月足额支付率: of the projects in force with attendance in W, those without any R2 abnormal flag.
- 总包代发率: amount paid (pay status 已发) / amount due over W's payroll lines; a project achieves it when it paid all.
- 投诉按期办结率: complaints submitted in W that are closed or past their closing deadline; on time = closed
  within complaint.close_days of submission. 督办数: complaints submitted in W that were 督办 (督办中 or 督办办结).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

DEPOSIT_OK = ("cash", "guarantee", "exempt")


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    kind: str      # rate | count
    formula: str
    source: str
    monthly: bool = False
    settings: tuple = ()  # rule_settings codes whose values the note shows


INDICATORS = (
    Indicator("projects", "在建工程数", "count", "审核已通过且工程状态为在建的工程数", "工程登记与审批"),
    Indicator("account", "专户开设率", "rate", "已开设农民工工资专用账户的在建工程数 / 在建工程数", "工资专户登记"),
    Indicator("deposit", "保证金存储率", "rate", "已存储工资保证金（现金、保函或依规免缴）的在建工程数 / 在建工程数",
              "工资保证金登记"),
    Indicator("realname", "实名制达标率", "rate", "实名制达标的在建工程数 / 在建工程数", "R1 实名制达标",
              settings=("realname.min_active", "realname.contract_ratio", "realname.update_ratio",
                        "realname.update_window_days")),
    Indicator("notice", "维权公示牌设置率", "rate", "已设置维权信息公示牌的在建工程数 / 在建工程数", "工程信息"),
    Indicator("officer", "劳资专管员配备率", "rate", "已登记劳资专管员的在建工程数 / 在建工程数", "工程信息"),
    Indicator("full_pay", "按月足额支付率", "rate", "统计月份有考勤且无工资代发异常的在建工程数 / 统计月份有考勤的在建工程数",
              "R2 工资代发进度（异常：未开设专户、逾期未足额发放、发薪人数不足、低于最低工资、单人工资异常、发薪无考勤）",
              monthly=True, settings=("wage.min_monthly", "wage.full_month_days", "wage.outlier_monthly",
                                      "wage.coverage_red_ratio")),
    Indicator("bank_pay", "总包代发率", "rate", "统计月份工资单已发放金额 / 应发金额（元）", "R2 工资单明细", monthly=True),
    Indicator("overall", "制度综合落实率", "rate", "专户、保证金、实名制、公示牌、按月足额五项均落实的在建工程数 / 在建工程数",
              "R1、R2 与工程登记信息", monthly=True),
    Indicator("complaint", "投诉按期办结率", "rate",
              "统计月份提交且已办结或已过办结时限的投诉中，按期办结的件数 / 件数", "R3 欠薪投诉",
              monthly=True, settings=("complaint.close_days",)),
    Indicator("supervised", "督办数", "count", "统计月份提交、经监管部门督办（督办中或督办办结）的投诉件数", "R3 欠薪投诉",
              monthly=True),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
PROJECT_KEYS = ("account", "deposit", "realname", "notice", "officer")
REASONS = {"account": "未开设工资专户", "deposit": "未存储工资保证金", "realname": "实名制未达标",
           "notice": "未设置维权公示牌", "officer": "未配备劳资专管员", "full_pay": "工资代发异常"}


@dataclass(frozen=True)
class ProjectFacts:
    """What R4 reads of one approved 在建 project. full_pay: None without attendance in the wage month."""

    has_account: bool
    deposit_form: str
    realname_ok: bool
    notice_board: bool
    labour_officer: bool
    full_pay: bool | None = None


def achieved(facts: ProjectFacts) -> dict[str, bool]:
    """Each point-in-time indicator, 按月足额 (when counted) and 制度综合落实 for one project."""
    found = {"account": facts.has_account, "deposit": facts.deposit_form in DEPOSIT_OK,
             "realname": facts.realname_ok, "notice": facts.notice_board, "officer": facts.labour_officer}
    if facts.full_pay is not None:
        found["full_pay"] = facts.full_pay
    found["overall"] = all(found[key] for key in ("account", "deposit", "realname", "notice")) \
        and facts.full_pay is not False
    return found


def overall_reasons(facts: ProjectFacts) -> list[str]:
    verdicts = achieved(facts)
    return [REASONS[key] for key in ("account", "deposit", "realname", "notice", "full_pay")
            if verdicts.get(key) is False]


def complaint_on_time(submitted_at: datetime, closed_at: datetime | None, now: datetime,
                      close_days: Decimal) -> bool | None:
    """True: closed within the limit; False: closed late or still open past it; None: not yet due."""
    deadline = submitted_at + timedelta(days=float(close_days))
    if closed_at is not None:
        return closed_at <= deadline
    return None if now <= deadline else False


@dataclass(frozen=True)
class Figure:
    """numerator / denominator of one indicator for one region; failing: rows of its 未达成项目清单."""

    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    failing: int = 0

    def __add__(self, other: "Figure") -> "Figure":
        return Figure(self.numerator + other.numerator, self.denominator + other.denominator,
                      self.failing + other.failing)

    @property
    def rate(self) -> Decimal | None:
        """Percent with one decimal; None when there is nothing to count."""
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.1"))


def value_of(indicator: Indicator, figure: Figure | None) -> Decimal | None:
    """The number a cell, a bar and a change compare: the rate, or the count for count indicators."""
    if figure is None:
        return None
    return Decimal(figure.numerator) if indicator.kind == "count" else figure.rate


def change(indicator: Indicator, current: Figure | None, previous: Figure | None) -> Decimal | None:
    """Against the previous month: percentage points for a rate, the difference for a count."""
    now, before = value_of(indicator, current), value_of(indicator, previous)
    if now is None or before is None:
        return None
    return now - before


def add_figures(figures: dict, key: str, achieved_it: bool, weight_num=1, weight_den=1) -> None:
    """Count one project (or complaint) into figures[key]."""
    figures[key] = figures.get(key, Figure()) + Figure(Decimal(weight_num if achieved_it else 0), Decimal(weight_den),
                                                       0 if achieved_it else 1)
