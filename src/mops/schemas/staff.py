"""人員與考核 Staff and appraisal (policy §2, §9): edited by the department head and HR."""

from mops.schemas import enums as E
from mops.schemas.model import ColType as T
from mops.schemas.model import Owner, SheetDef, WorkbookDef, col

ROSTER = SheetDef(
    "roster", "人員名冊", "Roster",
    (
        col("employee_id", "員工編號", "Employee ID", T.TEXT, ("例：E001，一人一號，不可重複。", "e.g. E001; one per person, unique."), required=True, unique=True, max_length=20),
        col("name", "姓名", "Name", T.TEXT, ("全名；其他工作表的負責人、核准人等欄位都以此姓名填寫。", "Full name; owner and approver columns elsewhere use this name."), required=True, unique=True, max_length=40),
        col("group", "組別", "Group", T.ENUM, ("所屬組別（政策第二章）。", "The group the person belongs to (policy §2)."), required=True, enum=E.STAFF_GROUP),
        col("role", "職務", "Role", T.ENUM, ("職務決定可擔任的角色，例如活動核准需高階主管。", "The role decides duties, e.g. campaigns are approved by an executive."), required=True, enum=E.ROLE),
        col("manager", "直屬主管", "Manager", T.PERSON, ("直屬主管，也須在名冊上。", "The line manager, also on this roster.")),
        col("email", "電子郵件", "E-mail", T.EMAIL, ("公司電子郵件，用於比對 Odoo 使用者。", "Company e-mail; matches the Odoo user."), required=True, unique=True),
        col("phone", "電話", "Phone", T.PHONE, ("分機或手機。", "Extension or mobile.")),
        col("hire_date", "到職日", "Hire date", T.DATE, ("到職後須於期限內完成新人訓練（政策 9.1）。", "Onboarding training is due within the set days of this date (policy 9.1)."), required=True),
        col("leave_date", "離職日", "Leave date", T.DATE, ("離職者填寫，並將在職改為否。", "For leavers; also set Active to No.")),
        col("active", "在職", "Active", T.BOOLEAN, ("是＝在職；否＝已離職。", "Yes = employed; No = left."), required=True),
        col("odoo_user_id", "Odoo 使用者 ID", "Odoo user ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
    ),
    primary_key="employee_id",
    date_order=(("hire_date", "leave_date"),),
    help_zh="營銷部全體人員，是所有負責人、核准人欄位的依據。",
    help_en="Everyone in marketing; every owner and approver column elsewhere must name someone here.",
    policy=("§2",),
)  # fmt: skip

RECRUITMENT = SheetDef(
    "recruitment", "招募計劃", "Recruitment plan",
    (
        col("position_id", "職缺編號", "Position ID", T.TEXT, ("例：R2026-01。", "e.g. R2026-01."), required=True, unique=True, max_length=20),
        col("title", "職缺名稱", "Position", T.TEXT, ("", ""), required=True, max_length=60),
        col("group", "組別", "Group", T.ENUM, ("", ""), required=True, enum=E.STAFF_GROUP),
        col("role", "職務", "Role", T.ENUM, ("", ""), required=True, enum=E.ROLE),
        col("headcount", "人數", "Headcount", T.INTEGER, ("", ""), required=True, minimum=1),
        col("planned_date", "預計到職日", "Planned start", T.DATE, ("", ""), required=True),
        col("owner", "負責人", "Owner", T.PERSON, ("負責招募的主管。", "Hiring manager."), required=True),
        col("status", "狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.PROGRESS),
    ),
    primary_key="position_id",
    help_zh="年度招募計劃（政策 9.1）。",
    help_en="The annual recruitment plan (policy 9.1).",
    policy=("§9.1",),
)  # fmt: skip

TRAINING = SheetDef(
    "training", "訓練紀錄", "Training log",
    (
        col("training_id", "紀錄編號", "Record ID", T.TEXT, ("例：T0001。", "e.g. T0001."), required=True, unique=True, max_length=20),
        col("employee", "員工", "Employee", T.PERSON, ("受訓人員姓名。", "Who was trained."), required=True),
        col("training_type", "訓練類型", "Type", T.ENUM, ("新進人員須完成新人訓練。", "New hires need onboarding training."), required=True, enum=E.TRAINING_TYPE),
        col("topic", "主題", "Topic", T.ENUM, ("", ""), required=True, enum=E.TRAINING_TOPIC),
        col("course", "課程名稱", "Course", T.TEXT, ("", ""), required=True, max_length=80),
        col("date", "日期", "Date", T.DATE, ("", ""), required=True),
        col("hours", "時數", "Hours", T.NUMBER, ("", ""), required=True, minimum=0, maximum=200),
        col("provider", "講師或機構", "Trainer", T.TEXT, ("", ""), max_length=60),
        col("completed", "已完成", "Completed", T.BOOLEAN, ("", ""), required=True),
    ),
    primary_key="training_id",
    help_zh="新人訓練與內外部訓練紀錄（政策 9.1）。",
    help_en="Onboarding and internal/external training (policy 9.1).",
    policy=("§9.1",),
)  # fmt: skip

KPIS = SheetDef(
    "kpis", "考核指標", "KPI definitions",
    (
        col("kpi_id", "指標編號", "KPI ID", T.TEXT, ("例：K2026-S-01。", "e.g. K2026-S-01."), required=True, unique=True, max_length=20),
        col("year", "年度", "Year", T.INTEGER, ("", ""), required=True, minimum=2000, maximum=2100),
        col("group", "適用組別", "Group", T.ENUM, ("同一年度、同一組別的權重合計須為 100%（政策 9.2）。", "Weights of one year and group must add up to 100 % (policy 9.2)."), required=True, enum=E.STAFF_GROUP),
        col("indicator", "指標", "Indicator", T.ENUM, ("", ""), required=True, enum=E.INDICATOR),
        col("weight", "權重", "Weight", T.PERCENT, ("", ""), required=True, minimum=0, maximum=1),
        col("standard", "考核標準", "Standard", T.TEXT, ("如何計分。", "How the score is given."), required=True, max_length=200, width=40),
        col("period_type", "考核週期", "Period", T.ENUM, ("", ""), required=True, enum=E.PERIOD_TYPE),
    ),
    primary_key="kpi_id",
    help_zh="各組別的考核指標與權重（政策 9.2）。",
    help_en="Appraisal indicators and weights per group (policy 9.2).",
    policy=("§9.2",),
)  # fmt: skip

APPRAISALS = SheetDef(
    "appraisals", "考核結果", "Appraisals",
    (
        col("appraisal_id", "考核編號", "Appraisal ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("employee", "員工", "Employee", T.PERSON, ("", ""), required=True),
        col("year", "年度", "Year", T.INTEGER, ("", ""), required=True, minimum=2000, maximum=2100),
        col("quarter", "季度", "Quarter", T.INTEGER, ("年度考核留空。", "Blank for a yearly appraisal."), minimum=1, maximum=4),
        col("kpi_id", "指標編號", "KPI ID", T.REF, ("", ""), required=True, ref="kpis.kpi_id"),
        col("target", "目標值", "Target", T.NUMBER, ("", ""), required=True),
        col("actual", "實際值", "Actual", T.NUMBER, ("", "")),
        col("score", "得分", "Score", T.NUMBER, ("", ""), minimum=0, maximum=100),
        col("reviewer", "考核人", "Reviewer", T.PERSON, ("考核人須為主管。", "The reviewer is a manager."), required=True, roles=("executive", "head", "lead")),
        col("incentive", "獎勵", "Incentive", T.ENUM, ("", ""), enum=E.INCENTIVE),
        col("notes", "備註", "Notes", T.TEXT, ("", ""), width=30),
    ),
    primary_key="appraisal_id",
    responsible="reviewer",  # the reviewer fills the appraisal in, not the employee appraised
    help_zh="每人每期每項指標一列（政策 9.2）。",
    help_en="One row per person, period and indicator (policy 9.2).",
    policy=("§9.2",),
)  # fmt: skip

COMMISSION_TIERS = SheetDef(
    "commission_tiers", "佣金級距", "Commission tiers",
    (
        col("tier_id", "級距編號", "Tier ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("from_attainment", "達成率下限", "From attainment", T.PERCENT, ("含下限。", "Inclusive."), required=True, minimum=0),
        col("to_attainment", "達成率上限", "To attainment", T.PERCENT, ("不含上限；最高級距留空。", "Exclusive; blank for the top tier."), minimum=0),
        col("rate", "佣金比率", "Rate", T.PERCENT, ("佔成交營收的比率。", "Share of won revenue."), required=True, minimum=0, maximum=1),
    ),
    primary_key="tier_id",
    help_zh="依目標達成率計算佣金（政策 9.2）。",
    help_en="Commission by target attainment (policy 9.2).",
    policy=("§9.2",),
)  # fmt: skip

STAFF = WorkbookDef(
    "staff", "staff.xlsx", "人員與考核", "Staff and appraisal",
    "部門主管、人資", "Department head, HR",
    (ROSTER, RECRUITMENT, TRAINING, KPIS, APPRAISALS, COMMISSION_TIERS),
    help_zh="營銷人員名冊、招募、訓練與考核。名冊是所有其他活頁簿中人員欄位的依據。",
    help_en="Marketing staff: roster, recruitment, training and appraisal. The roster backs every person column in the other workbooks.",
)  # fmt: skip
