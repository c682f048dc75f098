"""Demo data: a believable year of a Taipei consulting firm, with planted mistakes to find.

``generate_demo`` is pure: one seeded ``random.Random``, no clock, no files. It first builds rows
that follow every rule of the policy (``POLICY-MAP.md``) with a margin, then plants a small,
recorded sprinkling of mistakes (``Planted``) so that validation has something real to find.
``write_demo`` writes the six workbooks with the project's writer, plus ``planted.json``.
"""

from __future__ import annotations

import calendar
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any

from mops.config import defaults
from mops.schemas.registry import WORKBOOKS

__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_SEED",
    "DemoData",
    "DemoResult",
    "Planted",
    "generate_demo",
    "write_demo",
]

PLANTED_FILE = "planted.json"
DEFAULT_SEED = 2026
DEFAULT_AS_OF = date(2026, 11, 26)

# The policy numbers come from the shipped mops.toml, never from here. Clean rows stay inside
# them with a margin, so a validator using the same defaults finds only the planted mistakes.
_POLICY = defaults()
CADENCE_DAYS: dict[str, int] = dict(_POLICY["customers"]["cadence_days"])
COMPLAINT_SLA = timedelta(hours=_POLICY["service"]["complaint_response_hours"])
INQUIRY_SLA_WORKING_HOURS = _POLICY["service"]["inquiry_response_working_hours"]
WORKDAY_START = int(_POLICY["service"]["working_day_start"].split(":")[0])
WORKDAY_END = int(_POLICY["service"]["working_day_end"].split(":")[0])
EVALUATION_DUE_DAYS = _POLICY["campaigns"]["evaluation_due_days"]
REVIEW_EVERY_DAYS = _POLICY["campaigns"]["progress_review_days"]

COMPANY_DOMAIN = "mops-consulting.com.tw"

Row = dict[str, Any]


# --- public types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planted:
    """One deliberate mistake: what kind, which rule should report it, and where it sits.

    ``key`` is the primary key of the row; for a finding about a group of rows it names the group
    (``"2026-07/promotion"``: a category and month of the expense budget). ``column`` is None when
    the finding is about the row as a whole (a customer not contacted within its cadence).
    """

    kind: str
    rule_id: str
    sheet: str
    key: str
    column: str | None

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """Order by place, then rule and kind."""
        return (self.sheet, self.key, self.column or "", self.rule_id, self.kind)


@dataclass
class DemoData:
    """Generated rows per workbook and sheet, and the mistakes planted in them."""

    rows: dict[str, dict[str, list[Row]]]
    planted: list[Planted]

    def sheet_rows(self, sheet_key: str) -> list[Row]:
        """The rows of one sheet (sheet keys are unique across workbooks)."""
        for sheets in self.rows.values():
            if sheet_key in sheets:
                return sheets[sheet_key]
        raise KeyError(f"no sheet {sheet_key!r}")

    def counts(self) -> dict[str, int]:
        """Rows per sheet key, in declared order."""
        return {key: len(rows) for sheets in self.rows.values() for key, rows in sheets.items()}

    def planted_counts(self) -> dict[str, int]:
        """Planted mistakes per kind, sorted by kind."""
        counts: dict[str, int] = defaultdict(int)
        for p in self.planted:
            counts[p.kind] += 1
        return dict(sorted(counts.items()))

    def people(self) -> list[str]:
        """The names on the staff roster."""
        return [r["name"] for r in self.sheet_rows("roster")]


@dataclass(frozen=True)
class DemoResult:
    """What ``write_demo`` wrote, for the CLI to summarise."""

    directory: Path
    files: list[Path]
    counts: dict[str, int]
    planted: dict[str, int]
    seconds: float
    data: DemoData


@dataclass(frozen=True)
class PlantedCheck:
    """How many mistakes of one kind were planted, and how many validation found."""

    kind: str
    rule_id: str
    planted: int
    found: int


def check_planted(data: DemoData, findings) -> list[PlantedCheck]:
    """Match the planted mistakes with validation findings, kind by kind.

    A planted mistake counts as found when a finding of its rule sits on its row (rows are
    written in order below a one-row header). A mistake about a group of rows (a category and
    month of the budget) counts as found when its rule reports anything on that sheet.
    """
    rows: dict[str, dict[str, int]] = {}
    for wb in WORKBOOKS:
        for sheet in wb.sheets:
            pk = sheet.primary_key
            sheet_rows = data.rows[wb.key].get(sheet.key, [])
            rows[sheet.key] = {str(r[pk]): i + 2 for i, r in enumerate(sheet_rows)}
    hits = {(f.rule_id, f.sheet, f.row) for f in findings}
    by_rule_sheet = {(f.rule_id, f.sheet) for f in findings}
    tally: dict[tuple[str, str], list[int]] = {}
    for p in data.planted:
        row = rows.get(p.sheet, {}).get(p.key)
        found = (
            (p.rule_id, p.sheet, row) in hits
            if row is not None
            else (p.rule_id, p.sheet) in by_rule_sheet
        )
        counts = tally.setdefault((p.kind, p.rule_id), [0, 0])
        counts[0] += 1
        counts[1] += int(found)
    return [PlantedCheck(k, r, n, f) for (k, r), (n, f) in sorted(tally.items())]


def generate_demo(seed: int = DEFAULT_SEED, as_of: date = DEFAULT_AS_OF) -> DemoData:
    """Generate a deterministic demo year ending at ``as_of``, with planted mistakes."""
    return _Builder(seed, as_of).build()


def write_demo(
    directory: Path,
    *,
    lang: str = "zh-TW",
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
) -> DemoResult:
    """Generate the demo and write every workbook plus ``planted.json`` into ``directory``."""
    from mops.workbook.writer import write_workbook  # keeps xlsxwriter out of generate_demo

    started = time.perf_counter()
    data = generate_demo(seed, as_of)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    people = data.people()
    files = []
    for wb in WORKBOOKS:
        path = directory / wb.filename
        files.append(
            Path(write_workbook(wb, path, lang=lang, rows=data.rows[wb.key], people=people))
        )
    planted_path = directory / PLANTED_FILE
    planted = [asdict(p) for p in sorted(data.planted, key=Planted.sort_key)]
    text = json.dumps(planted, ensure_ascii=False, indent=1)
    planted_path.write_text(text + "\n", encoding="utf-8")
    files.append(planted_path)
    return DemoResult(
        directory=directory,
        files=files,
        counts=data.counts(),
        planted=data.planted_counts(),
        seconds=round(time.perf_counter() - started, 3),
        data=data,
    )


# --- rule ids ----------------------------------------------------------------------------------

R_OWNER_KNOWN = "P2-owner-known"
R_ROLE_FITS = "P2-role-fits"
R_PLAN_OVERDUE = "P3-plan-overdue"
R_APPROVAL = "P4.1-approval"
R_TASK_OWNER = "P4.2-task-owner"
R_EVALUATION = "P4.2-evaluation-due"
R_COMPLETE = "P5.2-complete"
R_CADENCE = "P5.3-cadence"
R_TARGETS = "P6.1-targets-add-up"
R_LEGAL = "P6.3-legal-review"
R_SLA = "P7.1-response-sla"
R_APPROVER = "P8.2-approver"
R_AUDIT = "P8.2-audit"
R_OVERSPEND = "P8.3-overspend"
R_ONBOARDING = "P9.1-onboarding"
R_WEIGHTS = "P9.2-weights"
F_EMAIL = "email-format"
F_PHONE = "phone-format"
F_ENUM = "enum"
F_LENIENT_DATE = "assumed"  # read leniently: an info finding says what was assumed
F_DATE_ORDER = "date-order"


# --- vocabulary --------------------------------------------------------------------------------

# (surname, romanisation, relative frequency)
SURNAMES = (
    ("陳", "chen", 11), ("林", "lin", 8), ("黃", "huang", 6), ("張", "chang", 5),
    ("李", "lee", 5), ("王", "wang", 4), ("吳", "wu", 4), ("劉", "liu", 3), ("蔡", "tsai", 3),
    ("楊", "yang", 3), ("許", "hsu", 2), ("鄭", "cheng", 2), ("謝", "hsieh", 2), ("郭", "kuo", 2),
    ("洪", "hung", 2), ("曾", "tseng", 2), ("邱", "chiu", 2), ("廖", "liao", 2), ("賴", "lai", 2),
    ("周", "chou", 2), ("葉", "yeh", 1), ("蘇", "su", 1), ("莊", "chuang", 1), ("呂", "lu", 1),
    ("江", "chiang", 1), ("何", "ho", 1), ("蕭", "hsiao", 1), ("羅", "lo", 1), ("高", "kao", 1),
    ("潘", "pan", 1),
)  # fmt: skip

GIVEN_NAMES = (
    ("怡君", "yijun"), ("志明", "zhiming"), ("雅婷", "yating"), ("建宏", "jianhong"),
    ("美玲", "meiling"), ("淑芬", "shufen"), ("國華", "guohua"), ("家豪", "jiahao"),
    ("宗翰", "zonghan"), ("佳穎", "jiaying"), ("冠宇", "guanyu"), ("詩涵", "shihan"),
    ("俊傑", "junjie"), ("宜蓁", "yizhen"), ("承恩", "chengen"), ("雅雯", "yawen"),
    ("柏翰", "bohan"), ("欣怡", "xinyi"), ("思妤", "siyu"), ("彥廷", "yanting"),
    ("品妍", "pinyan"), ("冠廷", "guanting"), ("郁婷", "yuting"), ("信宏", "xinhong"),
    ("惠如", "huiru"), ("文傑", "wenjie"), ("佩珊", "peishan"), ("志豪", "zhihao"),
    ("麗華", "lihua"), ("育誠", "yucheng"), ("婉婷", "wanting"), ("振宇", "zhenyu"),
    ("淑惠", "shuhui"), ("明哲", "mingzhe"), ("靜宜", "jingyi"), ("偉倫", "weilun"),
    ("玉玲", "yuling"), ("凱文", "kaiwen"), ("曉雯", "xiaowen"), ("子軒", "zixuan"),
    ("秀英", "xiuying"), ("嘉玲", "jialing"), ("正雄", "zhengxiong"), ("美惠", "meihui"),
    ("俊宏", "junhong"), ("怡萱", "yixuan"), ("家瑜", "jiayu"), ("宏偉", "hongwei"),
    ("書豪", "shuhao"), ("筱涵", "xiaohan"),
)  # fmt: skip

# Same-sounding characters: a typo of a roster name is how an unknown owner usually appears.
HOMOPHONES = {
    "君": "均", "明": "銘", "婷": "庭", "宏": "鴻", "玲": "苓", "芬": "棻", "華": "樺",
    "豪": "濠", "翰": "瀚", "穎": "潁", "宇": "羽", "涵": "菡", "傑": "杰", "蓁": "臻",
    "雯": "文", "怡": "宜", "妤": "予", "廷": "庭", "妍": "研", "如": "茹", "珊": "姍",
    "誠": "成", "惠": "慧", "哲": "喆", "宜": "儀", "倫": "綸", "文": "雯", "軒": "萱",
    "英": "瑛", "偉": "緯", "瑜": "渝", "萱": "宣", "雄": "熊", "恩": "安", "凱": "愷",
    "筱": "小", "嘉": "佳", "書": "淑", "育": "毓", "正": "政",
}  # fmt: skip

CORE_FIRST = (
    ("宏", "hong"), ("華", "hua"), ("聯", "lian"), ("台", "tai"), ("永", "yong"),
    ("建", "jian"), ("東", "dong"), ("鼎", "ding"), ("益", "yi"), ("昇", "sheng"),
    ("立", "li"), ("正", "zheng"), ("全", "chuan"), ("冠", "guan"), ("信", "hsin"),
    ("大", "da"), ("金", "chin"), ("順", "shun"), ("富", "fu"), ("嘉", "chia"),
    ("瑞", "rui"), ("凱", "kai"), ("群", "chun"), ("祥", "hsiang"),
)  # fmt: skip
CORE_SECOND = (
    ("達", "da"), ("新", "hsin"), ("成", "cheng"), ("豐", "feng"), ("茂", "mao"),
    ("盛", "sheng"), ("泰", "tai"), ("邦", "bang"), ("輝", "hui"), ("源", "yuan"),
    ("展", "chan"), ("碩", "shuo"), ("福", "fu"), ("隆", "long"), ("德", "de"),
    ("安", "an"), ("和", "ho"), ("億", "yi"), ("昌", "chang"), ("陽", "yang"),
    ("峰", "feng"), ("利", "li"), ("亞", "ya"), ("耀", "yao"),
)  # fmt: skip

# industry -> (weight, (name pattern, domain suffix) ...): {c} is the core, {s} the company form.
INDUSTRIES: dict[str, tuple[int, tuple[tuple[str, str], ...]]] = {
    "manufacturing": (16, (
        ("{c}精密工業{s}", "precision"), ("{c}機械{s}", "machinery"),
        ("{c}金屬工業{s}", "metal"), ("{c}塑膠工業{s}", "plastics"), ("{c}實業{s}", "ind"))),
    "semiconductor": (10, (
        ("{c}半導體{s}", "semi"), ("{c}電子{s}", "elec"), ("{c}光電{s}", "opto"),
        ("{c}電機{s}", "motor"))),
    "finance": (8, (
        ("{c}投資{s}", "invest"), ("{c}保險經紀人{s}", "insurance"),
        ("{c}資產管理{s}", "am"), ("{c}證券投資顧問{s}", "sitc"))),
    "it": (12, (
        ("{c}資訊{s}", "info"), ("{c}軟體{s}", "soft"), ("{c}數位科技{s}", "digital"),
        ("{c}雲端科技{s}", "cloud"))),
    "retail": (10, (
        ("{c}百貨{s}", "dept"), ("{c}國際貿易{s}", "trading"), ("{c}生活用品{s}", "living"),
        ("{c}連鎖{s}", "retail"))),
    "healthcare": (7, (
        ("{c}生技{s}", "biotech"), ("{c}醫療器材{s}", "medical"), ("{c}藥品{s}", "pharma"),
        ("{c}健康事業{s}", "health"))),
    "construction": (7, (
        ("{c}建設{s}", "build"), ("{c}營造{s}", "construct"), ("{c}開發{s}", "develop"),
        ("{c}不動產{s}", "realty"))),
    "logistics": (6, (
        ("{c}物流{s}", "logistics"), ("{c}運通{s}", "express"), ("{c}航運{s}", "shipping"),
        ("{c}倉儲{s}", "warehouse"))),
    "food": (7, (
        ("{c}食品{s}", "foods"), ("{c}餐飲{s}", "dining"), ("{c}飲料{s}", "beverage"),
        ("{c}烘焙{s}", "bakery"))),
    "education": (4, (
        ("{c}文教事業{s}", "edu"), ("{c}教育科技{s}", "edtech"), ("{c}語文中心{s}", "language"))),
    "public": (3, (
        ("財團法人{c}產業發展基金會", "foundation.org"), ("社團法人台灣{c}產業協會", "assoc.org"))),
    "services": (6, (
        ("{c}聯合會計師事務所", "cpa"), ("{c}國際法律事務所", "law"), ("{c}設計{s}", "design"),
        ("{c}人力資源{s}", "hr"))),
    "other": (4, (("{c}文創{s}", "creative"), ("{c}企業社", "co"), ("{c}綠能{s}", "green"))),
}  # fmt: skip

SIZES = {"micro": 8, "small": 30, "medium": 32, "large": 19, "enterprise": 11}
# Customer budgets by size, in units of NT$10,000.
SIZE_BUDGET = {
    "micro": (10, 50), "small": (30, 150), "medium": (80, 500), "large": (200, 1200),
    "enterprise": (500, 3000),
}  # fmt: skip

# region -> (weight, (city, districts, phone area) ...); "03-8" is an area code plus the first
# digit of a seven-digit local number (Hualien), and so on.
REGIONS: dict[str, tuple[int, tuple[tuple[str, tuple[str, ...], str], ...]]] = {
    "north": (62, (
        ("臺北市", ("信義區", "大安區", "中山區", "內湖區", "松山區", "南港區", "中正區"), "02"),
        ("新北市", ("板橋區", "新莊區", "三重區", "汐止區", "新店區"), "02"),
        ("桃園市", ("桃園區", "中壢區", "龜山區"), "03"),
        ("新竹市", ("東區", "北區"), "03"), ("新竹縣", ("竹北市",), "03"))),
    "central": (18, (
        ("臺中市", ("西屯區", "南屯區", "北屯區", "西區"), "04"),
        ("彰化縣", ("彰化市", "員林市"), "04"), ("雲林縣", ("斗六市",), "05"))),
    "south": (15, (
        ("臺南市", ("東區", "永康區", "安平區"), "06"),
        ("高雄市", ("前鎮區", "苓雅區", "左營區", "鳳山區"), "07"),
        ("嘉義市", ("西區", "東區"), "05"))),
    "east": (3, (
        ("花蓮縣", ("花蓮市", "吉安鄉"), "03-8"), ("宜蘭縣", ("宜蘭市", "羅東鎮"), "03-9"))),
    "islands": (2, (("澎湖縣", ("馬公市",), "06-9"),)),
}  # fmt: skip
ROADS = (
    "中山路", "中正路", "民生路", "民權路", "民族路", "建國路", "復興路", "和平路", "光復路",
    "文化路", "成功路", "自由路", "公園路", "中華路", "信義路", "忠孝東路", "南京東路",
    "敦化南路", "松仁路", "瑞光路", "八德路", "經國路", "文心路", "博愛路", "四維路",
)  # fmt: skip

CHANNELS = {
    "website": 14, "seo": 10, "sem": 9, "social_media": 10, "email_marketing": 6, "event": 15,
    "client_referral": 16, "partner_referral": 9, "cold_outreach": 11,
}  # fmt: skip
TIERS_BY_STATUS = {
    "active": {"A": 10, "B": 30, "C": 45, "D": 15},
    "prospect": {"A": 2, "B": 12, "C": 36, "D": 50},
    "dormant": {"C": 20, "D": 80},
    "lost": {"D": 100},
}
CUSTOMER_STATUS = {"active": 45, "prospect": 35, "dormant": 12, "lost": 8}

SERVICE_LINES = ("strategy", "marketing", "digital", "hr", "finance", "training")
SERVICE_LABEL = {
    "strategy": "策略顧問", "marketing": "行銷顧問", "digital": "數位轉型", "hr": "人資顧問",
    "finance": "財務顧問", "training": "企業培訓",
}  # fmt: skip
NEEDS = {
    "strategy": (
        "擬定三年中長期營運策略與組織調整方案", "新事業評估與市場進入策略",
        "經營績效診斷與成本結構改善"),
    "marketing": (
        "重塑品牌定位並規劃年度數位行銷", "提升官網詢問轉換率與廣告投放效益",
        "建立會員經營與再行銷機制"),
    "digital": (
        "導入 CRM 並整合既有 ERP，提升業務管理效率", "生產流程數位化與數據儀表板建置",
        "評估雲端轉移與資安強化方案"),
    "hr": (
        "建立職能架構與績效考核制度", "改善基層人員流動率與留才方案",
        "薪酬結構檢討與獎酬制度設計"),
    "finance": (
        "籌備上市櫃前的財務體質調整", "家族企業傳承與股權規劃", "預算制度建立與管理報表改善"),
    "training": (
        "中階主管領導力培訓（約 30 人）", "業務團隊顧問式銷售訓練", "新進人員培訓體系建置"),
}  # fmt: skip
OFFERS = {
    "strategy": ("中長期策略規劃案", "經營診斷專案", "新事業評估案"),
    "marketing": ("品牌重塑專案", "年度數位行銷顧問", "官網改版與 SEO 顧問"),
    "digital": ("CRM 導入顧問案", "流程數位化專案", "數據儀表板建置案"),
    "hr": ("績效制度設計案", "薪酬制度檢討案", "組織發展顧問案"),
    "finance": ("上市櫃前財務顧問", "傳承規劃顧問案", "預算制度建置案"),
    "training": ("主管領導力培訓", "顧問式銷售訓練", "新人培訓體系建置"),
}
CONTACT_TITLES = (
    "總經理", "副總經理", "財務經理", "人資主管", "行銷經理", "資訊長", "營運長", "採購專員",
    "董事長特助", "業務協理", "專案經理", "管理部經理",
)  # fmt: skip
CUSTOMER_NOTES = (
    "年度預算於每年 10 月核定", "決策者為董事長本人", "曾參加本公司研討會", "偏好以電子郵件聯繫",
    "需開立三聯式發票", "集團旗下另有兩家子公司", "窗口即將調職，需建立新聯繫人",
)  # fmt: skip
LOST_REASONS = ("預算不足", "選擇其他顧問公司", "需求延後至明年", "價格因素", "內部決策變更")

FOLLOWUP_TOPICS = (
    "確認{svc}需求範圍", "說明提案內容與時程", "追蹤報價單回覆", "了解專案導入現況",
    "討論續約方案", "安排顧問團隊與客戶高層會談", "回覆客戶對合約條款的疑問",
    "提供產業案例與成功經驗分享", "邀請參加本公司研討會", "確認年度預算編列時程",
)  # fmt: skip
FOLLOWUP_DETAILS = {
    "progress": (
        "客戶同意安排下次會議，將邀請財務主管與會。", "客戶對方案表示認同，請我方提供正式報價。",
        "對方已提交內部簽呈，預計兩週內回覆。"),
    "neutral": (
        "客戶表示仍在評估中，暫無明確時程。", "對方需再與內部討論，下次再確認。",
        "客戶索取更多案例資料，尚無決定。"),
    "setback": (
        "客戶表示今年預算已刪減，專案可能延後。", "對方主要窗口異動，需重新建立關係。",
        "客戶對報價有疑慮，要求重新評估範圍。"),
    "no_response": ("聯繫未接通，已留言並寄送電子郵件。", "寄出資料後尚未收到回覆。"),
    "won": ("客戶確認委託，進入合約簽署流程。",),
    "lost": ("客戶決定暫緩，或已選擇其他顧問公司。",),
}  # fmt: skip
NEXT_STEPS = {
    "progress": ("寄送會議紀錄與報價", "安排現場拜訪", "提供客製化提案", "安排顧問與客戶高層會談"),
    "neutral": ("兩週後再次致電追蹤", "寄送產業案例資料", "邀請參加下一場研討會"),
    "setback": ("調整方案範圍後再提案", "確認新窗口並安排拜訪", "下季再確認預算"),
    "no_response": ("改以電子郵件再次聯繫", "請轉介人協助聯繫"),
    "won": ("確認合約用印時程", "安排專案啟動會議"),
    "lost": ("半年後再關懷聯繫",),
}  # fmt: skip
CARE_CONTENT = (
    "客服關懷拜訪：了解{svc}服務導入後的使用情形，客戶整體滿意，提出報表格式調整需求。",
    "客服關懷拜訪：確認顧問交付品質，客戶肯定專案經理的溝通，建議增加進度會議頻率。",
    "客服關懷拜訪：回訪課程成效，學員反應良好，客戶詢問下半年進階課程。",
)
PLAN_GOALS = (
    "確認提案回饋", "說明年度服務方案", "安排高層拜訪", "續約洽談", "了解導入進度與滿意度",
    "追蹤報價決策", "介紹新服務項目", "確認明年度預算",
)  # fmt: skip
METHODS = {"phone": 35, "email": 25, "visit": 15, "meeting": 10, "online": 15}

# (name, format, objective, service line, venue), then (theme, audience)
CAMPAIGN_THEMES = (
    ("企業數位轉型高峰論壇", "forum", "leads", "digital", "台北國際會議中心",
     "從流程數位化到數據決策：企業轉型的下一步", "製造業與零售業高階主管"),
    ("中小企業 ESG 永續經營研討會", "seminar", "leads", "strategy", "集思台大會議中心",
     "永續不是成本：中小企業的 ESG 起步策略", "中小企業經營者與永續專責人員"),
    ("AI 賦能行銷實戰工作坊", "seminar", "new_customers", "marketing", "公司 15 樓培訓教室",
     "用生成式 AI 提升行銷團隊產能", "行銷主管與品牌經理"),
    ("人才發展與留才策略講座", "webinar", "leads", "hr", "線上",
     "留住關鍵人才：職能發展與獎酬設計", "人資主管"),
    ("年度客戶感恩茶會", "other", "satisfaction", "strategy", "台北君悅酒店",
     "感謝一路同行：顧問夥伴交流茶會", "A、B 級客戶高階主管"),
    ("智慧製造解決方案展", "trade_show", "leads", "digital", "南港展覽館一館",
     "智慧工廠從診斷到導入的一站式服務", "製造業經營層與廠務主管"),
    ("財務長圓桌論壇", "forum", "revenue", "finance", "台北晶華酒店",
     "利率與匯率變動下的財務韌性", "上市櫃公司財務長"),
    ("LinkedIn 思想領導力內容系列", "content", "brand_awareness", "strategy", "線上",
     "每月一篇產業洞察，建立顧問專業形象", "企業決策者"),
    ("Google 關鍵字廣告投放", "online_ads", "leads", "marketing", "線上",
     "搜尋「管理顧問」的企業主優先看到我們", "搜尋顧問服務的中小企業"),
    ("顧問服務電子報再行銷", "email", "leads", "training", "線上",
     "以案例電子報喚醒沉睡名單", "既有名單中的潛在客戶"),
    ("企業內訓方案體驗月", "social", "new_customers", "training", "線上",
     "限時免費體驗課，認識企業內訓方案", "人資與訓練主管"),
    ("社群品牌形象活動", "social", "brand_awareness", "marketing", "線上",
     "顧問日常：讓企業主認識我們的團隊", "25–45 歲中小企業主"),
    ("台中產業升級說明會", "seminar", "leads", "strategy", "台中林酒店",
     "中部製造業的升級路徑與政府補助", "中部製造業經營者"),
    ("高雄數位轉型說明會", "seminar", "leads", "digital", "高雄展覽館會議室",
     "南部企業數位轉型案例分享", "南部企業主管"),
    ("資安與合規線上講座", "webinar", "participants", "digital", "線上",
     "個資法與資安治理的實務重點", "資訊主管與稽核人員"),
    ("家族企業傳承論壇", "forum", "revenue", "finance", "台北萬豪酒店",
     "家族憲章、股權與接班人培育", "家族企業二代與經營者"),
    ("年度產業趨勢白皮書", "content", "leads", "strategy", "線上",
     "下載白皮書，掌握明年度產業趨勢", "產業研究與策略部門"),
    ("新創加速計畫合作說明會", "seminar", "new_customers", "strategy", "台北新創基地",
     "新創成長顧問方案與資源媒合", "新創團隊創辦人"),
    ("亞洲零售科技展參展", "trade_show", "leads", "digital", "南港展覽館二館",
     "全通路會員經營與門市數位化", "零售與通路業者"),
    ("主管領導力公開班", "seminar", "revenue", "training", "公司 15 樓培訓教室",
     "帶人帶心：新任主管的第一堂課", "中階主管"),
)  # fmt: skip
CAMPAIGN_SUFFIXES = ("", "（春季場）", "（秋季場）", "（第二波）", "（加場）")
# Budget and reach by format; budgets in units of NT$10,000.
FORMAT_BUDGET = {
    "seminar": (30, 80), "forum": (80, 200), "trade_show": (120, 300), "webinar": (8, 25),
    "online_ads": (30, 150), "social": (15, 50), "email": (5, 15), "content": (20, 60),
    "other": (40, 90),
}  # fmt: skip
FORMAT_REACH = {
    "seminar": (80, 200), "forum": (150, 400), "trade_show": (800, 2500), "webinar": (100, 400),
    "online_ads": (5000, 30000), "social": (3000, 20000), "email": (2000, 8000),
    "content": (2000, 10000), "other": (60, 150),
}  # fmt: skip
EVENT_FORMATS = ("seminar", "forum", "trade_show", "webinar", "other")
SOURCE_CHANNEL = {
    "online_ads": "sem", "social": "social_media", "email": "email_marketing", "content": "seo",
}  # fmt: skip
PRICE_4P = (
    "免費參加；會後諮詢享首次診斷 8 折", "早鳥報名 9 折，三人以上團報 85 折",
    "免費參加，限額 120 名", "活動期間簽約加贈兩小時顧問諮詢", "名單索取免費；顧問費依專案報價",
)  # fmt: skip
PLACE_4P = (
    "官網報名頁、LinkedIn、合作商會", "電子報名單與業務邀約",
    "Facebook／Instagram 廣告導流至活動頁", "Google 搜尋廣告導流至官網表單",
    "展場攤位與現場預約諮詢",
)  # fmt: skip
PROMOTION_4P = (
    "EDM 三波、LinkedIn 贊助貼文、業務電話邀約", "關鍵字廣告與再行銷廣告",
    "社群貼文與 KOL 合作分享", "產業媒體專訪與新聞稿", "講師個人社群與合作夥伴轉發",
)  # fmt: skip
PRODUCT_4P = {
    "strategy": "策略規劃與經營診斷顧問服務", "marketing": "品牌與數位行銷顧問服務",
    "digital": "數位轉型與系統導入顧問服務", "hr": "人資制度與組織發展顧問服務",
    "finance": "財務規劃與企業傳承顧問服務", "training": "企業內訓與主管培訓課程",
}  # fmt: skip
CONTENT_4P = {
    True: "議程含專題演講、案例分享與 Q&A，會後提供一對一諮詢。",
    False: "分階段投放素材，導流至活動頁並追蹤名單轉換。",
}
LESSONS = (
    "報名轉出席率約六成，下次提前一週加強提醒。", "現場諮詢預約踴躍，業務需於三天內完成回訪。",
    "廣告點擊成本高於預期，應調整關鍵字組合。", "講師內容獲好評，建議規劃系列課程。",
    "名單品質佳，後續商機轉換率高於平均。", "場地動線不佳，報到時段排隊過久。",
)  # fmt: skip
EVENT_TASKS = (
    "確認場地與簽約", "邀請講者並確認議程", "活動報名頁上線", "EDM 邀請發送（第一波）",
    "社群宣傳貼文排程", "EDM 邀請發送（第二波）", "印製文宣與名牌", "報到與現場執行",
    "會後問卷發送與統計", "潛在客戶名單移交業務",
)  # fmt: skip
DIGITAL_TASKS = (
    "素材設計與文案撰寫", "投放受眾與預算設定", "到達頁製作與追蹤碼設定", "內容排程與發佈",
    "第一週成效檢視與優化", "A/B 測試設計與執行", "月度成效報告", "潛在客戶名單移交業務",
)  # fmt: skip
REVIEW_NOTES = (
    ("報名人數低於預期", "加發一波 EDM，並請業務邀約重點客戶"),
    ("講者簡報延遲提供", "設定最後期限並由組長追蹤"),
    ("廣告點擊率偏低", "更換素材並調整受眾設定"),
    ("場地設備需加租", "確認預算後追加租借"),
    ("進度符合計畫", "維持現行安排"),
    ("名單回收格式不一", "統一使用報名系統匯出格式"),
)
CAMPAIGN_LINES = {
    True: (("promotion", "events"), ("promotion", "materials"), ("promotion", "advertising"),
           ("sales", "gifts")),
    False: (("promotion", "digital"), ("promotion", "advertising"), ("promotion", "materials")),
}  # fmt: skip

# (purpose, subject, content, method)
RESEARCH_ITEMS = (
    ("了解中小企業數位轉型需求與預算", "北部中小企業經營者",
     "數位化現況、導入障礙、預算規模", "questionnaire"),
    ("掌握主要競爭對手服務與定價", "同業顧問公司", "服務項目、價格帶、行銷手法", "desk"),
    ("評估中部市場拓展機會", "中部製造業者", "產業聚落、顧問需求、決策流程", "interview"),
    ("了解既有客戶滿意度與續約意願", "A、B 級客戶",
     "服務滿意度、續約意向、改善建議", "questionnaire"),
    ("研究 ESG 法規對企業顧問需求的影響", "上市櫃公司永續部門",
     "法規時程、內部人力、外部協助需求", "desk"),
    ("觀察展會參觀者行為與攤位成效", "智慧製造展參觀者",
     "停留時間、諮詢主題、名單品質", "observation"),
    ("探索企業培訓線上化趨勢", "人資與訓練主管", "培訓預算、線上比重、平台偏好", "questionnaire"),
    ("分析家族企業傳承顧問市場", "家族企業二代", "傳承痛點、顧問選擇標準", "interview"),
    ("評估 AI 工具導入顧問服務的需求", "資訊與營運主管", "AI 應用情境、疑慮、預算", "interview"),
    ("整理產業景氣與政策補助資訊", "政府公開資料與產業報告",
     "景氣指標、補助計畫、產業動態", "desk"),
    ("了解客戶服務體驗與痛點", "近半年服務案件客戶",
     "回覆速度、處理品質、溝通方式", "questionnaire"),
    ("觀察零售通路數位化實況", "北部連鎖零售門市", "門市系統、會員經營、人力配置", "observation"),
)  # fmt: skip
RESEARCH_FINDINGS = (
    "受訪企業六成已有數位化規劃，但缺乏內部專案人力，外部顧問需求明確。",
    "同業多以低價套裝方案切入中小企業，本公司在客製化與產業經驗上具優勢。",
    "客戶最重視回覆速度與顧問穩定度，續約意願與專案經理溝通品質高度相關。",
    "法規時程帶動明年上半年需求，建議提前布局 ESG 相關課程與顧問方案。",
)

# (name, segment, offer, price level), then (strengths, weaknesses); fictitious firms.
COMPETITORS = (
    ("恆策管理顧問股份有限公司", "中大型企業策略顧問", "策略規劃、組織重整", "premium",
     "品牌知名度高、合夥人資歷深", "價格高，中小企業案件接案意願低"),
    ("睿思企業管理顧問有限公司", "中小企業經營顧問", "經營診斷、政府補助案輔導", "low",
     "熟悉政府補助申請流程", "顧問人力流動高"),
    ("鼎峰數位顧問股份有限公司", "數位轉型", "ERP／CRM 導入、流程自動化", "mid",
     "具系統整合能力", "策略面深度不足"),
    ("匯智人才發展股份有限公司", "企業培訓", "主管培訓、內訓課程", "mid",
     "講師陣容多元", "客製化程度低"),
    ("遠見行銷顧問有限公司", "品牌與數位行銷", "品牌策略、社群代操", "mid",
     "創意能力強", "缺乏數據分析能力"),
    ("安信財務顧問股份有限公司", "財務顧問", "財務規劃、併購顧問", "high",
     "金融業人脈廣", "服務集中於上市櫃公司"),
    ("群英人資顧問股份有限公司", "人資顧問", "薪酬制度、績效管理", "mid",
     "薪酬資料庫完整", "導入後續追蹤不足"),
    ("曜石資訊顧問股份有限公司", "資安與數位治理", "資安健檢、ISO 27001 輔導", "high",
     "認證輔導經驗豐富", "行銷能見度低"),
    ("卓越生產力顧問股份有限公司", "製造業改善", "精實管理、智慧工廠", "mid",
     "製造業現場經驗深", "服務區域集中中南部"),
    ("知行永續顧問有限公司", "ESG 永續", "碳盤查、永續報告書", "mid",
     "永續議題專業度高", "團隊規模小、檔期有限"),
    ("泰瑞國際管理顧問股份有限公司", "外商策略顧問", "市場進入策略、海外布局", "premium",
     "國際網絡完整", "在地化不足、溝通成本高"),
    ("樂途行銷科技股份有限公司", "行銷科技", "MarTech 導入、CDP 建置", "mid",
     "工具整合快速", "顧問經驗較淺"),
    ("明日學院股份有限公司", "線上學習", "線上課程平台、企業學習方案", "low",
     "課程量大、價格親民", "缺乏客製化輔導"),
    ("宏觀產業研究股份有限公司", "產業研究", "產業報告、市場調查", "mid",
     "資料庫完整", "不提供導入服務"),
    ("晨曦家族辦公室顧問股份有限公司", "家族企業傳承", "傳承規劃、家族憲章", "premium",
     "法律與稅務整合服務", "服務對象限高資產家族"),
)  # fmt: skip
COMPETITOR_SOURCES = (
    "公司官網與新聞稿", "產業研討會交流", "客戶訪談", "上市櫃公司年報", "人力銀行職缺資訊",
    "政府標案決標公告",
)  # fmt: skip

TICKET_TYPES = {"inquiry": 45, "complaint": 14, "feedback": 21, "problem": 20}
TICKET_CHANNELS = {
    "inquiry": ("phone", "email", "chat", "web_form"),
    "complaint": ("phone", "email", "chat", "visit", "review"),
    "feedback": ("survey", "review", "email", "web_form"),
    "problem": ("phone", "email", "chat", "web_form"),
}
TICKET_PRIORITY = {
    "inquiry": ("low", "normal"), "complaint": ("high", "urgent"),
    "feedback": ("low", "normal"), "problem": ("normal", "high"),
}  # fmt: skip
TICKET_VERBS = {
    "phone": "來電", "email": "來信", "chat": "於線上客服", "web_form": "於網站表單",
    "survey": "於問卷", "review": "於網路評論", "visit": "到場",
}  # fmt: skip
TICKET_SUBJECTS = {
    "inquiry": (
        "詢問{svc}方案內容與報價", "詢問課程開班時間", "詢問發票開立方式", "詢問合約續約流程",
        "詢問顧問到場時間調整", "詢問線上課程登入方式"),
    "complaint": (
        "顧問報告交付延遲", "講師臨時更換未事先通知", "發票金額錯誤", "客服回覆速度太慢",
        "顧問溝通態度不佳", "課程內容與簡介不符"),
    "feedback": (
        "課程滿意度問卷回覆", "建議增加實作案例", "肯定顧問團隊專業", "建議提供課程線上回放",
        "網路評論：活動安排順暢"),
    "problem": (
        "線上學習平台無法登入", "報表系統資料未更新", "合約附件缺漏", "付款帳號資訊錯誤",
        "會議連結失效"),
}  # fmt: skip
RESOLUTIONS = {
    "inquiry": ("已回覆方案說明與報價單", "已提供開班時程與報名連結", "已說明流程並寄送相關文件"),
    "complaint": (
        "已致電致歉並提供修正版報告", "已補寄正確發票並更新客戶資料",
        "已安排資深顧問接手並調整時程"),
    "feedback": ("已記錄建議並轉交課程團隊", "已致謝並分享給顧問團隊"),
    "problem": (
        "已重設帳號並確認客戶可正常登入", "已重新執行排程並通知客戶", "已補寄文件並確認收悉"),
}  # fmt: skip
# root cause -> the improvement measure that answers it
IMPROVEMENTS = {
    "專案排程未預留審閱時間": "專案排程加入內部審閱節點，並於系統設定到期提醒",
    "講師調度未建立通知流程": "建立講師異動通知 SOP，異動須於 3 日前通知客戶",
    "開票資料未與合約核對": "開票前由業務與財務雙重核對合約金額與抬頭",
    "客服人力排班不足": "尖峰時段增加客服輪班人力，並設定自動回覆",
    "帳號權限設定錯誤": "帳號開通改用檢核清單，並由第二人覆核",
    "系統排程作業失敗": "排程失敗自動告警，並每日檢查執行紀錄",
    "交接文件不完整": "銷售轉交客服時使用標準交接表單",
}
ROOT_CAUSES = tuple(IMPROVEMENTS)

# (category, item) -> (monthly budget, typical claim), both NT$.
EXPENSE_LINES = {
    ("promotion", "advertising"): (280_000, 30_000), ("promotion", "events"): (240_000, 25_000),
    ("promotion", "materials"): (70_000, 6_000), ("promotion", "digital"): (180_000, 15_000),
    ("promotion", "survey"): (50_000, 10_000), ("sales", "travel"): (90_000, 2_400),
    ("sales", "entertainment"): (70_000, 4_500), ("sales", "gifts"): (40_000, 3_000),
    ("sales", "materials"): (30_000, 3_000), ("service", "travel"): (30_000, 1_800),
    ("service", "gifts"): (20_000, 2_000), ("service", "training"): (40_000, 8_000),
    ("service", "other"): (15_000, 1_500),
}  # fmt: skip
SEASON = (0.8, 0.7, 1.0, 1.1, 1.0, 0.9, 0.8, 0.9, 1.2, 1.3, 1.1, 1.0)
CLAIM_REASONS = {
    "advertising": ("關鍵字廣告費", "產業媒體廣告刊登費", "LinkedIn 贊助貼文費用"),
    "events": ("活動場地租金", "活動音響燈光與佈置", "講師車馬費", "活動餐點費用"),
    "materials": ("宣傳手冊印製", "活動海報與名牌印製", "公司簡介型錄再版", "業務提案資料印製"),
    "digital": ("社群廣告投放", "官網維護與 SEO 服務費", "電子報平台月費"),
    "survey": ("問卷平台費用", "受訪者禮券", "產業報告購買"),
    "travel": (
        "拜訪客戶高鐵車資（台北—台中）", "拜訪客戶計程車資", "南部客戶拜訪住宿費",
        "拜訪客戶油資與停車費"),
    "entertainment": ("客戶餐敘", "客戶會議茶點"),
    "gifts": ("客戶中秋禮盒", "客戶生日禮品", "新春客戶伴手禮"),
    "training": ("客服技巧外部課程報名費", "客訴處理工作坊講師費"),
    "other": ("客服專線系統月費", "郵資與快遞費"),
}  # fmt: skip

# group -> (indicator, weight in %, standard, period) ...
KPI_SETS = {
    "department": (
        ("revenue", 40, "部門營收達成率換算分數，滿分 100", "year"),
        ("profit", 30, "部門利潤達成率換算分數，滿分 100", "year"),
        ("satisfaction", 15, "客戶滿意度平均 4.5 分為滿分", "year"),
        ("promotion_effect", 15, "活動潛在客戶數達成率", "year")),
    "promotion": (
        ("promotion_effect", 40, "活動潛在客戶數達成率換算分數", "quarter"),
        ("new_customers", 30, "活動帶來新客戶數達成率", "quarter"),
        ("revenue", 15, "活動帶來營收達成率", "quarter"),
        ("satisfaction", 15, "活動滿意度平均 4.5 分為滿分", "quarter")),
    "sales": (
        ("revenue", 40, "個人營收達成率換算分數，滿分 100", "quarter"),
        ("profit", 20, "個人毛利達成率換算分數", "quarter"),
        ("new_customers", 25, "新客戶數達成率", "quarter"),
        ("satisfaction", 15, "負責客戶滿意度平均 4.5 分為滿分", "quarter")),
    "service": (
        ("satisfaction", 40, "服務滿意度平均 4.5 分為滿分", "quarter"),
        ("response_time", 35, "平均首次回覆時數，目標以內為滿分", "quarter"),
        ("other", 25, "結案率：當季案件結案比率（%）", "quarter")),
}  # fmt: skip
KPI_CODES = {"department": "D", "promotion": "P", "sales": "S", "service": "C"}

TRAINING_ONBOARDING = (
    ("company", "新進人員訓練：公司簡介與制度", 3),
    ("culture", "新進人員訓練：企業文化與價值觀", 2),
    ("marketing", "新進人員訓練：營銷流程與政策", 3),
    ("product", "新進人員訓練：顧問服務與產品介紹", 4),
)
TRAINING_BY_GROUP = {
    "sales": ("sales_skills", "新進業務：顧問式銷售基礎", 6),
    "service": ("service", "新進客服：客戶服務與客訴處理", 6),
    "legal": ("compliance", "新進法務：合約審閱流程", 4),
    "promotion": ("marketing", "新進行銷：活動企劃與預算流程", 4),
}
# (type, topic, course, groups, hours, trainer)
TRAINING_SESSIONS = (
    ("internal", "sales_skills", "顧問式銷售技巧進階", ("sales",), 6, "業務部"),
    ("internal", "service", "客訴處理與情緒管理", ("service",), 4, "客服部"),
    ("internal", "marketing", "數位廣告成效分析", ("promotion",), 3, "市場推廣組"),
    ("internal", "compliance", "個人資料保護法實務", ("sales", "service", "promotion"), 2, "法務"),
    ("external", "marketing", "行銷科技趨勢研討會", ("promotion", "department"), 6,
     "台北市行銷經理人協會"),
    ("external", "sales_skills", "B2B 談判技巧工作坊", ("sales",), 12, "中華人才發展協會"),
    ("internal", "product", "新服務方案說明：ESG 顧問", ("sales", "promotion", "service"), 2,
     "策略顧問團隊"),
)  # fmt: skip


# --- small helpers -----------------------------------------------------------------------------


def _minguo(day: date) -> str:
    """The date as staff in Taiwan often type it: Minguo year/month/day."""
    return f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _to_workday(day: date, forward: bool = False) -> date:
    """Move a weekend date to the Friday before (or the Monday after)."""
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    return day


def _year_earlier(day: date) -> date:
    """The same day a year earlier: the usual way a typed end date lands before its start."""
    return day.replace(year=day.year - 1, day=min(day.day, 28))


def _next_working_moment(t: datetime) -> datetime:
    while True:
        day_end = t.replace(hour=WORKDAY_END, minute=0, second=0, microsecond=0)
        if t.weekday() >= 5 or t >= day_end:
            t = datetime.combine(t.date() + timedelta(days=1), dtime(WORKDAY_START))
        elif t.hour < WORKDAY_START:
            return t.replace(hour=WORKDAY_START, minute=0, second=0, microsecond=0)
        else:
            return t


def _add_working_hours(t: datetime, hours: float) -> datetime:
    """``t`` plus working hours, counting only 09:00–18:00 Monday to Friday."""
    remaining = timedelta(hours=hours)
    t = _next_working_moment(t)
    while True:
        day_end = t.replace(hour=WORKDAY_END, minute=0, second=0, microsecond=0)
        if t + remaining <= day_end:
            return t + remaining
        remaining -= day_end - t
        t = _next_working_moment(day_end)


def _split(rng: random.Random, total: int, parts: int, step: int) -> list[int]:
    """Split ``total`` into ``parts`` positive multiples of ``step``; the last takes the rest."""
    if parts <= 1:
        return [total]
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = total / sum(weights)
    amounts = [max(step, round(w * scale / step) * step) for w in weights[:-1]]
    while total - sum(amounts) < step:
        # Rounding took the whole rest: give one step back from the largest share.
        amounts[amounts.index(max(amounts))] -= step
    return [*amounts, total - sum(amounts)]


def _pct(value: float, places: int = 2) -> Decimal:
    return Decimal(f"{value:.{places}f}")


@dataclass(frozen=True)
class _Person:
    emp_id: str
    name: str
    email: str
    group: str
    role: str
    manager: str | None
    hire: date
    leave: date | None

    def employed(self, day: date) -> bool:
        return self.hire <= day and (self.leave is None or day <= self.leave)


@dataclass
class _Customer:
    row: Row
    short: str
    domain: str
    first_contact: date
    service_line: str
    budget: int
    contacts: list[str]
    opps: list[Row]


# --- the builder -------------------------------------------------------------------------------


class _Builder:
    """Builds every sheet in dependency order, planting mistakes into chosen rows as it goes."""

    def __init__(self, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.year = as_of.year
        self.start = as_of - timedelta(days=360)  # the demo year
        self.columns = {s.key: [c.key for c in s.columns] for wb in WORKBOOKS for s in wb.sheets}
        self.sheets: dict[str, list[Row]] = {key: [] for key in self.columns}
        self.planted: list[Planted] = []
        self.tainted: dict[str, set[str]] = defaultdict(set)
        self.used_emails: set[str] = set()

    # -- plumbing

    def add(self, sheet: str, **values: Any) -> Row:
        """Append a row with every declared column, in declared order."""
        cols = self.columns[sheet]
        unknown = values.keys() - set(cols)
        if unknown:
            raise KeyError(f"{sheet}: no columns {sorted(unknown)}")
        row = {c: values.get(c) for c in cols}
        self.sheets[sheet].append(row)
        return row

    def plant(self, kind: str, rule: str, sheet: str, key: str, column: str | None) -> None:
        self.planted.append(Planted(kind, rule, sheet, key, column))
        self.tainted[sheet].add(key)

    def pick(self, sheet: str, candidates: Sequence[Row], n: int, pk: str) -> list[Row]:
        """Choose ``n`` rows that carry no planted mistake yet, and reserve them."""
        free = [r for r in candidates if r[pk] not in self.tainted[sheet]]
        chosen = self.rng.sample(free, min(n, len(free)))
        self.tainted[sheet].update(r[pk] for r in chosen)
        return chosen

    def between(self, a: date, b: date) -> date:
        return a + timedelta(days=self.rng.randint(0, max(0, (b - a).days)))

    def weighted(self, table: dict[str, int]) -> str:
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def letters(self) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2))

    def mobile(self) -> str:
        return f"09{self.rng.randint(10, 89)}-{self.digits(3)}-{self.digits(3)}"

    def landline(self, code: str) -> str:
        if code == "02":
            return f"02-{self.rng.choice('28')}{self.digits(3)}-{self.digits(4)}"
        if code == "04":
            return f"04-2{self.digits(3)}-{self.digits(4)}"
        if len(code) == 4:  # an area code with the first digit of the local number
            return f"{code}{self.digits(2)}-{self.digits(4)}"
        return f"{code}-{self.rng.randint(2, 7)}{self.digits(2)}-{self.digits(4)}"

    def person_name(self) -> tuple[str, str]:
        """A name and the matching e-mail local part (given.surname)."""
        surname, s_rom, _ = self.rng.choices(SURNAMES, weights=[s[2] for s in SURNAMES])[0]
        given, g_rom = self.rng.choice(GIVEN_NAMES)
        return surname + given, f"{g_rom}.{s_rom}"

    def unique_email(self, local: str, domain: str) -> str:
        email, n = f"{local}@{domain}", 1
        while email in self.used_emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.used_emails.add(email)
        return email

    def staff(
        self, groups: Iterable[str] = (), roles: Iterable[str] = (), day: date | None = None
    ) -> list[_Person]:
        """Staff of these groups or roles employed on ``day``; a leaver is never assigned."""
        groups, roles, on = set(groups), set(roles), day or self.as_of
        return [
            p
            for p in self.people
            if (p.group in groups or p.role in roles) and p.employed(on) and p.leave is None
        ]

    def owner_at(self, manager: _Person, day: date) -> _Person:
        """Who handled an account on ``day``: its manager, or the sales lead before a new hire."""
        return manager if manager.employed(day) else self.sales_lead

    def typo_of(self, name: str) -> str:
        """A name one homophone away from a roster name, and itself not on the roster."""
        names = {p.name for p in self.people}
        for i in (2, 1):
            if name[i] in HOMOPHONES:
                typo = name[:i] + HOMOPHONES[name[i]] + name[i + 1 :]
                if typo not in names:
                    return typo
        return name[0] + "小" + name[2]

    # -- build

    def build(self) -> DemoData:
        self.roster()
        self.recruitment()
        self.training()
        self.kpis()
        self.commission_tiers()
        self.campaigns()
        self.campaign_tasks()
        self.progress_reviews()
        self.campaign_budget()
        self.research_plan()
        self.competitors()
        self.customers()
        self.opportunities()
        self.followups()
        self.targets()
        self.contracts()
        self.tickets()
        self.improvements()
        self.expenses()
        self.appraisals()
        rows = {wb.key: {s.key: self.sheets[s.key] for s in wb.sheets} for wb in WORKBOOKS}
        return DemoData(rows=rows, planted=sorted(self.planted, key=Planted.sort_key))

    # -- staff

    def roster(self) -> None:
        a, rng = self.as_of, self.rng

        def ago(lo: int, hi: int | None = None) -> date:
            days = lo if hi is None else rng.randint(lo, hi)
            return _to_workday(a - timedelta(days=days), forward=True)

        # (group, role, manager slot, hired, left); the slots are positions in this list.
        spec: list[tuple[str, str, int | None, date, date | None]] = [
            ("management", "executive", None, ago(4500, 5500), None),
            ("management", "executive", 0, ago(3000, 4200), None),
            ("department", "head", 0, ago(2500, 3800), None),
            ("department", "assistant", 2, ago(500, 2000), None),
            ("promotion", "lead", 2, ago(1500, 3000), None),
            ("promotion", "specialist", 4, ago(600, 2200), None),
            ("promotion", "specialist", 4, ago(400, 1500), None),
            ("promotion", "specialist", 4, ago(700, 2400), None),
            ("promotion", "specialist", 4, ago(265), None),
            ("sales", "lead", 2, ago(1800, 3200), None),
            ("sales", "sales_rep", 9, ago(900, 2500), None),
            ("sales", "sales_rep", 9, ago(700, 2000), None),
            ("sales", "sales_rep", 9, ago(500, 1600), None),
            ("sales", "sales_rep", 9, ago(400, 1200), None),
            ("sales", "sales_rep", 9, ago(900, 1500), _to_workday(a - timedelta(days=210))),
            ("sales", "sales_rep", 9, ago(160), None),
            ("sales", "sales_rep", 9, ago(45), None),
            ("service", "lead", 2, ago(1500, 3000), None),
            ("service", "service_rep", 17, ago(500, 2000), None),
            ("service", "service_rep", 17, ago(400, 1400), None),
            ("service", "service_rep", 17, ago(600, 1800), None),
            ("service", "service_rep", 17, ago(320), None),
            ("finance", "accountant", 1, ago(1000, 3000), None),
            ("finance", "accountant", 1, ago(400, 1500), None),
            ("legal", "counsel", 1, ago(1200, 3000), None),
            ("legal", "counsel", 1, ago(86), None),
        ]
        names: list[tuple[str, str]] = []
        while len(names) < len(spec):
            name, local = self.person_name()
            email = f"{local}@{COMPANY_DOMAIN}"
            if name not in {n for n, _ in names} and email not in self.used_emails:
                self.used_emails.add(email)
                names.append((name, email))
        # Employee numbers follow the order of hiring.
        order = sorted(range(len(spec)), key=lambda i: (spec[i][3], i))
        people = {}
        for number, slot in enumerate(order, 1):
            group, role, mgr, hire, leave = spec[slot]
            manager = names[mgr][0] if mgr is not None else None
            name, email = names[slot]
            people[slot] = _Person(f"E{number:03d}", name, email, group, role, manager, hire, leave)
        self.people = [people[slot] for slot in order]
        self.by_name = {p.name: p for p in self.people}
        self.gm, self.deputy, self.head = people[0], people[1], people[2]
        self.promo_lead, self.sales_lead, self.service_lead = people[4], people[9], people[17]
        self.leaver = people[14]
        self.recent_hires = [people[s] for s in (21, 8, 15, 25, 16)]
        for p in self.people:
            self.add(
                "roster", employee_id=p.emp_id, name=p.name, group=p.group, role=p.role,
                manager=p.manager, email=p.email, phone=self.mobile(), hire_date=p.hire,
                leave_date=p.leave, active=p.leave is None,
            )  # fmt: skip

    def recruitment(self) -> None:
        a, rng = self.as_of, self.rng
        titles = {
            "service_rep": "客服專員", "specialist": "行銷專員（數位）", "sales_rep": "業務代表",
            "counsel": "法務專員",
        }  # fmt: skip
        filled = []
        for p in sorted(self.recent_hires, key=lambda p: p.hire):
            title = titles[p.role]
            if p.role == "sales_rep":
                # The first sales hire replaced the leaver; the second is a new headcount.
                title += "（遞補）" if p.hire < a - timedelta(days=100) else "（新增）"
            owner = self.by_name[p.manager] if p.manager else self.head
            planned = p.hire - timedelta(days=rng.randint(0, 14))
            filled.append((title, p.group, p.role, 1, planned, owner, "done"))
        opening = [
            ("行銷專員（內容）", "promotion", "specialist", 1, 40, self.promo_lead, "in_progress"),
            ("資深業務代表", "sales", "sales_rep", 2, 70, self.sales_lead, "in_progress"),
            ("客服專員（擴編）", "service", "service_rep", 1, 120, self.service_lead, "todo"),
        ]
        for title, group, role, count, days, owner, status in opening:
            planned = _to_workday(a + timedelta(days=days), forward=True)
            filled.append((title, group, role, count, planned, owner, status))
        for n, (title, group, role, count, planned, owner, status) in enumerate(filled, 1):
            self.add(
                "recruitment", position_id=f"R{planned.year}-{n:02d}", title=title, group=group,
                role=role, headcount=count, planned_date=planned, owner=owner.name, status=status,
            )  # fmt: skip

    def training(self) -> None:
        a, rng = self.as_of, self.rng
        rows: list[tuple[date, str, Row]] = []

        def log(p: _Person, kind: str, topic: str, course: str, day: date, hours: int, by: str):
            values = {
                "employee": p.name, "training_type": kind, "topic": topic, "course": course,
                "date": day, "hours": Decimal(hours), "provider": by, "completed": day <= a,
            }  # fmt: skip
            rows.append((day, p.emp_id, values))

        # Two of the hires of the last year never got onboarding within 30 days.
        late, missing = rng.sample(self.recent_hires[:4], 2)
        for p in (late, missing):
            self.plant("no-onboarding-in-30-days", R_ONBOARDING, "roster", p.emp_id, "hire_date")
        day = late.hire + timedelta(days=rng.randint(40, 55))
        for topic, course, hours in TRAINING_ONBOARDING:
            day = _to_workday(day + timedelta(days=1), forward=True)
            log(late, "onboarding", topic, course, day, hours, "人資部")
        recent = {p.name for p in self.recent_hires}
        for p in self.people:
            if p in (late, missing) or p.leave is not None:
                continue
            if p.name in recent:
                # The full programme within about three weeks, well inside the 30 days.
                day = p.hire
                extra = [TRAINING_BY_GROUP[p.group]] if p.group in TRAINING_BY_GROUP else []
                for topic, course, hours in [*TRAINING_ONBOARDING, *extra]:
                    day = _to_workday(day + timedelta(days=rng.randint(1, 4)), forward=True)
                    trainer = "人資部" if topic in ("company", "culture") else "營銷部"
                    log(p, "onboarding", topic, course, day, hours, trainer)
            else:
                day = _to_workday(p.hire + timedelta(days=rng.randint(1, 10)), forward=True)
                log(p, "onboarding", "company", "新進人員訓練：公司簡介與制度", day, 3, "人資部")
        for quarter in range(4):
            for kind, topic, course, groups, hours, trainer in TRAINING_SESSIONS:
                if rng.random() < 0.45:
                    continue
                first = self.start + timedelta(days=90 * quarter)
                day = _to_workday(self.between(first, first + timedelta(days=80)))
                if day > a:  # planned, not yet held
                    day = _to_workday(a + timedelta(days=rng.randint(5, 20)), forward=True)
                # Keep the planted new hires out of their first weeks' sessions, so no other
                # training can be mistaken for their missing onboarding.
                attendees = [
                    p
                    for p in self.staff(groups, day=day)
                    if p not in (late, missing) or p.hire + timedelta(days=60) < day
                ]
                for p in rng.sample(attendees, min(len(attendees), rng.randint(2, 5))):
                    log(p, kind, topic, course, day, hours, trainer)
        rows.sort(key=lambda r: (r[0], r[1]))
        for n, (_, _, values) in enumerate(rows, 1):
            self.add("training", training_id=f"T{n:04d}", **values)

    def kpis(self) -> None:
        self.kpi_ids: dict[tuple[int, str], list[tuple[str, str]]] = {}
        planted_group = self.rng.choice(["promotion", "sales", "service"])
        for year in (self.year - 1, self.year):
            for group, items in KPI_SETS.items():
                ids = []
                for i, (indicator, weight, standard, period) in enumerate(items, 1):
                    kpi_id = f"K{year}-{KPI_CODES[group]}-{i:02d}"
                    if year == self.year and group == planted_group and i == 1:
                        weight += 5  # the main indicator raised without lowering another
                        self.plant("kpi-weights", R_WEIGHTS, "kpis", kpi_id, "weight")
                    self.add(
                        "kpis", kpi_id=kpi_id, year=year, group=group, indicator=indicator,
                        weight=Decimal(weight) / 100, standard=standard, period_type=period,
                    )  # fmt: skip
                    ids.append((kpi_id, indicator))
                self.kpi_ids[(year, group)] = ids

    def commission_tiers(self) -> None:
        tiers = (("0", "0.8", "0.01"), ("0.8", "1", "0.02"), ("1", "1.2", "0.03"))
        for i, (lo, hi, rate) in enumerate([*tiers, ("1.2", None, "0.04")], 1):
            self.add(
                "commission_tiers", tier_id=f"CT{i}", from_attainment=Decimal(lo),
                to_attainment=Decimal(hi) if hi else None, rate=Decimal(rate),
            )  # fmt: skip

    # -- marketing plan

    def campaigns(self) -> None:
        a, rng = self.as_of, self.rng
        statuses = (
            ["closed"] * 14 + ["executing"] * 8 + ["approved"] * 5 + ["reviewed"] * 3
            + ["submitted"] * 3 + ["draft"] * 4 + ["rejected"] * 3
        )  # fmt: skip
        themes = list(CAMPAIGN_THEMES) * 2
        rng.shuffle(themes)
        drafts = []
        for status, theme in zip(statuses, themes, strict=True):
            if status == "closed":
                end = a - timedelta(days=rng.randint(8, 330))
                start = end - timedelta(days=rng.randint(21, 100))
            elif status == "executing":
                start = a - timedelta(days=rng.randint(10, 80))
                end = a + timedelta(days=rng.randint(5, 70))
            else:
                start = a + timedelta(
                    days=rng.randint(7, 60) if status == "approved" else rng.randint(20, 150)
                )
                end = start + timedelta(days=rng.randint(21, 90))
            drafts.append((_to_workday(start, True), _to_workday(end, True), status, theme))
        drafts.sort(key=lambda d: (d[0], d[3][0]))
        seq: dict[int, int] = defaultdict(int)
        used_names: set[str] = set()
        self.campaign_digital: dict[str, bool] = {}
        for start, end, status, theme in drafts:
            name, fmt, objective, line, venue, theme_line, audience = theme
            seq[start.year] += 1
            cid = f"MC{start.year}-{seq[start.year]:03d}"
            full = next(
                f"{start.year} {name}{s}" for s in CAMPAIGN_SUFFIXES
                if f"{start.year} {name}{s}" not in used_names
            )  # fmt: skip
            used_names.add(full)
            event = fmt in EVENT_FORMATS
            budget = rng.randint(*FORMAT_BUDGET[fmt]) * 10_000
            reach = rng.randint(*FORMAT_REACH[fmt])
            leads = max(10, reach // (rng.randint(4, 12) if event else rng.randint(40, 120)))
            target_revenue = int(round(budget * rng.uniform(3, 8), -4))
            reviewer = approver = review_date = approval_date = None
            if status in ("approved", "executing", "closed"):
                # Approved before it starts (policy 4.1), reviewed before that.
                approval_date = min(
                    start - timedelta(days=rng.randint(5, 25)),
                    a - timedelta(days=rng.randint(0, 10)),
                )
                review_date = approval_date - timedelta(days=rng.randint(2, 10))
                reviewer = self.head.name
                approver = (self.gm if rng.random() < 0.7 else self.deputy).name
            elif status in ("reviewed", "rejected"):
                review_date = a - timedelta(days=rng.randint(1, 20 if status == "reviewed" else 60))
                reviewer = self.head.name
            owners = self.staff(("promotion",), day=min(review_date or a, start))
            owner = rng.choice(owners) if rng.random() < 0.9 else self.head
            row = self.add(
                "campaigns", campaign_id=cid, name=full, theme=theme_line, objective=objective,
                target_participants=reach, target_leads=leads,
                target_revenue=Decimal(target_revenue),
                target_awareness_lift=_pct(rng.uniform(0.03, 0.10)),
                target_satisfaction=_pct(rng.uniform(4.0, 4.6), 1),
                product=PRODUCT_4P[line], price=rng.choice(PRICE_4P), place=rng.choice(PLACE_4P),
                promotion=rng.choice(PROMOTION_4P), format=fmt,
                content=f"{theme_line}；{CONTENT_4P[event]}", start_date=start, end_date=end,
                venue=venue, audience=audience, budget=Decimal(budget), owner=owner.name,
                status=status, reviewer=reviewer, review_date=review_date, approver=approver,
                approval_date=approval_date,
            )  # fmt: skip
            if status == "closed":
                lift = float(row["target_awareness_lift"]) * rng.uniform(0.3, 1.4)
                row.update(
                    evaluation_date=end + timedelta(days=rng.randint(3, min(25, (a - end).days))),
                    actual_participants=round(reach * rng.uniform(0.6, 1.3)),
                    actual_leads=round(leads * rng.uniform(0.5, 1.4)),
                    actual_revenue=Decimal(int(round(target_revenue * rng.uniform(0.4, 1.5), -4))),
                    actual_awareness_lift=_pct(lift),
                    actual_satisfaction=_pct(rng.uniform(3.6, 4.8), 1),
                    lessons=rng.choice(LESSONS),
                )
            self.campaign_digital[cid] = not event
        self.plant_campaigns()

    def plant_campaigns(self) -> None:
        rows, a, rng = self.sheets["campaigns"], self.as_of, self.rng
        running = [r for r in rows if r["status"] in ("executing", "closed")]
        for r in self.pick("campaigns", running, 2, "campaign_id"):
            # Started first; the approval was signed afterwards.
            r["approval_date"] = r["start_date"] + timedelta(days=rng.randint(2, 7))
            r["review_date"] = r["start_date"] - timedelta(days=rng.randint(1, 5))
            self.plant(
                "started-before-approval",
                R_APPROVAL,
                "campaigns",
                r["campaign_id"],
                "approval_date",
            )
        approved = [r for r in rows if r["status"] in ("approved", "executing")]
        for r in self.pick("campaigns", approved, 2, "campaign_id"):
            r["approver"] = None
            self.plant(
                "approved-without-approver", R_APPROVAL, "campaigns", r["campaign_id"], "approver"
            )
        due = a - timedelta(days=EVALUATION_DUE_DAYS + 10)
        ended = [r for r in rows if r["status"] == "closed" and r["end_date"] < due]
        for r in self.pick("campaigns", ended, 2, "campaign_id"):
            for col in self.columns["campaigns"]:
                if col == "evaluation_date" or col.startswith("actual_") or col == "lessons":
                    r[col] = None
            self.plant(
                "evaluation-overdue", R_EVALUATION, "campaigns", r["campaign_id"], "evaluation_date"
            )
        drafts = [r for r in rows if r["status"] in ("draft", "submitted")]
        for r in self.pick("campaigns", drafts, 2, "campaign_id"):
            r["end_date"] = _year_earlier(r["end_date"])
            self.plant("end-before-start", F_DATE_ORDER, "campaigns", r["campaign_id"], "end_date")

    def clean_campaigns(self, *statuses: str) -> list[Row]:
        """Campaigns of these statuses that carry no planted mistake."""
        return [
            r
            for r in self.sheets["campaigns"]
            if r["status"] in statuses and r["campaign_id"] not in self.tainted["campaigns"]
        ]

    def campaign_tasks(self) -> None:
        a, rng = self.as_of, self.rng
        n = 0
        for c in self.sheets["campaigns"]:
            if c["status"] not in ("approved", "executing", "closed"):
                continue
            names = DIGITAL_TASKS if self.campaign_digital[c["campaign_id"]] else EVENT_TASKS
            k = rng.randint(6, min(9, len(names)))
            chosen = sorted(rng.sample(range(len(names)), k))
            # Work starts after the approval (policy 4.1) and runs to a week after the end.
            first = max(c["approval_date"], c["review_date"]) + timedelta(days=1)
            span = max(1, (c["end_date"] + timedelta(days=7) - first).days)
            for j, idx in enumerate(chosen):
                n += 1
                task = names[idx]
                start = first + timedelta(days=span * j // k)
                due = start + timedelta(days=rng.randint(3, 14))
                owner = rng.choice(self.staff(("promotion",), day=start) or [self.promo_lead])
                if "移交業務" in task:
                    owner = self.sales_lead
                elif "問卷" in task and rng.random() < 0.5:
                    owner = rng.choice(self.staff(("service",), day=start))
                done = None
                if due < a:  # everything past its due date is finished: nothing overdue
                    status = "done" if rng.random() < 0.94 else "cancelled"
                    if status == "done":
                        done = min(due, start + timedelta(days=rng.randint(1, 10)))
                elif start <= a:
                    status = "in_progress"
                    if rng.random() < 0.25:
                        status, done = "done", self.between(start, a)
                else:
                    status = "todo"
                self.add(
                    "campaign_tasks", task_id=f"TK{n:04d}", campaign_id=c["campaign_id"],
                    task=task, owner=owner.name, start_date=start, due_date=due, status=status,
                    done_date=done, notes="改線上進行，取消" if status == "cancelled" else None,
                )  # fmt: skip
        rows = self.sheets["campaign_tasks"]
        for r in self.pick("campaign_tasks", rows, 3, "task_id"):
            r["owner"] = None
            self.plant("task-without-owner", R_TASK_OWNER, "campaign_tasks", r["task_id"], "owner")
        promo = [r for r in rows if r["owner"] != self.sales_lead.name]
        for r in self.pick("campaign_tasks", promo, 2, "task_id"):
            r["owner"] = self.typo_of(r["owner"])
            self.plant("unknown-owner", R_OWNER_KNOWN, "campaign_tasks", r["task_id"], "owner")
        future = [r for r in rows if r["start_date"] > a + timedelta(days=10)]
        for r in self.pick("campaign_tasks", future, 2, "task_id"):
            r["due_date"] = r["start_date"] - timedelta(days=rng.randint(2, 6))
            self.plant("end-before-start", F_DATE_ORDER, "campaign_tasks", r["task_id"], "due_date")
        finished = [r for r in rows if r["status"] == "done"]
        for r in self.pick("campaign_tasks", finished, 2, "task_id"):
            r["done_date"] = _minguo(r["done_date"])
            self.plant("minguo-date", F_LENIENT_DATE, "campaign_tasks", r["task_id"], "done_date")

    def progress_reviews(self) -> None:
        a, rng = self.as_of, self.rng
        n = 0
        for c in self.sheets["campaigns"]:
            if c["status"] not in ("executing", "closed"):
                continue
            start, end = c["start_date"], c["end_date"]
            # A meeting at least every REVIEW_EVERY_DAYS while it runs (policy 4.2 default).
            day = start + timedelta(days=rng.randint(4, 10))
            while day <= min(end, a):
                n += 1
                issue, action = rng.choice(REVIEW_NOTES)
                progress = min(1.0, (day - start).days / max(1, (end - start).days))
                self.add(
                    "progress_reviews", review_id=f"PR{n:04d}", campaign_id=c["campaign_id"],
                    date=day, host=c["owner"] if rng.random() < 0.8 else self.head.name,
                    progress=_pct(progress), issues=issue, actions=action,
                )  # fmt: skip
                day += timedelta(days=rng.randint(7, REVIEW_EVERY_DAYS))

    def campaign_budget(self) -> None:
        n = 0
        for c in self.sheets["campaigns"]:
            items = CAMPAIGN_LINES[not self.campaign_digital[c["campaign_id"]]]
            start = min(c["start_date"], c["end_date"])  # a planted end may come first
            end = max(c["start_date"], c["end_date"])
            months = []
            year, month = start.year, start.month
            while (year, month) <= (end.year, end.month):
                months.append((year, month))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            lines = [(ym, it) for ym in months for it in items if self.rng.random() < 0.6]
            lines = lines or [(months[0], items[0])]
            amounts = _split(self.rng, int(c["budget"]), len(lines), 1000)
            for ((year, month), (category, item)), amount in zip(lines, amounts, strict=True):
                n += 1
                self.add(
                    "campaign_budget", line_id=f"CB{n:04d}", campaign_id=c["campaign_id"],
                    year=year, month=month, category=category, item=item, amount=Decimal(amount),
                )  # fmt: skip

    def research_plan(self) -> None:
        a, rng = self.as_of, self.rng
        team = [*self.staff(("promotion",)), self.head]
        for i, (purpose, subject, content, method) in enumerate(RESEARCH_ITEMS, 1):
            start = date(self.year, 1, 5) + timedelta(days=28 * (i - 1) + rng.randint(0, 10))
            start = _to_workday(start, forward=True)
            end = _to_workday(start + timedelta(days=rng.randint(30, 75)))
            report = findings = None
            if end < a - timedelta(days=3):
                status = "done"
                report = min(a, end + timedelta(days=rng.randint(3, 14)))
                findings = rng.choice(RESEARCH_FINDINGS)
            elif start <= a:
                status = "in_progress"
                end = max(end, a + timedelta(days=rng.randint(5, 30)))
            else:
                status = "todo"
            owners = [p for p in team if p.employed(start)] or [self.promo_lead]
            self.add(
                "research_plan", research_id=f"RS{self.year}-{i:02d}", year=self.year,
                purpose=purpose, subject=subject, content=content, method=method,
                start_date=start, end_date=end, owner=rng.choice(owners).name, status=status,
                report_date=report, findings=findings,
            )  # fmt: skip
        rows = self.sheets["research_plan"]
        late = [r for r in rows if r["status"] == "done" and r["end_date"] < a - timedelta(days=20)]
        for r in self.pick("research_plan", late, 2, "research_id"):
            r.update(status="in_progress", report_date=None, findings=None)
            self.plant(
                "research-overdue", R_PLAN_OVERDUE, "research_plan", r["research_id"], "end_date"
            )
        # On a finished item, so the typo does not also make it look overdue.
        finished = [r for r in rows if r["status"] == "done"]
        for r in self.pick("research_plan", finished, 1, "research_id"):
            r["end_date"] = _year_earlier(r["end_date"])
            self.plant(
                "end-before-start", F_DATE_ORDER, "research_plan", r["research_id"], "end_date"
            )

    def competitors(self) -> None:
        items = list(COMPETITORS)
        self.rng.shuffle(items)
        team = self.staff(("promotion",))
        last = self.as_of - timedelta(days=3)
        for i, (name, segment, offer, price, strengths, weaknesses) in enumerate(items, 1):
            self.add(
                "competitors", competitor_id=f"CP{i:02d}", name=name, segment=segment,
                offer=offer, price_level=price, strengths=strengths, weaknesses=weaknesses,
                source=self.rng.choice(COMPETITOR_SOURCES),
                recorded_date=_to_workday(self.between(self.start, last)),
                recorded_by=self.rng.choice(team).name,
            )  # fmt: skip

    # -- customers

    def customers(self) -> None:
        a, rng = self.as_of, self.rng
        industries = {k: v[0] for k, v in INDUSTRIES.items()}
        regions = {k: v[0] for k, v in REGIONS.items()}
        names: set[str] = set()
        tax_ids: set[str] = set()
        domains: set[str] = set()
        managers = [p for p in self.staff(("sales",)) if p.role in ("sales_rep", "lead")]
        # The lead keeps few accounts; a hire of the last months is still building a portfolio.
        weights = [
            1 if p.role == "lead" else (2 if p.hire > a - timedelta(days=100) else 4)
            for p in managers
        ]
        self.customer_list: list[_Customer] = []
        contacts: list[Row] = []
        while len(self.customer_list) < 800:
            industry = self.weighted(industries)
            pattern, domain_word = rng.choice(INDUSTRIES[industry][1])
            (c1, r1), (c2, r2) = rng.choice(CORE_FIRST), rng.choice(CORE_SECOND)
            size = self.weighted(SIZES)
            small = size in ("micro", "small") and rng.random() < 0.5
            name = pattern.format(c=c1 + c2, s="有限公司" if small else "股份有限公司")
            tld = "" if domain_word.endswith(".org") else ".com"
            domain = f"{r1}{r2}-{domain_word}{tld}.tw"
            tax_id = f"{rng.randint(10_000_000, 99_999_999)}"
            if c1 == c2 or name in names or domain in domains or tax_id in tax_ids:
                continue
            names.add(name)
            domains.add(domain)
            tax_ids.add(tax_id)
            cid = f"CU{len(self.customer_list) + 1:04d}"
            status = self.weighted(CUSTOMER_STATUS)
            region = self.weighted(regions)
            city, districts, code = rng.choice(REGIONS[region][1])
            if industry == "public" and size == "micro":
                size = "medium"
            budget = rng.randint(*SIZE_BUDGET[size]) * 10_000
            line = rng.choice(SERVICE_LINES)
            needs = rng.choice(NEEDS[line])
            if rng.random() < 0.3:
                other = rng.choice([x for x in SERVICE_LINES if x != line])
                needs += "；" + rng.choice(NEEDS[other])
            days_known = rng.randint(15, 540) if status == "prospect" else rng.randint(400, 2600)
            first = _to_workday(a - timedelta(days=days_known))
            contact, local = self.person_name()
            email = self.unique_email(local, domain)
            phone = self.mobile() if size == "micro" and rng.random() < 0.5 else self.landline(code)
            short = name
            for word in ("股份有限公司", "有限公司", "財團法人", "社團法人"):
                short = short.replace(word, "")
            district = rng.choice(districts)
            address = (
                f"{city}{district}{rng.choice(ROADS)}{rng.randint(1, 399)}號{rng.randint(2, 20)}樓"
            )
            row = self.add(
                "customers", customer_id=cid, name=name, tax_id=tax_id, contact_name=contact,
                phone=phone, email=email, industry=industry, company_size=size,
                business_needs=needs, budget=Decimal(budget), channel=self.weighted(CHANNELS),
                tier=self.weighted(TIERS_BY_STATUS[status]), status=status, region=region,
                address=address,
                account_manager=rng.choices(managers, weights=weights)[0].name,
                first_contact_date=first,
                notes=rng.choice(CUSTOMER_NOTES) if rng.random() < 0.15 else None,
            )  # fmt: skip
            cust = _Customer(row, short, domain, first, line, budget, [contact], [])
            self.customer_list.append(cust)
            contacts.append({
                "customer_id": cid, "name": contact, "title": rng.choice(CONTACT_TITLES),
                "phone": self.mobile() if rng.random() < 0.6 else phone, "email": email,
                "primary": True,
            })  # fmt: skip
            if rng.random() < 0.25:
                other, local = self.person_name()
                if other != contact:
                    cust.contacts.append(other)
                    contacts.append({
                        "customer_id": cid, "name": other, "title": rng.choice(CONTACT_TITLES),
                        "phone": self.mobile(), "email": self.unique_email(local, domain),
                        "primary": False, "notes": "財務窗口" if rng.random() < 0.3 else None,
                    })  # fmt: skip
        for n, values in enumerate(contacts, 1):
            self.add("contacts", contact_id=f"CT{n:05d}", **values)
        self.customer_by_id = {c.row["customer_id"]: c for c in self.customer_list}

    def plant_customers(self) -> None:
        """Plant the customer-sheet mistakes (after follow-ups, so cadence plants are known)."""
        rows = self.sheets["customers"]
        for r in self.pick("customers", rows, 4, "customer_id"):
            r["phone"] = None
            self.plant("missing-phone", R_COMPLETE, "customers", r["customer_id"], "phone")
        for r in self.pick("customers", rows, 3, "customer_id"):
            r["business_needs"] = None
            self.plant(
                "missing-business-needs",
                R_COMPLETE,
                "customers",
                r["customer_id"],
                "business_needs",
            )
        for r in self.pick("customers", rows, 3, "customer_id"):
            r["budget"] = None
            self.plant("missing-budget", R_COMPLETE, "customers", r["customer_id"], "budget")
        # Each fails both the reader's e-mail pattern and the validator's quick check; a full-width
        # ＠ or a comma for the last dot would not fail both.
        bad_emails = (
            lambda e: e.replace("@", "", 1), lambda e: e.replace("@", "@@", 1),
            lambda e: e.rsplit(".", 2)[0], lambda e: e.replace(".", " ", 1),
        )  # fmt: skip
        for i, r in enumerate(self.pick("customers", rows, 4, "customer_id")):
            r["email"] = bad_emails[i % len(bad_emails)](r["email"])
            self.plant("bad-email", F_EMAIL, "customers", r["customer_id"], "email")
        second = [c for c in self.sheets["contacts"] if not c["primary"]]
        for i, r in enumerate(self.pick("contacts", second, 2, "contact_id")):
            r["email"] = bad_emails[(i + 2) % len(bad_emails)](r["email"])
            self.plant("bad-email", F_EMAIL, "contacts", r["contact_id"], "email")
        # A digit count no Taiwan number has, or a letter O for a zero. One digit short, or the
        # area code left off, would not do: numbers of area codes 03 to 08 have nine or ten
        # digits, and the reader restores a lost leading 0.
        bad_phones = (
            lambda p: p[:-1] + "O", lambda p: p[:-2], lambda p: p + "12",
            lambda p: p[:4] + "O" + p[5:],
        )  # fmt: skip
        for i, r in enumerate(self.pick("customers", rows, 4, "customer_id")):
            r["phone"] = bad_phones[i % len(bad_phones)](r["phone"])
            self.plant("bad-phone", F_PHONE, "customers", r["customer_id"], "phone")
        for i, r in enumerate(self.pick("contacts", second, 2, "contact_id")):
            r["phone"] = bad_phones[(i + 1) % len(bad_phones)](r["phone"])
            self.plant("bad-phone", F_PHONE, "contacts", r["contact_id"], "phone")
        # A company keyed in a second time, further down the sheet: under its exact name without
        # a tax id, or under its tax id. Policy 5.2 asks for duplicates to be flagged, so mops
        # reports them under P5.2-complete, on the later row.
        pairs = self.pick("customers", rows, 8, "customer_id")
        for i in range(4):
            first, later = sorted(pairs[2 * i : 2 * i + 2], key=lambda r: r["customer_id"])
            column = "name" if i < 2 else "tax_id"
            later[column] = first[column]
            if column == "name":
                later["tax_id"] = None
            self.plant("duplicate-customer", R_COMPLETE, "customers", later["customer_id"], column)
        # Words typed instead of picked from the list; "A+" goes on a customer of tier A.
        free_text = (
            ("industry", "科技業", "*"),
            ("company_size", "中小企業", "*"),
            ("tier", "A+", "A"),
        )
        for col, value, tier in free_text:
            fits = [r for r in rows if tier in ("*", r["tier"])]
            for r in self.pick("customers", fits, 1, "customer_id"):
                r[col] = value
                self.plant("enum-free-text", F_ENUM, "customers", r["customer_id"], col)
        for r in self.pick("customers", rows, 2, "customer_id"):
            r["first_contact_date"] = _minguo(r["first_contact_date"])
            self.plant(
                "minguo-date", F_LENIENT_DATE, "customers", r["customer_id"], "first_contact_date"
            )
        for r in self.pick("customers", rows, 2, "customer_id"):
            r["account_manager"] = self.typo_of(r["account_manager"])
            self.plant(
                "unknown-owner", R_OWNER_KNOWN, "customers", r["customer_id"], "account_manager"
            )

    def opportunities(self) -> None:
        a, rng = self.as_of, self.rng
        per_status = {"active": 2.5, "prospect": 1.5, "dormant": 1.0, "lost": 1.0}
        counts = [
            max(1, round(per_status[c.row["status"]] * rng.uniform(0.4, 1.6)))
            for c in self.customer_list
        ]
        while sum(counts) != 1500:
            i = rng.randrange(len(counts))
            counts[i] += 1 if sum(counts) < 1500 else -1 if counts[i] > 1 else 0
        stages = {
            "prospect": {"new": 18, "qualified": 22, "proposal": 22, "negotiation": 18, "lost": 20},
            "active": {"won": 45, "lost": 13, "new": 8, "qualified": 11, "proposal": 11,
                       "negotiation": 12},
            "dormant": {"won": 50, "lost": 50},
            "lost": {"won": 30, "lost": 70},
        }  # fmt: skip
        probability = {
            "new": (2, 2),
            "qualified": (4, 6),
            "proposal": (8, 12),
            "negotiation": (14, 18),
        }
        sourced = self.clean_campaigns("executing", "closed")
        drafts: list[tuple[date, str, _Customer, Row]] = []
        for cust, k in zip(self.customer_list, counts, strict=True):
            status = cust.row["status"]
            manager = self.by_name[cust.row["account_manager"]]
            lo = max(cust.first_contact, a - timedelta(days=540))
            for _ in range(k):
                stage = self.weighted(stages[status])
                if stage in ("won", "lost"):
                    hi = a - timedelta(days=200 if status in ("dormant", "lost") else 20)
                    created = _to_workday(self.between(lo, max(lo, hi)))
                    room = (a - timedelta(days=1) - created).days
                    close = created + timedelta(days=rng.randint(min(14, room), min(150, room)))
                    close = max(created, _to_workday(close))
                    person = self.owner_at(manager, close)
                    prob = Decimal(1 if stage == "won" else 0)
                else:
                    created = _to_workday(self.between(max(lo, a - timedelta(days=240)), a))
                    close = _to_workday(a + timedelta(days=rng.randint(7, 150)), forward=True)
                    person = manager
                    prob = Decimal(rng.randint(*probability[stage]) * 5) / 100
                line = cust.service_line if rng.random() < 0.6 else rng.choice(SERVICE_LINES)
                revenue = max(5, round(cust.budget * rng.uniform(0.2, 0.9) / 10_000)) * 10_000
                channel = cust.row["channel"] if rng.random() < 0.7 else self.weighted(CHANNELS)
                campaign = None
                if rng.random() < 0.12:
                    fits = [
                        c
                        for c in sourced
                        if c["start_date"] <= created <= c["end_date"] + timedelta(days=30)
                    ]
                    if fits:
                        source = rng.choice(fits)
                        campaign = source["campaign_id"]
                        channel = SOURCE_CHANNEL.get(source["format"], "event")
                values = {
                    "customer_id": cust.row["customer_id"],
                    "name": f"{cust.short} {rng.choice(OFFERS[line])}",
                    "service_line": line, "salesperson": person.name,
                    "expected_revenue": Decimal(revenue), "probability": prob,
                    "expected_close": close, "channel": channel, "campaign_id": campaign,
                    "created_date": created, "stage": stage,
                    "lost_reason": rng.choice(LOST_REASONS) if stage == "lost" else None,
                }  # fmt: skip
                drafts.append((created, cust.row["customer_id"], cust, values))
        drafts.sort(key=lambda d: (d[0], d[1]))
        for i, (_, _, cust, values) in enumerate(drafts, 1):
            cust.opps.append(self.add("opportunities", opportunity_id=f"OP{i:05d}", **values))
        # Open deals still assigned to the salesperson who left in spring.
        early = [r for r in self.sheets["opportunities"] if r["stage"] in ("new", "qualified")]
        for r in self.pick("opportunities", early, 2, "opportunity_id"):
            r["salesperson"] = self.leaver.name
            self.plant(
                "owner-has-left", R_OWNER_KNOWN, "opportunities", r["opportunity_id"], "salesperson"
            )

    def followups(self) -> None:
        """The follow-up log and plan: every clean customer was contacted within its cadence."""
        a, rng = self.as_of, self.rng
        custs = self.customer_list
        old = [i for i, c in enumerate(custs) if c.first_contact < a - timedelta(days=160)]
        overdue = set(rng.sample(old, 8))
        latest: list[date] = []
        earlier: list[list[date]] = []
        for i, cust in enumerate(custs):
            cadence = CADENCE_DAYS[cust.row["tier"]]
            if i in overdue:
                lo, hi = a - timedelta(days=cadence + 60), a - timedelta(days=cadence + 5)
            else:
                lo, hi = a - timedelta(days=cadence - 1), a  # a day of margin
            lo = max(lo, cust.first_contact)
            days = [lo + timedelta(days=d) for d in range((hi - lo).days + 1)]
            last = rng.choice([d for d in days if d.weekday() < 5] or days)
            latest.append(last)
            w0 = max(cust.first_contact, a - timedelta(days=400))
            window = (w0 + timedelta(days=d) for d in range((last - w0).days))
            earlier.append([d for d in window if d.weekday() < 5])
        per_tier = {"A": 10, "B": 6, "C": 4, "D": 2}
        counts = [
            max(1, min(per_tier[c.row["tier"]] + rng.randint(-1, 1), len(w) + 1))
            for c, w in zip(custs, earlier, strict=True)
        ]
        while sum(counts) != 3000:
            i = rng.randrange(len(counts))
            if sum(counts) < 3000 and counts[i] <= len(earlier[i]):
                counts[i] += 1
            elif sum(counts) > 3000 and counts[i] > 1:
                counts[i] -= 1
        drafts: list[tuple[date, str, Row]] = []
        for i, cust in enumerate(custs):
            dates = sorted([*rng.sample(earlier[i], counts[i] - 1), latest[i]])
            manager = self.by_name[cust.row["account_manager"]]
            cadence = CADENCE_DAYS[cust.row["tier"]]
            for j, day in enumerate(dates):
                # The next date is the next contact, or the cadence after the latest one.
                nxt = dates[j + 1] if j + 1 < len(dates) else day + timedelta(days=cadence)
                drafts.append((day, cust.row["customer_id"], self.contact(cust, manager, day, nxt)))
        drafts.sort(key=lambda d: (d[0], d[1]))
        last_row: dict[str, Row] = {}
        for n, (_, cid, values) in enumerate(drafts, 1):
            last_row[cid] = self.add("followup_log", log_id=f"FL{n:05d}", **values)
        for i in sorted(overdue):
            self.plant("cadence-overdue", R_CADENCE, "customers", custs[i].row["customer_id"], None)
        self.followup_plan(last_row)
        self.plant_customers()
        self.plant_followup_log(last_row)

    def contact(self, cust: _Customer, manager: _Person, day: date, nxt: date) -> Row:
        """One follow-up log row."""
        rng = self.rng
        opps = [o for o in cust.opps if o["created_date"] <= day <= o["expected_close"]]
        opp = rng.choice(opps) if opps and rng.random() < 0.6 else None
        care = cust.row["status"] == "active" and rng.random() < 0.08
        svc = SERVICE_LABEL[opp["service_line"] if opp else cust.service_line]
        if care:
            owner = rng.choice(self.staff(("service",), day=day) or [self.service_lead])
            method, outcome = "visit", "progress"
            content = rng.choice(CARE_CONTENT).format(svc=svc)
            next_step = "彙整客戶建議並回覆"
        else:
            owner = self.owner_at(manager, day)
            method = self.weighted(METHODS)
            closing = opp is not None and day >= opp["expected_close"] - timedelta(days=3)
            if closing and opp["stage"] in ("won", "lost"):
                outcome = opp["stage"]
            else:
                outcome = rng.choices(
                    ["progress", "neutral", "setback", "no_response"], [40, 30, 12, 18]
                )[0]
            topic = rng.choice(FOLLOWUP_TOPICS).format(svc=svc)
            content = f"{topic}。{rng.choice(FOLLOWUP_DETAILS[outcome])}"
            next_step = rng.choice(NEXT_STEPS[outcome])
        return {
            "date": day, "customer_id": cust.row["customer_id"],
            "opportunity_id": opp["opportunity_id"] if opp else None,
            "contact": rng.choice(cust.contacts), "method": method, "owner": owner.name,
            "content": content, "outcome": outcome, "next_step": next_step, "next_date": nxt,
            "care_visit": care,
        }  # fmt: skip

    def followup_plan(self, last_row: dict[str, Row]) -> None:
        a, rng = self.as_of, self.rng
        plans: list[tuple[date, str, Row]] = []

        def plan(log: Row, day: date, method: str, owner: str, status: str) -> None:
            values = {
                "customer_id": log["customer_id"], "opportunity_id": log["opportunity_id"],
                "method": method, "planned_date": day, "goal": rng.choice(PLAN_GOALS),
                "owner": owner, "status": status,
            }  # fmt: skip
            plans.append((day, log["customer_id"], values))

        # What comes next: the next date of the latest contact; missed when it has passed.
        for cid in rng.sample(sorted(last_row), 430):
            log = last_row[cid]
            owner = self.customer_by_id[cid].row["account_manager"]
            status = "planned" if log["next_date"] > a else "missed"
            plan(log, log["next_date"], self.weighted(METHODS), owner, status)
        latest = {id(r) for r in last_row.values()}
        history = [r for r in self.sheets["followup_log"] if id(r) not in latest]
        for log in rng.sample(history, 660):
            plan(log, log["date"], log["method"], log["owner"], "done")
        for status, k in (("missed", 70), ("cancelled", 40)):
            for log in rng.sample(history, k):
                day = log["date"] + timedelta(days=rng.randint(1, 5))
                if day < a:
                    plan(log, day, rng.choice(["phone", "visit", "meeting"]), log["owner"], status)
        plans.sort(key=lambda p: (p[0], p[1]))
        for n, (_, _, values) in enumerate(plans, 1):
            self.add("followup_plan", plan_id=f"FP{n:05d}", **values)

    def plant_followup_log(self, last_row: dict[str, Row]) -> None:
        latest = {id(r) for r in last_row.values()}
        history = [r for r in self.sheets["followup_log"] if id(r) not in latest]
        for r in self.pick("followup_log", history, 3, "log_id"):
            r["next_date"] = r["date"] - timedelta(days=self.rng.randint(1, 20))
            self.plant(
                "next-date-before-date", F_DATE_ORDER, "followup_log", r["log_id"], "next_date"
            )
        for r in self.pick("followup_log", history, 2, "log_id"):
            r["method"] = "LINE"
            self.plant("enum-free-text", F_ENUM, "followup_log", r["log_id"], "method")
        for r in self.pick("followup_log", history, 2, "log_id"):
            r["date"] = _minguo(r["date"])
            self.plant("minguo-date", F_LENIENT_DATE, "followup_log", r["log_id"], "date")
        for r in self.pick("followup_log", history, 2, "log_id"):
            r["owner"] = self.typo_of(r["owner"])
            self.plant("unknown-owner", R_OWNER_KNOWN, "followup_log", r["log_id"], "owner")

    # -- sales

    def targets(self) -> None:
        rng = self.rng
        people = [p for p in self.staff(("sales",)) if p.role in ("lead", "sales_rep")]
        self.quarter_targets: dict[tuple[str, int], int] = {}
        month_rows: list[Row] = []
        for p in people:
            base = 160 if p.role == "lead" else rng.randint(90, 140)  # NT$10,000 a month
            first_month = 1 if p.hire.year < self.year else p.hire.month + 1
            months = []
            for m in range(1, 13):
                if m < first_month:
                    months.append((0, 0, 0))
                    continue
                revenue = round(base * SEASON[m - 1] * rng.uniform(0.9, 1.1)) * 10_000
                profit = round(revenue * rng.uniform(0.28, 0.35) / 10_000) * 10_000
                months.append((revenue, profit, rng.randint(1, 3)))
            self.target(p, "Y", "year", months)
            for q in range(1, 5):
                self.quarter_targets[(p.name, q)] = sum(x[0] for x in months[3 * q - 3 : 3 * q])
                self.target(p, f"Q{q}", "quarter", months[3 * q - 3 : 3 * q], quarter=q)
            for m in range(1, 13):
                part = [months[m - 1]]
                month_rows.append(
                    self.target(p, f"M{m:02d}", "month", part, quarter=(m + 2) // 3, month=m)
                )
        # A month revised after its quarter was agreed, without revising the quarter.
        by_person: dict[str, Row] = {}
        for r in rng.sample(month_rows, len(month_rows)):
            if r["revenue"] > 0:
                by_person.setdefault(r["salesperson"], r)
        candidates = sorted(by_person.values(), key=lambda r: r["target_id"])
        for r in self.pick("targets", candidates, 2, "target_id"):
            r["revenue"] += Decimal(rng.randint(5, 15) * 10_000)
            # The quarter is where the sum no longer matches.
            quarter = r["target_id"][:-3] + f"Q{r['quarter']}"
            self.plant("targets-not-adding-up", R_TARGETS, "targets", quarter, "revenue")

    def target(
        self, p: _Person, suffix: str, period: str, part: list[tuple[int, int, int]], **more: Any
    ) -> Row:
        """One target row: the sums of the months in ``part``."""
        return self.add(
            "targets", target_id=f"T{self.year}-{p.emp_id}-{suffix}", salesperson=p.name,
            year=self.year, period_type=period, revenue=Decimal(sum(x[0] for x in part)),
            profit=Decimal(sum(x[1] for x in part)), new_customers=sum(x[2] for x in part),
            satisfaction=Decimal("4.5"), **more,
        )  # fmt: skip

    def contracts(self) -> None:
        a, rng = self.as_of, self.rng
        opps = self.sheets["opportunities"]
        won = [
            o
            for o in opps
            if o["stage"] == "won" and o["expected_close"] >= a - timedelta(days=480)
        ]
        negotiating = [o for o in opps if o["stage"] == "negotiation"]
        legal = [p for p in self.people if p.group == "legal"]
        drafts: list[tuple[date, str, dict[str, Any]]] = []
        for o in rng.sample(won, 275):
            signed = o["expected_close"]
            # Legal review comes before signing (policy 6.3).
            review = max(
                _to_workday(signed - timedelta(days=rng.randint(2, 10))), o["created_date"]
            )
            review = min(review, signed - timedelta(days=1))
            start = _to_workday(signed + timedelta(days=rng.randint(0, 14)), forward=True)
            end = start + timedelta(days=rng.randint(60, 365))
            status = "signed" if start > a else ("completed" if end < a else "executing")
            d = {
                "o": o,
                "signed": signed,
                "review": review,
                "start": start,
                "end": end,
                "status": status,
            }
            drafts.append((review, o["opportunity_id"], d))
        for i, o in enumerate(rng.sample(negotiating, 25)):
            review = None
            if i >= 10:
                review = max(_to_workday(a - timedelta(days=rng.randint(1, 12))), o["created_date"])
            status = "legal_review" if review else "drafting"
            d = {
                "o": o,
                "signed": None,
                "review": review,
                "start": None,
                "end": None,
                "status": status,
            }
            drafts.append((review or o["created_date"], o["opportunity_id"], d))
        drafts.sort(key=lambda d: (d[0], d[1]))
        seq: dict[int, int] = defaultdict(int)
        executing: list[Row] = []
        for day, _, d in drafts:
            o, status = d["o"], d["status"]
            cust = self.customer_by_id[o["customer_id"]]
            seq[day.year] += 1
            amount = int(o["expected_revenue"])
            if amount < 300_000:
                shares: tuple[int, ...] = (100,)
            elif amount < 1_000_000:
                shares = rng.choice([(50, 50), (30, 40, 30)])
            else:
                shares = rng.choice([(30, 40, 30), (25, 25, 25, 25)])
            if len(shares) == 1:
                terms = "簽約後 30 日內一次付清"
            else:
                parts = "、".join(f"第 {k} 期 {s}%" for k, s in enumerate(shares, 1))
                terms = f"分 {len(shares)} 期支付：{parts}"
            reviewer = result = None
            if d["review"] is not None:
                reviewer = rng.choice([p for p in legal if p.employed(d["review"])]).name
                result = "approved"
                if status == "legal_review":
                    result = rng.choice(["pending", "changes_requested"])
            offer = o["name"].split(" ", 1)[1]
            sessions = rng.randint(4, 16)
            row = self.add(
                "contracts", contract_id=f"SC{day.year}-{seq[day.year]:04d}",
                customer_id=o["customer_id"], opportunity_id=o["opportunity_id"],
                title=f"{cust.short}{offer}委任契約", service_line=o["service_line"],
                scope=f"提供{offer}，含現況訪談、診斷報告與改善方案，共 {sessions} 次顧問會議。",
                rights_duties="甲方提供必要資料與指定窗口；乙方負保密義務，並依約定時程交付成果。",
                amount=Decimal(amount), payment_terms=terms,
                delivery_date=d["end"] - timedelta(days=rng.randint(0, 14)) if d["end"] else None,
                breach_liability="任一方違約時，應賠償他方所受損害，上限為合約總金額之 20%。",
                owner=o["salesperson"], legal_reviewer=reviewer, legal_review_date=d["review"],
                legal_review_result=result, signed_date=d["signed"], start_date=d["start"],
                end_date=d["end"], status=status,
            )  # fmt: skip
            if d["signed"] is not None:
                self.payment_schedule(row, shares)
            if status == "executing":
                executing.append(row)
        self.amend_contracts(executing)
        self.plant_contracts()

    def payment_schedule(self, contract: Row, shares: tuple[int, ...]) -> None:
        a, rng = self.as_of, self.rng
        amount = int(contract["amount"])
        signed, end = contract["signed_date"], contract["end_date"]
        parts = [amount * s // 100 for s in shares[:-1]]
        parts.append(amount - sum(parts))  # the instalments add up to the amount exactly
        first = signed + timedelta(days=30)
        n = len(parts)
        for k, part in enumerate(parts):
            due = first if n == 1 else first + (end - first) * k / (n - 1)
            due = _to_workday(due, forward=True)
            invoiced = max(signed, due - timedelta(days=30))
            status, inv, paid_day, paid = "scheduled", None, None, None
            if due <= a:  # every instalment due so far has been paid on time
                status, inv, paid = "paid", invoiced, Decimal(part)
                paid_day = max(invoiced, due - timedelta(days=rng.randint(0, 10)))
            elif invoiced <= a:
                status, inv = "invoiced", invoiced
            self.add(
                "payment_schedule", instalment_id=f"{contract['contract_id']}-{k + 1}",
                contract_id=contract["contract_id"], seq=k + 1, due_date=due,
                amount=Decimal(part),
                invoice_no=f"{self.letters()}-{self.digits(8)}" if inv else None,
                invoiced_date=inv, paid_date=paid_day, paid_amount=paid, status=status,
            )  # fmt: skip

    def amend_contracts(self, executing: list[Row]) -> None:
        """Amend and terminate some executing contracts, each with its date and reason."""
        a, rng = self.as_of, self.rng
        schedule: dict[str, list[Row]] = defaultdict(list)
        for r in self.sheets["payment_schedule"]:
            schedule[r["contract_id"]].append(r)
        pool = rng.sample(executing, len(executing))
        reasons = (
            "客戶要求增加訓練場次，交付時程順延", "服務範圍調整：新增子公司導入",
            "客戶窗口異動，調整期中報告時程",
        )  # fmt: skip
        amended = [c for c in pool if c["start_date"] + timedelta(days=14) < a][:20]
        for c in amended:
            day = self.between(c["start_date"] + timedelta(days=14), a - timedelta(days=1))
            c.update(status="changed", change_date=day, change_reason=rng.choice(reasons))
        terminated = 0
        for c in pool:
            if c in amended or terminated == 8:
                continue
            paid = [i for i in schedule[c["contract_id"]] if i["status"] == "paid"]
            rest = [i for i in schedule[c["contract_id"]] if i["status"] != "paid"]
            # Terminated between two instalments, so nothing due so far is left unpaid.
            if not paid or not rest or any(i["due_date"] <= a for i in rest):
                continue
            last_paid = max(i["due_date"] for i in paid)
            if last_paid >= a - timedelta(days=10):
                continue
            day = self.between(last_paid + timedelta(days=1), a - timedelta(days=3))
            c.update(
                status="terminated", termination_date=day,
                termination_reason=rng.choice(
                    ("客戶組織重整，雙方合意提前終止", "客戶預算凍結，依約提前終止")
                ),
            )  # fmt: skip
            for i in rest:
                i.update(status="scheduled", invoice_no=None, invoiced_date=None)
            terminated += 1

    def plant_contracts(self) -> None:
        a, rng = self.as_of, self.rng
        rows = self.sheets["contracts"]
        signed = [r for r in rows if r["status"] in ("signed", "executing", "completed")]
        earlier = [r for r in signed if r["signed_date"] < a - timedelta(days=15)]
        for r in self.pick("contracts", earlier, 2, "contract_id"):
            r["legal_review_date"] = r["signed_date"] + timedelta(days=rng.randint(2, 10))
            self.plant(
                "legal-review-after-signing",
                R_LEGAL,
                "contracts",
                r["contract_id"],
                "legal_review_date",
            )
        for r in self.pick("contracts", signed, 2, "contract_id"):
            r.update(legal_reviewer=None, legal_review_date=None, legal_review_result=None)
            self.plant(
                "no-legal-review", R_LEGAL, "contracts", r["contract_id"], "legal_review_date"
            )
        typo = [
            r
            for r in signed
            if r["status"] == "executing" and _year_earlier(r["end_date"]) < r["start_date"]
        ]
        for r in self.pick("contracts", typo, 2, "contract_id"):
            r["end_date"] = _year_earlier(r["end_date"])
            self.plant("end-before-start", F_DATE_ORDER, "contracts", r["contract_id"], "end_date")

    # -- service

    def tickets(self) -> None:
        a, rng = self.as_of, self.rng
        # Datetimes before this moment are history on any reading of as_of (midnight or later).
        now = datetime.combine(a, dtime(0))
        weights = [3 if c.row["status"] == "active" else 1 for c in self.customer_list]
        drafts = []
        for _ in range(600):
            kind = self.weighted(TICKET_TYPES)
            if kind == "feedback" and rng.random() < 0.03:
                day = a - timedelta(days=1)  # just in, not yet answered: feedback has no SLA
            else:
                day = self.between(self.start, a - timedelta(days=2))
            if rng.random() < 0.85:
                hour = rng.randint(9, 17)
                day = _to_workday(day)
            else:
                hour = rng.choice([7, 8, 19, 20, 21, 22])
            drafts.append((datetime.combine(day, dtime(hour, rng.randrange(0, 60, 5))), kind))
        drafts.sort()
        seq: dict[int, int] = defaultdict(int)
        for received, kind in drafts:
            cust = rng.choices(self.customer_list, weights=weights)[0]
            seq[received.year] += 1
            deadline = None
            if kind == "complaint":
                deadline = received + COMPLAINT_SLA
                first = received + timedelta(minutes=rng.randint(20, 18 * 60))
            elif kind == "inquiry":
                deadline = _add_working_hours(received, INQUIRY_SLA_WORKING_HOURS)
                # Within five working hours: inside the SLA however lunch or holidays count.
                first = _add_working_hours(received, rng.uniform(0.2, 5))
            elif kind == "problem":
                first = _add_working_hours(received, rng.uniform(0.2, 5))
            else:
                first = _add_working_hours(received, rng.uniform(1, 16))
            first = first.replace(second=0, microsecond=0)
            resolved, status = None, "new"
            if first >= now or received.date() >= a - timedelta(days=1):
                first = None  # only inquiries, problems and feedback wait into as_of
            else:
                resolved = first + timedelta(hours=rng.randint(1, 120))
                recent = received.date() > a - timedelta(days=8) and rng.random() < 0.5
                if resolved >= now - timedelta(days=1) or recent:
                    status, resolved = rng.choice(["in_progress", "waiting"]), None
                else:
                    status = "closed" if rng.random() < 0.6 else "resolved"
            satisfaction = None
            if status == "closed" and rng.random() < 0.85:
                scores = [1, 3, 4, 3, 2] if kind == "complaint" else [0, 1, 2, 5, 6]
                satisfaction = rng.choices([1, 2, 3, 4, 5], scores)[0]
            subject = rng.choice(TICKET_SUBJECTS[kind]).format(svc=SERVICE_LABEL[cust.service_line])
            contact = rng.choice(cust.contacts)
            channel = rng.choice(TICKET_CHANNELS[kind])
            cause = (
                rng.choice(ROOT_CAUSES) if kind in ("complaint", "problem") and resolved else None
            )
            self.add(
                "tickets", ticket_id=f"CS{received.year}-{seq[received.year]:04d}", type=kind,
                channel=channel, customer_id=cust.row["customer_id"], contact=contact,
                subject=subject, description=f"{contact}{TICKET_VERBS[channel]}反映：{subject}。",
                priority=rng.choice(TICKET_PRIORITY[kind]), received_at=received,
                owner=rng.choice(self.staff(("service",), day=received.date())).name,
                deadline=deadline, first_response_at=first, resolved_at=resolved, status=status,
                satisfaction=satisfaction, root_cause=cause,
                resolution=rng.choice(RESOLUTIONS[kind]) if resolved else None,
            )  # fmt: skip
        self.plant_tickets(now)

    def plant_tickets(self, now: datetime) -> None:
        rows, rng = self.sheets["tickets"], self.rng
        old = [r for r in rows if r["resolved_at"] and r["received_at"] < now - timedelta(days=7)]
        for r in self.pick("tickets", [r for r in old if r["type"] == "complaint"], 4, "ticket_id"):
            first = r["received_at"] + timedelta(hours=rng.randint(28, 60))
            r["first_response_at"] = first
            r["resolved_at"] = max(r["resolved_at"], first + timedelta(hours=rng.randint(2, 24)))
            self.plant(
                "late-complaint-response", R_SLA, "tickets", r["ticket_id"], "first_response_at"
            )
        for r in self.pick("tickets", [r for r in old if r["type"] == "inquiry"], 2, "ticket_id"):
            first = _add_working_hours(r["received_at"], rng.uniform(14, 24))
            r["first_response_at"] = first.replace(second=0, microsecond=0)
            r["resolved_at"] = max(r["resolved_at"], r["first_response_at"] + timedelta(hours=2))
            self.plant(
                "late-inquiry-response", R_SLA, "tickets", r["ticket_id"], "first_response_at"
            )
        sales = self.staff(("sales",), day=self.start)
        for r in self.pick(
            "tickets", [r for r in rows if r["type"] == "complaint"], 3, "ticket_id"
        ):
            r["owner"] = rng.choice([p for p in sales if p.employed(r["received_at"].date())]).name
            self.plant("complaint-owned-by-sales", R_ROLE_FITS, "tickets", r["ticket_id"], "owner")
        typed = {"chat": "LINE 官方帳號", "review": "Google 評論"}
        for r in self.pick("tickets", [r for r in rows if r["channel"] in typed], 2, "ticket_id"):
            r["channel"] = typed[r["channel"]]
            self.plant("enum-free-text", F_ENUM, "tickets", r["ticket_id"], "channel")

    def improvements(self) -> None:
        a, rng = self.as_of, self.rng
        sources = [
            r
            for r in self.sheets["tickets"]
            if r["root_cause"] and r["ticket_id"] not in self.tainted["tickets"]
        ]
        chosen = sorted(rng.sample(sources, 30), key=lambda r: (r["resolved_at"], r["ticket_id"]))
        owners = self.staff(("service",))
        for i, t in enumerate(chosen, 1):
            due = _to_workday(t["resolved_at"].date() + timedelta(days=rng.randint(14, 60)), True)
            check = effect = None
            if due < a:  # finished by its due date, then checked for effect some weeks later
                status = "done"
                check = due + timedelta(days=rng.randint(14, 45))
                if check <= a:
                    effect = rng.choices(["effective", "partial", "ineffective"], [6, 3, 1])[0]
                else:
                    check, effect = None, "pending"
            else:
                status = "in_progress" if rng.random() < 0.7 else "todo"
            owner = (
                rng.choice(owners)
                if rng.random() < 0.8
                else rng.choice([self.sales_lead, self.promo_lead])
            )
            self.add(
                "improvements", action_id=f"IM{i:03d}", ticket_id=t["ticket_id"],
                problem=f"{t['subject']}，近期重複發生", root_cause=t["root_cause"],
                measure=IMPROVEMENTS[t["root_cause"]], owner=owner.name, due_date=due,
                status=status, check_date=check, effectiveness=effect,
            )  # fmt: skip

    # -- expenses

    def expenses(self) -> None:
        a, rng = self.as_of, self.rng
        budget: dict[tuple[str, str, int], int] = {}
        approved_on = _to_workday(date(self.year - 1, 12, 18))
        for month in range(1, 13):
            for (category, item), (base, _) in EXPENSE_LINES.items():
                amount = int(round(base * SEASON[month - 1] * rng.uniform(0.9, 1.1), -3))
                budget[(category, item, month)] = amount
                self.add(
                    "expense_budget", budget_id=f"EB{self.year}-{len(budget):03d}",
                    year=self.year, month=month, category=category, item=item,
                    amount=Decimal(amount), approved_by=self.gm.name, approval_date=approved_on,
                )  # fmt: skip
        last_month = a.month if a.year == self.year else 12
        months = range(1, last_month + 1)
        categories = ("promotion", "sales", "service")
        # Spend per category and month: most months comfortably inside the budget.
        ratio = {(c, m): rng.uniform(0.55, 0.85) for c in categories for m in months}
        for c in categories:
            ratio[(c, last_month)] = rng.uniform(0.35, 0.6) * min(1, a.day / 30)
        # Three months over and three close to the budget, in whole past months when the year
        # has enough of them.
        cells = [(c, m) for c in categories for m in months if 2 <= m < last_month]
        cells = cells if len(cells) >= 6 else [(c, m) for c in categories for m in months]
        special = rng.sample(cells, min(6, len(cells)))
        for i, (c, m) in enumerate(special):
            over = i < max(1, len(special) // 2)
            ratio[(c, m)] = rng.uniform(1.05, 1.18) if over else rng.uniform(0.92, 0.97)
            kind = "over-budget" if over else "near-budget"
            self.plant(kind, R_OVERSPEND, "expense_budget", f"{self.year}-{m:02d}/{c}", "amount")
        # Exactly 2,000 claims, shared out by the expected number of claims of each line.
        keys = [(c, it, m) for (c, it) in EXPENSE_LINES for m in months]
        expect = {k: budget[k] * ratio[(k[0], k[2])] / EXPENSE_LINES[k[:2]][1] for k in keys}
        scale = 2000 / sum(expect.values())
        alloc = {k: max(1, int(v * scale)) for k, v in expect.items()}
        by_rest = sorted(keys, key=lambda k: int(expect[k] * scale) - expect[k] * scale)
        for i in range(2000 - sum(alloc.values())):
            alloc[by_rest[i % len(by_rest)]] += 1
        while sum(alloc.values()) > 2000:  # the minimum of one claim a line overshot
            alloc[max(keys, key=lambda k: alloc[k])] -= 1
        finance = [p for p in self.people if p.group == "finance"]
        campaigns = self.clean_campaigns("approved", "executing", "closed")
        claims: list[tuple[date, str, Row]] = []
        for k in keys:
            category, item, month = k
            must_pass = (category, month) in special
            last_day = min(_month_end(self.year, month), a - timedelta(days=1))
            for amount in _split(rng, round(budget[k] * ratio[(category, month)]), alloc[k], 10):
                day = self.between(date(self.year, month, 1), last_day)
                claimant = rng.choice(self.staff((category,), day=day))
                # Filed in the month of the expense, so either date puts it in the same month.
                filed = min(
                    day + timedelta(days=rng.randint(0, 7)), _month_end(self.year, month), a
                )
                campaign = None
                if category == "promotion" and rng.random() < 0.6:
                    # Only approved campaigns may spend, and only once approved (policy 4.2).
                    fits = [
                        c
                        for c in campaigns
                        if max(c["start_date"], c["approval_date"]) <= day <= c["end_date"]
                    ]
                    campaign = rng.choice(fits) if fits else None
                reason = rng.choice(CLAIM_REASONS[item])
                values = {
                    "claimant": claimant.name, "expense_date": day, "claim_date": filed,
                    "category": category, "item": item,
                    "campaign_id": campaign["campaign_id"] if campaign else None,
                    "amount": Decimal(amount),
                    "reason": f"{campaign['name']}：{reason}" if campaign else reason,
                    "attachment_ref": f"{self.letters()}-{self.digits(8)}",
                    # The claimant's line manager approves: a lead, the head or an executive.
                    "approver": claimant.manager,
                }  # fmt: skip
                self.settle_claim(values, rng.choice(finance), must_pass)
                claims.append((day, claimant.emp_id, values))
        claims.sort(key=lambda c: (c[0], c[1], c[2]["amount"]))
        for i, (_, _, values) in enumerate(claims, 1):
            self.add("claims", claim_id=f"EX{self.year}-{i:04d}", **values)
        self.plant_claims(set(special))

    def settle_claim(self, claim: Row, auditor: _Person, must_pass: bool) -> None:
        """Approval, finance audit and reimbursement, each only after the step before it."""
        a, rng = self.as_of, self.rng
        claim.update(approval="pending", audit="pending", reimbursed=False)
        approved = claim["claim_date"] + timedelta(days=rng.randint(0, 3))
        if approved > a:
            return
        verdict = "approved" if must_pass or rng.random() > 0.03 else "rejected"
        claim.update(approval=verdict, approval_date=approved)
        audited = approved + timedelta(days=rng.randint(1, 7))
        if verdict == "rejected" or audited > a:
            return
        result = "passed" if must_pass or rng.random() > 0.01 else "failed"
        claim.update(auditor=auditor.name, audit=result, audit_date=audited)
        paid = audited + timedelta(days=rng.randint(2, 10))
        if result == "passed" and paid <= a:
            claim.update(reimbursed=True, reimbursed_date=paid)

    def plant_claims(self, special: set[tuple[str, int]]) -> None:
        rows = self.sheets["claims"]
        # Only claims of ordinary months, so the planted months' totals stay as planted.
        ordinary = [r for r in rows if (r["category"], r["expense_date"].month) not in special]
        managers = {p.name for p in self.people if p.role in ("lead", "head")}
        own = [r for r in ordinary if r["claimant"] in managers and r["approval"] == "approved"]
        for r in self.pick("claims", own, 3, "claim_id"):
            r["approver"] = r["claimant"]
            self.plant("self-approved-claim", R_APPROVER, "claims", r["claim_id"], "approver")
        paid = [r for r in ordinary if r["reimbursed"]]
        for r in self.pick("claims", paid, 3, "claim_id"):
            r.update(auditor=None, audit="pending", audit_date=None)
            self.plant("reimbursed-without-audit", R_AUDIT, "claims", r["claim_id"], "reimbursed")
        for r in self.pick("claims", ordinary, 1, "claim_id"):
            r["expense_date"] = _minguo(r["expense_date"])
            self.plant("minguo-date", F_LENIENT_DATE, "claims", r["claim_id"], "expense_date")

    # -- appraisals

    def appraisals(self) -> None:
        a = self.as_of
        periods: list[tuple[int, int | None, date, date]] = [
            (self.year - 1, None, date(self.year - 1, 1, 1), date(self.year - 1, 12, 31))
        ]
        for q in range(1, 5):
            if _month_end(self.year, 3 * q) < a:
                periods.append(
                    (self.year, q, date(self.year, 3 * q - 2, 1), _month_end(self.year, 3 * q))
                )
        n = 0
        for year, quarter, first, _last in periods:
            for p in self.people:
                if p.group not in KPI_SETS or p.leave is not None:
                    continue
                if p.hire > first + timedelta(days=45):
                    continue  # too new to be appraised for this period
                reviewer = self.by_name[p.manager] if p.manager else self.gm
                for kpi_id, indicator in self.kpi_ids[(year, p.group)]:
                    n += 1
                    target, actual, score = self.appraisal_numbers(p, indicator, quarter)
                    incentive = "none"
                    if score >= 100:
                        sales = p.group == "sales" and indicator == "revenue"
                        incentive = "commission" if sales else "bonus"
                    elif score >= 90 and indicator in ("satisfaction", "promotion_effect"):
                        incentive = "honour"
                    self.add(
                        "appraisals", appraisal_id=f"AP{year}-{n:04d}", employee=p.name,
                        year=year, quarter=quarter, kpi_id=kpi_id, target=target, actual=actual,
                        score=score, reviewer=reviewer.name, incentive=incentive,
                    )  # fmt: skip

    def appraisal_numbers(
        self, p: _Person, indicator: str, quarter: int | None
    ) -> tuple[Decimal, Decimal, Decimal]:
        """Target, actual and a 0–100 score of one indicator for one person and period."""
        rng = self.rng
        periods = 4 if quarter is None else 1
        if indicator in ("revenue", "profit"):
            base = self.quarter_targets.get((p.name, quarter or 0))
            if base is None:
                base = (
                    rng.randint(300, 500) * 10_000 * periods * (8 if p.group == "department" else 1)
                )
            if indicator == "profit":
                base = int(round(base * 0.3, -4))
            target = Decimal(base)
            actual = Decimal(int(round(base * rng.uniform(0.7, 1.25), -4)))
        elif indicator == "satisfaction":
            target, actual = Decimal("4.5"), _pct(rng.uniform(3.8, 4.8), 1)
        elif indicator == "response_time":  # hours to first response: lower is better
            target, actual = Decimal(4), _pct(rng.uniform(2.5, 5.5), 1)
        elif indicator == "other":  # resolution rate in %
            target, actual = Decimal(95), Decimal(rng.randint(82, 99))
        else:  # leads or new customers, counted
            target = Decimal((120 if indicator == "promotion_effect" else 6) * periods)
            actual = Decimal(round(float(target) * rng.uniform(0.7, 1.2)))
        if indicator == "response_time":
            ratio = float(target) / float(actual)
        else:
            ratio = float(actual) / float(target) if target else 1.0
        return target, actual, _pct(min(100.0, ratio * 100), 1)
