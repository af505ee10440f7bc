"""The ten rows of the manual's 实名制进度预警 table (§4), rebuilt as approved projects 在建 with the same facts."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wagewatch.demo import enterprises
from wagewatch.demo.context import DemoContext, Site
from wagewatch.demo.names import han_name, phone
from wagewatch.demo.projects import new_project, open_wage_account
from wagewatch.extensions import db
from wagewatch.models import Org

ENERGY_ORG = "国网克州供电公司"


@dataclass(frozen=True)
class ManualRow:
    code: str
    name: str
    registered_on: date
    region_code: str
    industry: str
    hr_org: str
    industry_org: str
    owner: tuple[str, str]  # name, USCC kind (11 government body, 12 institution, 91 company)
    contractor: str
    active: int
    compliant: bool
    owner_uscc: str | None = None
    contractor_uscc: str | None = None


# Names complete the manual's truncated cells; each keeps the fragment the manual shows.
MANUAL_ROWS = (
    ManualRow("XJ2022042100008", "木垒县文化体育基础设施建设项目", date(2022, 4, 21), "652328", "housing",
              "木垒县人社局", "木垒县住建局", ("木垒哈萨克自治县文化体育广播电视和旅游局", "11"),
              "新疆哈建建筑工程有限公司", 0, False),
    ManualRow("XJ2022050800017", "乌什县第二中学教学楼建设项目（工程总承包）", date(2022, 5, 8), "652927", "housing",
              "乌什县人社局", "乌什县住建局", ("乌什县住房和城乡建设局", "11"), "乌什县新诺建设有限公司", 16, True,
              "11652927MB0123456F", "91652927MA77Q0B1PW"),
    ManualRow("XJ2022042900031", "哈密市伊州区至天山风景区旅游公路（天山—文煌）建设项目", date(2022, 4, 29), "650500",
              "transport", "哈密市人社局", "哈密市交通运输局", ("哈密市天星交通投资有限责任公司", "91"),
              "中建新疆建工(集团)有限公司", 0, False),
    ManualRow("XJ2022051200012", "新和县排先拜巴扎镇及周边乡2022年以工代赈农田水利建设项目", date(2022, 5, 12),
              "652925", "water", "新和县人社局", "新和县水利局", ("新和县排先拜巴扎镇人民政府", "11"),
              "新疆建隆浩然建设工程有限公司", 0, False),
    ManualRow("XJ2022051100005", "2022年阿合奇县农网改造升级工程", date(2022, 5, 11), "653023", "energy",
              "阿合奇县人社局", ENERGY_ORG, ("国网新疆电力有限公司克州供电公司", "91"),
              "新疆新能电力建设科技发展有限公司", 20, True),
    ManualRow("XJ2022042600023", "新疆玉洲建设工程有限公司洛神花园住宅小区建设项目", date(2022, 4, 26), "653224",
              "housing", "洛浦县人社局", "洛浦县住建局", ("新疆玉洲建设工程有限公司", "91"),
              "新疆玉洲建设工程有限公司", 20, True),
    ManualRow("XJ2022051200027", "叶城县2022年车购税补助部分庇护站建设项目", date(2022, 5, 12), "653126", "transport",
              "叶城县人社局", "叶城县交通运输局", ("叶城县交通运输局", "11"),
              "新疆祥瑞盛宇建设集团有限公司叶城分公司", 0, False),
    ManualRow("XJ2022042900046", "库车市星宇·欣诚花园住宅小区建设项目（三期）", date(2022, 4, 29), "652902", "housing",
              "库车市人社局", "库车市住建局", ("新疆星宇欣诚房地产开发有限公司", "91"), "新疆星宇建设工程有限公司",
              0, False),
    ManualRow("XJ2022050600014", "阿合奇县2021年乡镇干部周转房建设项目", date(2022, 5, 6), "653023", "housing",
              "阿合奇县人社局", "阿合奇县住建局", ("中共阿合奇县委员会组织部", "11"),
              "新疆彦鑫建筑安装工程有限责任公司", 17, True),
    ManualRow("XJ2022051800009", "沙雅县金胡杨畜牧养殖有限责任公司饲料加工厂建设项目总承包工程", date(2022, 5, 18),
              "652924", "housing", "沙雅县人社局", "沙雅县住建局", ("沙雅县金胡杨畜牧养殖有限责任公司", "91"),
              "沙雅县永盛建筑安装工程有限责任公司", 0, False),
)


def ensure_energy_org() -> Org:
    """克州's power-grid company supervises energy projects there (the manual's 阿合奇县 row)."""
    org = db.session.scalars(select(Org).where(Org.region_code == "653000", Org.kind == "industry",
                                               Org.industry == "energy")).one_or_none()
    if org is None:
        parent = db.session.scalars(select(Org).where(Org.region_code == "650000", Org.kind == "industry",
                                                      Org.industry == "energy")).one_or_none()
        org = Org(name=ENERGY_ORG, kind="industry", industry="energy", region_code="653000", level=2,
                  parent_id=parent.id if parent else None)
        db.session.add(org)
        db.session.flush()
    return org


def build_manual_rows(ctx: DemoContext) -> None:
    ensure_energy_org()
    for row in MANUAL_ROWS:
        county = ctx.regions[row.region_code]
        owner = enterprises.enterprise(ctx, row.owner[0], row.owner[1], row.region_code, row.owner_uscc)
        contractor = enterprises.enterprise(ctx, row.contractor, "91", row.region_code, row.contractor_uscc)
        project = new_project(ctx, county, row.industry, "approved", "in_progress", row.registered_on,
                              name=row.name, code=row.code, owner=owner, contractor=contractor)
        ctx.used_codes.add(row.code)
        if row.compliant:  # the manual's 达标 rows meet every R1 criterion
            project.labour_officer_name, project.labour_officer_phone = han_name(ctx.rng), phone(ctx.rng)
        db.session.flush()
        if row.compliant or ctx.rng.random() < 0.5:
            open_wage_account(ctx, project, county, contractor.name)
        site = Site(project=project, active=row.active, departed=ctx.rng.randint(0, 4), manual=True,
                    attendance_rate=0.93, contract_rate=1.0,
                    last_punch_day=ctx.yesterday if row.active else None)
        ctx.sites.append(site)
