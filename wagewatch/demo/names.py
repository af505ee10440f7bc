"""Personal names of Xinjiang's peoples (Han, Uyghur, Kazakh, Hui) and mobile numbers for the demo."""
import random

HAN_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
HAN_MALE = (
    "建国 建军 志强 海涛 伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宁 浩 凯 俊 健 永刚 德明 国庆 红军 卫东 "
    "立新 振华 文斌 晓东 宏伟 新疆 天山 保国 成林 金龙 玉林 春生 长江 海军 国强 志刚 永平 建华 学军 世杰 占军"
).split()
HAN_FEMALE = (
    "丽 娜 敏 静 燕 艳 芳 娟 霞 玲 桂英 秀兰 红梅 晓燕 海燕 雪 婷 慧 琳 倩 玉兰 春梅 丽娟 淑珍 小红 凤英 金凤 亚楠"
).split()
HUI_SURNAMES = "马马马杨何丁白撒纳海冶韩穆锁妥拜沙金"
HUI_MALE = "福贵 福林 成龙 海军 建忠 有福 占林 国福 文华 学明 德胜 玉山 永福 志明 占海 云龙".split()
HUI_FEMALE = "金花 玉兰 秀英 海霞 桂兰 梅 兰英 晓梅 凤兰 芳".split()
UYGHUR_MALE = (
    "买买提 艾力 阿不都热依木 吐尔逊 艾买提 阿布都拉 依明 热合曼 肉孜 努尔买买提 艾则孜 卡德尔 亚森 阿迪力 麦麦提敏 "
    "依力哈木 吾斯曼 阿不力孜 塔依尔 斯拉木 帕尔哈提 艾尼瓦尔 伊力亚尔 艾克拜尔 玉素甫 买合木提 克热木 库尔班 "
    "阿卜杜热西提 图尔荪 努尔艾力 司马义 吾买尔 热西提 阿里木 牙合甫 喀迪尔 居来提 艾合买提 如则"
).split()
UYGHUR_FEMALE = (
    "古丽 阿依古丽 古丽努尔 热依拉 帕提古丽 米热古丽 努尔古丽 阿依努尔 再努尔 热孜完古丽 布海力且姆 祖丽皮亚 "
    "迪丽努尔 阿米娜 玛依拉 哈丽旦 如克亚 帕丽达 阿丽亚 热娜古丽"
).split()
KAZAKH_MALE = (
    "叶尔兰 努尔兰 别克 哈力木 加林 达吾列提 叶尔江 努尔别克 哈那提 阿依达尔 木拉提 巴合提 吐尔逊别克 叶尔波拉提 "
    "沙吾提 马合沙提 赛力克 阿斯哈尔 哈布都拉 江阿古丽别克 叶尔肯 朱马汗"
).split()
KAZAKH_FEMALE = "古丽巴哈尔 阿依达娜 加娜尔 古丽米拉 阿克玛拉勒 孜拉 吉别克 沙勒塔娜特 巴合提古丽 娜孜古丽".split()

PEOPLES = (("han", 45), ("uyghur", 35), ("kazakh", 10), ("hui", 10))
PHONE_PREFIXES = ("130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 170 173 175 176 "
                  "177 178 180 181 182 183 185 186 187 188 189 191 193 195 198 199").split()


def _han(rng: random.Random, gender: str, surnames: str = HAN_SURNAMES, male=HAN_MALE,
         female=HAN_FEMALE) -> str:
    return rng.choice(surnames) + rng.choice(male if gender == "M" else female)


def _patronymic(rng: random.Random, gender: str, male: list[str], female: list[str]) -> str:
    """Uyghur and Kazakh names are written given·father's name, e.g. 买买提·艾力."""
    given = rng.choice(male if gender == "M" else female)
    father = rng.choice([m for m in male if m != given] if gender == "M" else male)
    return f"{given}·{father}"


def person_name(rng: random.Random, gender: str, people: str | None = None) -> str:
    people = people or rng.choices([p for p, _ in PEOPLES], weights=[w for _, w in PEOPLES])[0]
    if people == "uyghur":
        return _patronymic(rng, gender, UYGHUR_MALE, UYGHUR_FEMALE)
    if people == "kazakh":
        return _patronymic(rng, gender, KAZAKH_MALE, KAZAKH_FEMALE)
    if people == "hui":
        return _han(rng, gender, HUI_SURNAMES, HUI_MALE, HUI_FEMALE)
    return _han(rng, gender)


def han_name(rng: random.Random, gender: str | None = None) -> str:
    return _han(rng, gender or rng.choice("MMMF"))


def phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
