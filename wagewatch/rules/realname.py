"""R1 实名制达标: the real-name compliance verdict of one project, from counts and rule settings."""
from dataclasses import dataclass
from decimal import Decimal

CRITERIA = {
    "min_active": "在职人数不足",
    "contract_ratio": "劳动合同签订率不足",
    "update_ratio": "考勤更新率不足",
    "labour_officer": "未配备劳资专管员",
}


@dataclass(frozen=True)
class RealnameVerdict:
    failed: tuple[str, ...]  # keys of CRITERIA, in the order DESIGN lists them

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def label(self) -> str:
        return "达标" if self.ok else "未达标"

    @property
    def reasons(self) -> list[str]:
        return [CRITERIA[key] for key in self.failed]

    @property
    def text(self) -> str:
        """达标, or 未达标 with the failed criteria, e.g. 未达标（在职人数不足、未配备劳资专管员）."""
        return self.label if self.ok else f"未达标（{'、'.join(self.reasons)}）"


def _ratio(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole) if whole else Decimal(0)


def evaluate(active: int, contract_signed: int, attendance_updated: int, has_labour_officer: bool,
             settings: dict) -> RealnameVerdict:
    """R1 for an approved 在建 project.

    active: 在职 workers; contract_signed: of them, with a signed contract; attendance_updated: of them, with
    an attendance day in the last `realname.update_window_days` days. With no 在职 worker the ratios are 0,
    so the manual's first case (在职人数 0 → 未达标) fails on headcount and both ratios.
    """
    failed = []
    if Decimal(active) < Decimal(settings["realname.min_active"]):
        failed.append("min_active")
    if _ratio(contract_signed, active) < Decimal(settings["realname.contract_ratio"]):
        failed.append("contract_ratio")
    if _ratio(attendance_updated, active) < Decimal(settings["realname.update_ratio"]):
        failed.append("update_ratio")
    if not has_labour_officer:
        failed.append("labour_officer")
    return RealnameVerdict(tuple(failed))
