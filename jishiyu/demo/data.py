"""Fixed reference data of the demo district (演示城区): streets, communities, names, area codes."""

from __future__ import annotations

from dataclasses import dataclass

DISTRICT_NAME = "雨花台区"
DISTRICT_CODE = "320114"
DISTRICT_POINT = (118.78, 31.99)


@dataclass(frozen=True)
class StreetSpec:
    """A street (街道) or park (园区) with its NBS township code and a representative point."""

    code: str  # 3 digits
    name: str
    kind: str  # "street" | "park"
    lon: float
    lat: float


@dataclass(frozen=True)
class CommunitySpec:
    """A community (社区) or village (村): code 001–199 residents' committee, 200–399 villagers' committee."""

    street: str  # street code
    code: str  # 3 digits
    name: str
    kind: str  # village | commercial | legacy_industrial
    weight: float  # share of residents, relative
    compounds: tuple[str, ...] = ()  # names of its first compounds (others are generated)


STREETS: tuple[StreetSpec, ...] = (
    StreetSpec("001", "雨花街道", "street", 118.772, 32.001),
    StreetSpec("002", "赛虹桥街道", "street", 118.757, 32.009),
    StreetSpec("004", "西善桥街道", "street", 118.716, 31.962),
    StreetSpec("005", "板桥街道", "street", 118.660, 31.905),
    StreetSpec("006", "铁心桥街道", "street", 118.786, 31.948),
    StreetSpec("007", "梅山街道", "street", 118.700, 31.926),
    StreetSpec("008", "古雄街道", "street", 118.672, 31.882),
    StreetSpec("400", "雨花经济开发区", "park", 118.801, 31.967),
    StreetSpec("402", "中国（南京）软件谷", "park", 118.766, 31.976),
)

C, L, V = "commercial", "legacy_industrial", "village"

COMMUNITIES: tuple[CommunitySpec, ...] = (
    # 雨花街道: older town blocks and commercial housing; 翠竹园社区 is the demo accounts' community.
    CommunitySpec("001", "003", "翠竹园社区", C, 1.6, ("翠竹园", "翠竹苑")),
    CommunitySpec("001", "001", "雨花新村社区", L, 1.0, ("雨花新村",)),
    CommunitySpec("001", "002", "花神庙社区", C, 1.0),
    CommunitySpec("001", "004", "凤台社区", L, 0.8, ("凤台新村",)),
    CommunitySpec("001", "005", "安德门社区", C, 0.9),
    CommunitySpec("001", "006", "共青团路社区", L, 0.7),
    # 赛虹桥街道
    CommunitySpec("002", "001", "虹苑社区", C, 1.0, ("虹苑新寓",)),
    CommunitySpec("002", "002", "赛虹桥社区", L, 0.8),
    CommunitySpec("002", "003", "小行社区", L, 0.9, ("小行里",)),
    CommunitySpec("002", "004", "大定坊社区", C, 0.8),
    CommunitySpec("002", "005", "新河社区", L, 0.7),
    # 西善桥街道: 绿洲机械厂 and its dormitories, 岱山 affordable housing.
    CommunitySpec("004", "001", "绿洲社区", L, 1.0, ("绿洲机械厂宿舍区", "绿洲新村")),
    CommunitySpec("004", "002", "西善花苑社区", C, 1.0, ("西善花苑",)),
    CommunitySpec("004", "003", "岱山东社区", C, 1.2, ("岱山东苑",)),
    CommunitySpec("004", "004", "岱山西社区", C, 1.1, ("岱山西苑",)),
    CommunitySpec("004", "201", "油坊桥村", V, 0.6),
    # 板桥街道: villages and resettlement housing.
    CommunitySpec("005", "001", "新林社区", V, 1.0, ("新林苑",)),
    CommunitySpec("005", "002", "板桥社区", V, 0.9, ("板桥新苑",)),
    CommunitySpec("005", "003", "朱家山社区", V, 0.7),
    CommunitySpec("005", "004", "大胜关社区", V, 0.7),
    CommunitySpec("005", "201", "三山村", V, 0.5),
    CommunitySpec("005", "202", "周村村", V, 0.5),
    # 铁心桥街道: commercial housing near 南京南站, villages on the hills.
    CommunitySpec("006", "001", "铁心桥社区", C, 1.0),
    CommunitySpec("006", "002", "西春社区", C, 0.9),
    CommunitySpec("006", "003", "尹西社区", V, 0.7),
    CommunitySpec("006", "004", "韩府山社区", V, 0.6),
    CommunitySpec("006", "005", "马家店社区", V, 0.6),
    CommunitySpec("006", "006", "景明佳园社区", C, 1.3, ("景明佳园",)),
    # 梅山街道: the steelworks' legacy industrial housing.
    CommunitySpec("007", "001", "梅山第一社区", L, 0.9, ("梅山一村",)),
    CommunitySpec("007", "002", "梅山第二社区", L, 0.9, ("梅山二村",)),
    CommunitySpec("007", "003", "梅山第三社区", L, 0.8, ("梅山三村",)),
    CommunitySpec("007", "004", "梅山第四社区", L, 0.7, ("梅山四村",)),
    # 古雄街道: villages.
    CommunitySpec("008", "001", "古雄社区", V, 0.9, ("古雄新寓",)),
    CommunitySpec("008", "002", "石闸社区", V, 0.7),
    CommunitySpec("008", "003", "长营社区", V, 0.6),
    CommunitySpec("008", "004", "凤凰岗社区", V, 0.6),
    CommunitySpec("008", "201", "戴庄村", V, 0.5),
    # 雨花经济开发区: commercial housing by 南京南站.
    CommunitySpec("400", "001", "南站花园社区", C, 1.2, ("南站花园",)),
    CommunitySpec("400", "002", "宁南社区", C, 1.0),
    # 中国（南京）软件谷
    CommunitySpec("402", "001", "春江新城社区", C, 1.1, ("春江新城",)),
    CommunitySpec("402", "002", "花神湖社区", C, 1.0),
    CommunitySpec("402", "003", "丁墙社区", C, 0.8),
    CommunitySpec("402", "004", "大周社区", V, 0.6),
)

DEMO_COMMUNITY = "翠竹园社区"
DEMO_STREET = "雨花街道"

# Generated compound names, by community kind.
COMPOUND_PREFIXES = (
    "景明",
    "春江",
    "花神",
    "梅岭",
    "雨润",
    "凤翔",
    "宁南",
    "安德",
    "银杏",
    "紫荆",
    "桃源",
    "丽景",
    "锦绣",
    "怡康",
    "金穗",
    "朝阳",
    "翠岭",
    "润泽",
)
COMPOUND_SUFFIXES = {
    C: ("佳园", "花园", "新城", "名苑", "雅居", "家园", "华庭"),
    L: ("新村", "宿舍区", "里", "小区"),
    V: ("新苑", "安置小区", "新寓", "家园"),
}

# Building layouts: (floor choices, entrance choices, dwellings per floor per entrance), by kind.
LAYOUTS = {
    C: ((6, 11, 11, 18, 18), (1, 2, 2), 2),
    L: ((5, 6, 6, 7), (2, 3, 3, 4), 2),
    V: ((6, 6, 11), (2, 2, 3), 2),
}
# Exclusive area (m²): (low, high), by kind.
AREAS = {C: (70, 140), L: (45, 78), V: (60, 125)}

# Surname frequencies (per mille, approximate national shares).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71),
    ("李", 70),
    ("张", 67),
    ("刘", 54),
    ("陈", 46),
    ("杨", 31),
    ("黄", 22),
    ("赵", 21),
    ("吴", 20),
    ("周", 19),
    ("徐", 16),
    ("孙", 15),
    ("马", 13),
    ("朱", 13),
    ("胡", 12),
    ("郭", 11),
    ("何", 11),
    ("林", 10),
    ("高", 10),
    ("罗", 9),
    ("郑", 8),
    ("梁", 8),
    ("谢", 7),
    ("宋", 6),
    ("唐", 6),
    ("许", 6),
    ("韩", 6),
    ("冯", 6),
    ("邓", 5),
    ("曹", 5),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 4),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("陆", 3),
    ("汪", 3),
    ("范", 3),
    ("金", 3),
    ("石", 3),
    ("廖", 3),
    ("贾", 3),
    ("夏", 3),
    ("韦", 2),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("史", 2),
    ("陶", 2),
    ("顾", 2),
    ("毛", 2),
    ("龚", 2),
    ("邵", 2),
    ("钱", 2),
    ("严", 2),
    ("戴", 2),
    ("欧阳", 0.3),
    ("诸葛", 0.05),
    ("司马", 0.05),
)

# Given-name characters and names by generation and gender: (single characters, two-character names).
GIVEN: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("old", "m"): (
        "华明国强伟军平德福荣生林忠文海山",
        ("建国", "建华", "国平", "志强", "德明", "福生", "玉林", "国庆"),
    ),
    ("old", "f"): (
        "兰芳珍华英梅凤霞琴秀玉桂",
        ("秀英", "桂英", "玉兰", "凤英", "秀兰", "淑珍", "桂兰", "秀珍"),
    ),
    ("mid", "m"): (
        "伟磊勇军涛斌杰鹏超浩刚强明辉健峰",
        ("建军", "海涛", "志刚", "晓东", "文斌", "永强", "国栋", "振华"),
    ),
    ("mid", "f"): (
        "丽静敏燕艳娟霞婷芳玲红萍洁",
        ("丽华", "晓燕", "红梅", "海燕", "静怡", "晓丽", "春梅", "雪梅"),
    ),
    ("young", "m"): (
        "皓宇博泽睿铭嘉晨轩航",
        ("子轩", "浩然", "宇轩", "俊杰", "梓豪", "一鸣", "思远", "宇航"),
    ),
    ("young", "f"): (
        "悦琪萱涵彤妍欣怡瑶",
        ("梓涵", "欣怡", "子涵", "雨桐", "诗涵", "一诺", "可馨", "思彤"),
    ),
}

# Area codes of id numbers (all known to python-stdnum): the district itself, the rest of Nanjing,
# and the places Nanjing's migrants most often come from.
AREA_HOME = "320114"
AREA_NANJING = ("320102", "320104", "320105", "320106", "320111", "320113", "320115", "320116", "320117", "320118")
AREA_ELSEWHERE = (
    "340104",
    "341122",
    "342501",
    "340823",
    "321284",
    "320322",
    "320982",
    "320481",
    "320706",
    "411521",
    "510122",
)

MOBILE_PREFIXES = tuple(
    str(p) for p in (*range(130, 134), *range(135, 140), *range(150, 154), *range(155, 160), 166, 173, 177)
) + tuple(str(p) for p in (*range(180, 184), *range(185, 190), 191, 198, 199))

DISABILITY_KINDS = (
    ("physical", 45),
    ("hearing", 15),
    ("mental", 12),
    ("visual", 10),
    ("multiple", 9),
    ("intellectual", 8),
    ("speech", 1),
)
DISABILITY_GRADES = ((1, 15), (2, 25), (3, 30), (4, 30))

CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (up to 99)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (CHINESE_NUMERALS[tens] if tens > 1 else "") + "十" + (CHINESE_NUMERALS[ones] if ones else "")
