"""The shipped category catalogue (事项分类目录), version 2025.1, and the default time limits.

Urban-management classes follow the component (部件) and event (事件) classes of the national
digital urban-management standard (component class codes 01–06; event class numbering unverified,
see docs); social domains are the matters the 12345 hotline sees most. Loaded by a data migration;
the district edits it afterwards (admin), and a new version is added beside the old one."""

from __future__ import annotations

from typing import Any

VERSION = "2025.1"

# (code, name, domain, [(code, name, keywords)])
CATALOGUE: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "C01",
        "公用设施",
        "component",
        [
            ("C0101", "上水井盖", "井盖 缺失 破损"),
            ("C0102", "污水井盖", "井盖 污水 冒溢"),
            ("C0103", "雨水箅子", "雨水 箅子 堵塞"),
            ("C0104", "消防栓", "消防栓 漏水"),
            ("C0105", "路灯", "路灯 不亮 损坏"),
        ],
    ),
    (
        "C02",
        "道路交通",
        "component",
        [("C0201", "公交站亭", "公交 站台"), ("C0202", "交通信号灯", "红绿灯 信号灯"), ("C0203", "路面", "坑洼 破损")],
    ),
    ("C03", "市容环境设施", "component", [("C0301", "公共厕所", "厕所"), ("C0302", "垃圾箱", "垃圾桶 垃圾箱 满溢")]),
    ("C04", "园林绿化", "component", [("C0401", "行道树", "树 倒伏 修剪"), ("C0402", "绿地", "绿地 草坪 毁绿")]),
    ("C05", "房屋土地", "component", [("C0501", "街头座椅", "座椅")]),
    ("C06", "其他设施", "component", []),
    (
        "E01",
        "市容环境",
        "event",
        [
            ("E0101", "暴露垃圾", "垃圾 堆放"),
            ("E0102", "道路不洁", "路面 脏 不洁"),
            ("E0103", "乱堆物堆料", "堆物 堆料 杂物"),
            ("E0104", "油烟污染", "油烟"),
            ("E0105", "露天烧烤", "烧烤"),
        ],
    ),
    ("E02", "宣传广告", "event", [("E0201", "非法小广告", "小广告 张贴")]),
    (
        "E03",
        "施工管理",
        "event",
        [("E0301", "施工扰民", "施工 噪音 夜间"), ("E0302", "工地扬尘", "扬尘 灰尘"), ("E0303", "施工占道", "占道")],
    ),
    (
        "E04",
        "突发事件",
        "event",
        [
            ("E0401", "路面塌陷", "塌陷"),
            ("E0402", "自来水管破裂", "水管 爆裂 漏水"),
            ("E0403", "下水道堵塞破损", "下水道 堵塞"),
            ("E0404", "道路积水", "积水"),
        ],
    ),
    (
        "E05",
        "街面秩序",
        "event",
        [
            ("E0501", "无照经营游商", "摊贩 游商"),
            ("E0502", "店外经营", "出店 经营"),
            ("E0503", "机动车乱停放", "停车 乱停"),
            ("E0504", "非机动车乱停放", "电动车 自行车 乱停"),
        ],
    ),
    (
        "S01",
        "民政社保",
        "social",
        [("S0101", "养老服务", "养老 老人"), ("S0102", "社会救助", "低保 救助"), ("S0103", "社保医保", "社保 医保")],
    ),
    (
        "S02",
        "物业管理",
        "social",
        [
            ("S0201", "物业服务", "物业 保洁 保安"),
            ("S0202", "电梯故障", "电梯"),
            ("S0203", "维修资金", "维修资金"),
            ("S0204", "停车管理", "停车位 车位"),
        ],
    ),
    ("S03", "消费维权", "social", [("S0301", "预付卡退费", "预付卡 退费"), ("S0302", "商品质量", "质量 假冒")]),
    ("S04", "环境保护", "social", [("S0401", "噪声污染", "噪音 噪声"), ("S0402", "水污染", "污水 河道")]),
    ("S05", "交通管理", "social", [("S0501", "交通秩序", "拥堵 交通")]),
    (
        "S06",
        "供水供电供气",
        "social",
        [("S0601", "停水", "停水"), ("S0602", "停电", "停电"), ("S0603", "燃气", "燃气")],
    ),
    ("S07", "教育", "social", [("S0701", "入学", "入学 学区")]),
    ("S08", "劳动就业", "social", [("S0801", "欠薪", "欠薪 工资")]),
    ("S09", "户籍证照", "social", [("S0901", "户口办理", "户口 身份证")]),
    ("S99", "其他", "social", []),
]


# English names by code (shown when the page is in English; the Chinese name stays the canonical one).
NAMES_EN: dict[str, str] = {
    "C01": "Public utilities",
    "C0101": "Water supply manhole covers",
    "C0102": "Sewer manhole covers",
    "C0103": "Storm drain grates",
    "C0104": "Fire hydrants",
    "C0105": "Street lights",
    "C02": "Roads and traffic",
    "C0201": "Bus shelters",
    "C0202": "Traffic lights",
    "C0203": "Road surface",
    "C03": "Street amenities",
    "C0301": "Public toilets",
    "C0302": "Litter bins",
    "C04": "Landscaping and greenery",
    "C0401": "Street trees",
    "C0402": "Green spaces",
    "C05": "Buildings and land",
    "C0501": "Street benches",
    "C06": "Other facilities",
    "E01": "City appearance and sanitation",
    "E0101": "Exposed rubbish",
    "E0102": "Dirty roads",
    "E0103": "Goods and materials piled up",
    "E0104": "Cooking fumes",
    "E0105": "Open-air barbecues",
    "E02": "Advertising",
    "E0201": "Illegal flyers",
    "E03": "Construction",
    "E0301": "Construction noise",
    "E0302": "Construction site dust",
    "E0303": "Construction blocking the road",
    "E04": "Emergencies",
    "E0401": "Road collapse",
    "E0402": "Burst water mains",
    "E0403": "Blocked or broken sewers",
    "E0404": "Flooded roads",
    "E05": "Street order",
    "E0501": "Unlicensed street vending",
    "E0502": "Trading outside the shop",
    "E0503": "Illegally parked cars",
    "E0504": "Illegally parked bicycles and e-bikes",
    "S01": "Civil affairs and social security",
    "S0101": "Elderly care",
    "S0102": "Social assistance",
    "S0103": "Social and medical insurance",
    "S02": "Property management",
    "S0201": "Property services",
    "S0202": "Lift breakdowns",
    "S0203": "Maintenance funds",
    "S0204": "Parking management",
    "S03": "Consumer rights",
    "S0301": "Prepaid card refunds",
    "S0302": "Product quality",
    "S04": "Environmental protection",
    "S0401": "Noise pollution",
    "S0402": "Water pollution",
    "S05": "Traffic management",
    "S0501": "Traffic order",
    "S06": "Water, power and gas supply",
    "S0601": "Water cuts",
    "S0602": "Power cuts",
    "S0603": "Gas",
    "S07": "Education",
    "S0701": "School admission",
    "S08": "Labour and employment",
    "S0801": "Unpaid wages",
    "S09": "Household registration and ID",
    "S0901": "Household registration",
    "S99": "Other",
}


def catalogue_rows() -> list[dict[str, Any]]:
    """Flat rows in load order (parents first)."""
    rows: list[dict[str, Any]] = []
    for sort, (code, name, domain, children) in enumerate(CATALOGUE):
        rows.append(
            {
                "code": code,
                "name": name,
                "name_en": NAMES_EN.get(code, ""),
                "domain": domain,
                "parent": None,
                "keywords": "",
                "sort": sort,
            }
        )
        for child_sort, (child_code, child_name, keywords) in enumerate(children):
            rows.append(
                {
                    "code": child_code,
                    "name": child_name,
                    "name_en": NAMES_EN.get(child_code, ""),
                    "domain": domain,
                    "parent": code,
                    "keywords": keywords,
                    "sort": child_sort,
                }
            )
    return rows


# Default time limits (editable): a bureau's rules cited in docs — 咨询/求助 3 working days, 投诉/举报
# 13 working days, urgent within the day, emergencies 2 hours; everything else 5 working days; sign for
# within 2 hours; return within 24 hours of sign-for.
DEFAULT_POLICIES: list[dict[str, Any]] = [
    {"name": "默认", "amount": 5, "unit": "working_days"},
    {"name": "咨询", "kind": "enquiry", "amount": 3, "unit": "working_days"},
    {"name": "求助", "kind": "help", "amount": 3, "unit": "working_days"},
    {"name": "投诉", "kind": "complaint", "amount": 13, "unit": "working_days"},
    {"name": "举报", "kind": "report", "amount": 13, "unit": "working_days"},
    {"name": "紧急", "urgency": "urgent", "amount": 24, "unit": "hours", "sign_for_amount": 1},
    {"name": "特急", "urgency": "emergency", "amount": 2, "unit": "hours", "sign_for_amount": 1},
]
