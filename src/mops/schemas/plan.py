"""營銷計劃與預算 Marketing plan and budget (policy §3, §4): edited by the promotion group."""

from mops.schemas import enums as E
from mops.schemas.model import ColType as T
from mops.schemas.model import Owner, SheetDef, WorkbookDef, col

CAMPAIGNS = SheetDef(
    "campaigns", "營銷活動", "Campaigns",
    (
        col("campaign_id", "活動編號", "Campaign ID", T.TEXT, ("例：MC2026-001，一個活動一號。", "e.g. MC2026-001; one per campaign."), required=True, unique=True, max_length=20),
        col("name", "活動名稱", "Name", T.TEXT, ("", ""), required=True, max_length=80, width=28),
        col("theme", "活動主題", "Theme", T.TEXT, ("", ""), required=True, max_length=120, width=28),
        col("objective", "主要目標", "Main objective", T.ENUM, ("活動最主要的目標；各項目標值填於右側欄位（政策 4.1）。", "The main objective; the numeric targets go in the target columns (policy 4.1)."), required=True, enum=E.OBJECTIVE),
        col("target_participants", "目標參與人數", "Target participants", T.INTEGER, ("", ""), minimum=0),
        col("target_leads", "目標潛在客戶數", "Target leads", T.INTEGER, ("", ""), minimum=0),
        col("target_revenue", "目標營收", "Target revenue", T.MONEY, ("", ""), minimum=0),
        col("target_awareness_lift", "目標知名度提升", "Target awareness lift", T.PERCENT, ("", ""), minimum=0, maximum=1),
        col("target_satisfaction", "目標滿意度", "Target satisfaction", T.NUMBER, ("", ""), minimum=1, maximum=5),
        col("product", "產品策略", "Product", T.TEXT, ("4P：推廣的產品或服務。", "4P: the product or service promoted."), required=True, max_length=200, width=24),
        col("price", "價格策略", "Price", T.TEXT, ("4P：定價或優惠。", "4P: pricing or offer."), required=True, max_length=200, width=24),
        col("place", "通路策略", "Place", T.TEXT, ("4P：通路。", "4P: channels."), required=True, max_length=200, width=24),
        col("promotion", "推廣策略", "Promotion", T.TEXT, ("4P：推廣方式。", "4P: how it is promoted."), required=True, max_length=200, width=24),
        col("format", "活動形式", "Format", T.ENUM, ("", ""), required=True, enum=E.CAMPAIGN_FORMAT),
        col("content", "活動內容", "Content", T.TEXT, ("", ""), max_length=500, width=30),
        col("start_date", "開始日期", "Start date", T.DATE, ("須於核准日之後（政策 4.1）。", "Must come after the approval date (policy 4.1)."), required=True),
        col("end_date", "結束日期", "End date", T.DATE, ("不可早於開始日期。", "Not before the start date."), required=True),
        col("venue", "地點", "Venue", T.TEXT, ("實體地點或「線上」。", "A place, or 'online'."), max_length=100),
        col("audience", "參與對象", "Participants", T.TEXT, ("目標受眾。", "Who takes part."), max_length=200),
        col("budget", "預算", "Budget", T.MONEY, ("明細見「活動預算」工作表。", "The breakdown is on the Campaign budget sheet."), required=True, minimum=0),
        col("owner", "負責人", "Owner", T.PERSON, ("", ""), required=True, groups=("promotion", "department")),
        col("status", "狀態", "Status", T.ENUM, ("草稿→已提交→已審核→已核准→執行中→已結案；退回回到草稿。", "Draft → submitted → reviewed → approved → executing → closed; rejected goes back to draft."), required=True, enum=E.CAMPAIGN_STATUS),
        col("reviewer", "審核人", "Reviewer", T.PERSON, ("營銷部主管（政策 4.1）。", "The department head (policy 4.1)."), roles=("head",)),
        col("review_date", "審核日期", "Review date", T.DATE, ("", "")),
        col("approver", "核准人", "Approver", T.PERSON, ("公司管理層（政策 4.1）。", "Management (policy 4.1)."), roles=("executive",)),
        col("approval_date", "核准日期", "Approval date", T.DATE, ("須早於開始日期。", "Must be before the start date.")),
        col("evaluation_date", "評估日期", "Evaluation date", T.DATE, ("活動結束後進行效果評估（政策 4.2）。", "The effect evaluation after the end (policy 4.2).")),
        col("actual_participants", "實際參與人數", "Actual participants", T.INTEGER, ("", ""), minimum=0),
        col("actual_leads", "實際潛在客戶數", "Actual leads", T.INTEGER, ("", ""), minimum=0),
        col("actual_revenue", "實際營收", "Actual revenue", T.MONEY, ("", ""), minimum=0),
        col("actual_awareness_lift", "實際知名度提升", "Actual awareness lift", T.PERCENT, ("", ""), minimum=-1, maximum=1),
        col("actual_satisfaction", "實際滿意度", "Actual satisfaction", T.NUMBER, ("", ""), minimum=1, maximum=5),
        col("lessons", "檢討與經驗", "Lessons learned", T.TEXT, ("", ""), max_length=1000, width=36),
        col("odoo_campaign_id", "Odoo 活動 ID", "Odoo campaign ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
    ),
    primary_key="campaign_id",
    date_order=(("start_date", "end_date"), ("review_date", "approval_date"), ("end_date", "evaluation_date")),
    help_zh="每個營銷活動一列：目標、4P 策略、方案、預算、審批與效果評估（政策 4.1、4.2）。",
    help_en="One row per campaign: objectives, 4P strategy, plan, budget, approval and evaluation (policy 4.1, 4.2).",
    policy=("§4.1", "§4.2"),
)  # fmt: skip

CAMPAIGN_TASKS = SheetDef(
    "campaign_tasks", "活動任務", "Campaign tasks",
    (
        col("task_id", "任務編號", "Task ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("campaign_id", "活動編號", "Campaign ID", T.REF, ("", ""), required=True, ref="campaigns.campaign_id"),
        col("task", "任務", "Task", T.TEXT, ("", ""), required=True, max_length=200, width=30),
        col("owner", "負責人", "Owner", T.PERSON, ("每項任務都要有負責人（政策 4.2）。", "Every task has an owner (policy 4.2)."), required=True, policy=("P4.2-task-owner",)),
        col("start_date", "開始日期", "Start date", T.DATE, ("", "")),
        col("due_date", "截止日期", "Due date", T.DATE, ("", ""), required=True),
        col("status", "狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.PROGRESS),
        col("done_date", "完成日期", "Done date", T.DATE, ("", "")),
        col("notes", "備註", "Notes", T.TEXT, ("", ""), width=30),
        col("odoo_task_id", "Odoo 任務 ID", "Odoo task ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
    ),
    primary_key="task_id",
    date_order=(("start_date", "due_date"), ("start_date", "done_date")),
    help_zh="活動的執行任務與分工（政策 4.2）。",
    help_en="The execution tasks of each campaign (policy 4.2).",
    policy=("§4.2",),
)  # fmt: skip

PROGRESS_REVIEWS = SheetDef(
    "progress_reviews", "進度檢討", "Progress reviews",
    (
        col("review_id", "紀錄編號", "Review ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("campaign_id", "活動編號", "Campaign ID", T.REF, ("", ""), required=True, ref="campaigns.campaign_id"),
        col("date", "會議日期", "Date", T.DATE, ("執行中的活動須定期召開進度會議。", "Executing campaigns meet regularly."), required=True),
        col("host", "主持人", "Host", T.PERSON, ("", ""), required=True),
        col("progress", "完成度", "Progress", T.PERCENT, ("", ""), minimum=0, maximum=1),
        col("issues", "問題", "Issues", T.TEXT, ("", ""), width=30),
        col("actions", "對策", "Actions", T.TEXT, ("", ""), width=30),
    ),
    primary_key="review_id",
    help_zh="活動執行期間的進度會議紀錄（政策 4.2）。",
    help_en="Progress meetings while a campaign runs (policy 4.2).",
    policy=("§4.2",),
)  # fmt: skip

CAMPAIGN_BUDGET = SheetDef(
    "campaign_budget", "活動預算", "Campaign budget",
    (
        col("line_id", "明細編號", "Line ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("campaign_id", "活動編號", "Campaign ID", T.REF, ("", ""), required=True, ref="campaigns.campaign_id"),
        col("year", "年度", "Year", T.INTEGER, ("", ""), required=True, minimum=2000, maximum=2100),
        col("month", "月份", "Month", T.INTEGER, ("", ""), required=True, minimum=1, maximum=12),
        col("category", "費用類別", "Category", T.ENUM, ("", ""), required=True, enum=E.EXPENSE_CATEGORY),
        col("item", "費用項目", "Item", T.ENUM, ("", ""), required=True, enum=E.EXPENSE_ITEM),
        col("amount", "預算金額", "Amount", T.MONEY, ("", ""), required=True, minimum=0),
        col("notes", "備註", "Notes", T.TEXT, ("", ""), width=30),
        col("odoo_actual", "帳上實際", "Actual (books)", T.MONEY, ("mops reconcile 由 Odoo 記入本活動分析帳戶的已過帳費用（含稅）填入。", "Filled by mops reconcile from the expenses posted in Odoo on the campaign's analytic account (tax included)."), owner=Owner.ODOO),
        col("reconcile_status", "對帳狀態", "Reconciliation", T.TEXT, ("mops reconcile 填入：活動該類別與月份的預算執行情形。", "Filled by mops reconcile: how the campaign's category and month stand against its budget."), owner=Owner.ODOO, width=16),
    ),
    primary_key="line_id",
    help_zh="活動預算明細，按費用類別與月份（政策 4.1、8.1）。各活動明細合計應等於活動預算。",
    help_en="Campaign budget by category and month (policy 4.1, 8.1); a campaign's lines add up to its budget.",
    policy=("§4.1", "§8.1"),
)  # fmt: skip

RESEARCH_PLAN = SheetDef(
    "research_plan", "調研計劃", "Research plan",
    (
        col("research_id", "調研編號", "Research ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("year", "年度", "Year", T.INTEGER, ("", ""), required=True, minimum=2000, maximum=2100),
        col("purpose", "調研目的", "Purpose", T.TEXT, ("", ""), required=True, max_length=200, width=28),
        col("subject", "調研對象", "Subject", T.TEXT, ("", ""), required=True, max_length=200, width=20),
        col("content", "調研內容", "Content", T.TEXT, ("", ""), required=True, max_length=500, width=28),
        col("method", "調研方法", "Method", T.ENUM, ("政策 3.2 所列四種方法之一。", "One of the four methods of policy 3.2."), required=True, enum=E.RESEARCH_METHOD),
        col("start_date", "開始日期", "Start date", T.DATE, ("", ""), required=True),
        col("end_date", "結束日期", "End date", T.DATE, ("逾期未完成會被標示（政策 3.1）。", "Overdue items are flagged (policy 3.1)."), required=True),
        col("owner", "負責人", "Owner", T.PERSON, ("由市場推廣組負責。", "The promotion group owns research."), required=True, groups=("promotion", "department")),
        col("status", "狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.PROGRESS),
        col("report_date", "報告提交日", "Report date", T.DATE, ("分析報告提交主管的日期（政策 3.3）。", "When the analysis report went to management (policy 3.3).")),
        col("findings", "主要發現", "Findings", T.TEXT, ("", ""), max_length=2000, width=36),
    ),
    primary_key="research_id",
    date_order=(("start_date", "end_date"),),
    help_zh="年度市場調研計劃與執行（政策 3.1–3.3）。",
    help_en="The annual market-research plan and its progress (policy 3.1–3.3).",
    policy=("§3.1", "§3.2", "§3.3"),
)  # fmt: skip

COMPETITORS = SheetDef(
    "competitors", "競爭對手", "Competitors",
    (
        col("competitor_id", "編號", "Competitor ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("name", "競爭對手", "Competitor", T.TEXT, ("", ""), required=True, max_length=80, width=22),
        col("segment", "市場區隔", "Segment", T.TEXT, ("", ""), required=True, max_length=80),
        col("offer", "主要服務", "Offer", T.TEXT, ("", ""), max_length=200, width=26),
        col("price_level", "價格帶", "Price level", T.ENUM, ("", ""), enum=E.PRICE_LEVEL),
        col("strengths", "優勢", "Strengths", T.TEXT, ("", ""), max_length=300, width=26),
        col("weaknesses", "劣勢", "Weaknesses", T.TEXT, ("", ""), max_length=300, width=26),
        col("source", "資料來源", "Source", T.TEXT, ("", ""), required=True, max_length=200),
        col("recorded_date", "記錄日期", "Recorded", T.DATE, ("", ""), required=True),
        col("recorded_by", "記錄人", "Recorded by", T.PERSON, ("", "")),
    ),
    primary_key="competitor_id",
    help_zh="競爭對手分析資料（政策 3.3）。",
    help_en="Competitor analysis (policy 3.3).",
    policy=("§3.3",),
)  # fmt: skip

MARKETING_PLAN = WorkbookDef(
    "marketing_plan", "marketing-plan.xlsx", "營銷計劃與預算", "Marketing plan and budget",
    "市場推廣組", "Promotion group",
    (CAMPAIGNS, CAMPAIGN_TASKS, PROGRESS_REVIEWS, CAMPAIGN_BUDGET, RESEARCH_PLAN, COMPETITORS),
    help_zh="營銷活動從目標、策略、方案、審批到執行與評估，以及市場調研與競爭對手資料。",
    help_en="Campaigns from objectives, strategy and plan to approval, execution and evaluation; market research and competitors.",
)  # fmt: skip
