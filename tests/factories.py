"""factory_boy factories for the domain model, all with valid ID numbers and USCC codes."""
import random
from datetime import date
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from wagewatch.extensions import db
from wagewatch.identity import make_id_number, make_uscc
from wagewatch.models import Employment, Enterprise, Project, Team
from wagewatch.people import new_worker
from wagewatch.registration import place_project

rng = random.Random(20261127)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class EnterpriseFactory(Base):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"新疆测试建设工程有限公司{n}")
    uscc = factory.LazyFunction(lambda: make_uscc(rng))


class ProjectFactory(Base):
    class Meta:
        model = Project

    region = "652328"
    trade = "housing"
    code = factory.Sequence(lambda n: f"XJ2022{n:09d}")
    name = factory.Sequence(lambda n: f"测试工程{n}号楼建设项目")
    address = "新疆测试地址"
    funding = "government"
    contract_amount = Decimal("1000000.00")
    registered_on = factory.Sequence(lambda n: date(2022, 5, 1 + n % 28))
    planned_start = date(2022, 5, 20)
    planned_end = date(2023, 9, 30)
    payday = 15
    owner = factory.SubFactory(EnterpriseFactory)
    contractor = factory.SubFactory(EnterpriseFactory)
    review_status = "pending"
    status = "not_started"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        owner, contractor = kwargs.pop("owner"), kwargs.pop("contractor")
        region, trade = kwargs.pop("region", "652328"), kwargs.pop("trade", "housing")
        project = model_class(*args, owner_id=owner.id, contractor_id=contractor.id, **kwargs)
        place_project(project, region, trade)
        db.session.add(project)
        db.session.flush()
        return project


def make_worker(name: str = "买买提·艾力", region_code: str = "650102", phone: str | None = "13899990000"):
    worker = new_worker(make_id_number(rng, region_code), name, phone)
    db.session.add(worker)
    db.session.flush()
    return worker


class TeamFactory(Base):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"钢筋班{n}")
    project_id = None


def employ(project, worker, team=None, joined_on=date(2022, 5, 12), left_on=None, trade_code="020",
           contract_signed=True) -> Employment:
    employment = Employment(project_id=project.id, worker_id=worker.id, team_id=team.id if team else None,
                            trade_code=trade_code, role=20, contract_signed=contract_signed,
                            joined_on=joined_on, left_on=left_on)
    db.session.add(employment)
    db.session.flush()
    return employment
