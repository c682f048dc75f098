"""Names of people, companies and places: the tables the demo draws its characters from."""

COMPANY_DOMAIN = "mops-consulting.com.tw"

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
