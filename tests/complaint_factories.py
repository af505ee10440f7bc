"""Complaints for the 欠薪投诉监控 tests, stored the way the intake stores them (encrypted ID, keyed hashes)."""
import itertools
import random
from datetime import UTC, datetime, timedelta

from wagewatch import crypto
from wagewatch.extensions import db
from wagewatch.identity import make_id_number
from wagewatch.masking import mask_id
from wagewatch.models import Complaint, ComplaintEvent

rng = random.Random(13)
numbers = itertools.count(1)


def make_complaint(project=None, region="652328", industry="housing", submitted_at=None, id_number=None,
                   phone="13800138000", name="张楠懿", events=True, **fields) -> Complaint:
    submitted_at = submitted_at or datetime.now(UTC) - timedelta(hours=2)
    id_number = id_number or make_id_number(rng, "450102")
    complaint = Complaint(
        complaint_no=fields.pop("complaint_no", f"TS2026{next(numbers):08d}"),
        project_id=project.id if project else None,
        project_name=fields.pop("project_name", project.name if project else "pyq测试工程新疆某某项目"),
        contractor_name=fields.pop("contractor_name", "广西东信云网科技有限公司"),
        complainant_name=name, complainant_id_enc=crypto.encrypt(id_number),
        complainant_id_hash=crypto.lookup_hash(id_number), complainant_id_masked=mask_id(id_number),
        complainant_phone=phone, type=fields.pop("type", "拖欠工资"), amount_claimed=fields.pop("amount_claimed", 3000),
        workers_involved=1, description="拖欠工资三个月", submitted_at=submitted_at,
        status=fields.pop("status", "open"), appeal_status=fields.pop("appeal_status", "none"),
        supervision_status=fields.pop("supervision_status", "none"),
        checks=fields.pop("checks", [{"code": "no_wage_account", "label": "工程未绑定工资专户"}]), **fields)
    if project is not None:
        complaint.region_code, complaint.prefecture_code = project.region_code, project.prefecture_code
        complaint.industry = project.industry
    else:
        complaint.set_region(region)
        complaint.industry = industry
    db.session.add(complaint)
    db.session.flush()
    if events:
        db.session.add(ComplaintEvent(complaint_id=complaint.id, at=submitted_at, actor="complainant",
                                      kind="submitted", note="投诉人提交投诉"))
        db.session.flush()
    return complaint
