"""Saving a threshold that stored figures depend on recomputes those figures through the job runner."""
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from wagewatch.extensions import db
from wagewatch.jobs_runner import enqueue

# Which stored figures read which thresholds: wage.* → 工资代发实时进度 (wage_progress) and 数据通报's
# 按月足额支付率 (R2 with the same thresholds); realname.* → 实名制进度预警 (project_realname) and 数据通报;
# complaint.close_days → 数据通报's 投诉按期办结率. Other thresholds are read live, at the next use.
WAGES, INDICATORS = "wages", "indicators"
SCREENS = {WAGES: "工资代发实时进度", INDICATORS: "实名制进度预警、数据通报"}


def dependents(code: str) -> tuple[str, ...]:
    if code.startswith("wage."):
        return WAGES, INDICATORS
    if code.startswith("realname.") or code == "complaint.close_days":
        return (INDICATORS,)
    return ()


def _job(name: str):
    from jobs.indicators import refresh_indicators  # jobs import the application package, not the reverse
    from jobs.wages import refresh_wage_progress

    return {WAGES: refresh_wage_progress, INDICATORS: refresh_indicators}[name]


def recompute(code: str) -> str | None:
    """Called once the new value is committed (a job reads it from its own session). Returns the sentence the
    page shows, or None when nothing stored depends on the threshold. The wage figures go first: the
    bulletin's 按月足额支付率 and the 工资代发实时进度 list then agree."""
    names = dependents(code)
    if not names:
        return None
    screens = "、".join(SCREENS[name] for name in names)
    try:
        outcomes = [enqueue("nightly", _job(name)) for name in names]
    except SQLAlchemyError:  # only when the job ran here (no Redis) and failed: the nightly run redoes it
        db.session.rollback()
        current_app.logger.exception("recomputation after changing %s failed", code)
        return f"{screens}的数据未能重新计算，将在夜间计算时按新值更新。"
    if not all(outcome.started for outcome in outcomes):
        return f"{screens}的数据现在无法重新计算（后台任务服务暂时不可用），将在夜间计算时按新值更新。"
    if all(outcome.inline for outcome in outcomes):
        return f"{screens}的数据已按新值重新计算。"
    return f"{screens}的数据正在按新值重新计算，完成后页面的“数据更新于”随之更新。"
