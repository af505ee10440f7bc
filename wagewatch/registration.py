"""Create enterprises and projects through one path (intake API, demo data, factories)."""
from sqlalchemy import select

from wagewatch.extensions import db
from wagewatch.models import Enterprise, Project
from wagewatch.orgs import supervising_orgs


def ensure_enterprise(name: str, uscc: str) -> Enterprise:
    enterprise = db.session.scalars(select(Enterprise).where(Enterprise.uscc == uscc)).one_or_none()
    if enterprise is None:
        enterprise = Enterprise(name=name, uscc=uscc)
        db.session.add(enterprise)
        db.session.flush()
    elif enterprise.name != name:
        enterprise.name = name
    return enterprise


def place_project(project: Project, region_code: str, industry: str) -> Project:
    """Set region, industry and the derived 人社监管单位 / 行业监管单位."""
    project.set_region(region_code)
    project.industry = industry
    hr_org, industry_org = supervising_orgs(region_code, industry)
    project.hr_org_id = hr_org.id if hr_org else None
    project.industry_org_id = industry_org.id if industry_org else None
    return project
