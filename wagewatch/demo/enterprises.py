"""Demo 建设单位, 总承包施工单位 and 分包单位 with valid USCC codes, reused the way real firms are."""
from wagewatch.demo.context import DemoContext
from wagewatch.identity import make_uscc
from wagewatch.models import Enterprise, Region
from wagewatch.registration import ensure_enterprise

ROOTS = ("天山 昆仑 金盛 宏远 鑫源 瑞丰 恒通 华建 丝路 胡杨 雪莲 博远 西域 新路 众鑫 润达 中泰 德汇 阳光 金桥 "
         "长城 华泰 盛世 雅丹 百川 天润 金石 锦程 富民 信达 安泰 诚信 正大 广源 北庭 楼兰 龟兹 汇丰 永盛 腾达").split()
CONTRACTOR_FORMS = {
    "housing": ("新疆{r}建设工程有限公司", "新疆{r}建筑安装工程有限责任公司", "{p}{r}建设集团有限公司"),
    "transport": ("新疆{r}路桥工程有限公司", "新疆{r}交通建设有限公司", "{p}{r}公路工程有限责任公司"),
    "water": ("新疆{r}水利水电工程有限公司", "{p}{r}水利建设有限公司"),
    "energy": ("新疆{r}电力建设有限公司", "新疆{r}输变电工程有限公司"),
    "other": ("新疆{r}建设工程有限公司", "{p}{r}建设集团有限公司", "新疆{r}工程建设有限公司"),
}
LABOUR_FORMS = ("新疆{r}劳务有限公司", "{c}{r}建筑劳务有限公司", "{c}{r}劳务派遣有限公司")

# (name form, USCC kind, funding); {f} full region name, {c} short name, {p} prefecture short name.
OWNER_FORMS = {
    "housing": (("{f}住房和城乡建设局", "11", "government"), ("{f}教育局", "11", "government"),
                ("{f}卫生健康委员会", "11", "government"), ("{f}人民医院", "12", "government"),
                ("{c}城市建设投资发展有限责任公司", "91", "state_owned"), ("新疆{r}房地产开发有限公司", "91", "private")),
    "transport": (("{f}交通运输局", "11", "government"), ("{p}交通建设投资有限责任公司", "91", "state_owned")),
    "water": (("{f}水利局", "11", "government"), ("{c}水务投资有限公司", "91", "state_owned")),
    "energy": (("国网新疆电力有限公司{p}供电公司", "91", "state_owned"), ("新疆{r}新能源有限公司", "91", "private")),
    "rail": (("中国铁路乌鲁木齐局集团有限公司", "91", "state_owned"),),
    "aviation": (("新疆机场（集团）有限责任公司", "91", "state_owned"),),
    "telecom": (("中国移动通信集团新疆有限公司{p}分公司", "91", "state_owned"),),
    "agriculture": (("{f}农业农村局", "11", "government"),),
    "other": (("{c}产业园区管理委员会", "11", "government"), ("新疆{r}实业有限公司", "91", "private")),
}
URUMQI_DISTRICTS = ("650102", "650103", "650104", "650105", "650106")


def enterprise(ctx: DemoContext, name: str, kind: str, region_code: str,
               uscc: str | None = None) -> Enterprise:
    """The one enterprise of this name (cached so a name never gets two USCC codes)."""
    cache = ctx.enterprises
    if name not in cache:
        cache[name] = ensure_enterprise(name, uscc or make_uscc(ctx.rng, region_code, kind))
        ctx.enterprise_names[cache[name].id] = name
        ctx.count("enterprises")
    return cache[name]


def fill(form: str, ctx: DemoContext, county: Region) -> str:
    prefecture = ctx.regions.get(county.parent_code)
    p = prefecture.short_name if prefecture and prefecture.code != "659000" else county.short_name
    return form.format(f=county.name, c=county.short_name, p=p, r=ctx.rng.choice(ROOTS))


def owner(ctx: DemoContext, county: Region, industry: str) -> tuple[Enterprise, str]:
    """A 建设单位 for a project in this county, and the project's funding."""
    form, kind, funding = ctx.rng.choice(OWNER_FORMS[industry])
    name = fill(form, ctx, county)
    region = county.code if kind != "91" or "{r}" not in form else ctx.rng.choice(URUMQI_DISTRICTS)
    return enterprise(ctx, name, kind, region), funding


def contractor(ctx: DemoContext, county: Region, industry: str) -> Enterprise:
    """Big contractors win many projects: reuse one of the same trade most of the time."""
    family = industry if industry in CONTRACTOR_FORMS else ("energy" if industry == "telecom" else "other")
    pool = ctx.contractors.setdefault(family, [])
    if pool and ctx.rng.random() < 0.55:
        return ctx.rng.choice(pool)
    name = fill(ctx.rng.choice(CONTRACTOR_FORMS[family]), ctx, county)
    region = ctx.rng.choice(URUMQI_DISTRICTS) if name.startswith("新疆") else county.code
    firm = enterprise(ctx, name, "91", region)
    if firm not in pool:
        pool.append(firm)
    return firm


def subcontractor(ctx: DemoContext, county: Region) -> Enterprise:
    pool = ctx.labour_firms
    if len(pool) > 8 and ctx.rng.random() < 0.5:
        return ctx.rng.choice(pool)
    name = fill(ctx.rng.choice(LABOUR_FORMS), ctx, county)
    firm = enterprise(ctx, name, "91", county.code)
    if firm not in pool:
        pool.append(firm)
    return firm
