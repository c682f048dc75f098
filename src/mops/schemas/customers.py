"""客戶與跟進 Customers and follow-ups (policy §5): edited by the sales team and customer service."""

from mops.schemas import enums as E
from mops.schemas.model import ColType as T
from mops.schemas.model import Owner, SheetDef, WorkbookDef, col

SALES_PEOPLE = ("sales", "department", "management")

CUSTOMERS = SheetDef(
    "customers", "客戶", "Customers",
    (
        col("customer_id", "客戶編號", "Customer ID", T.TEXT, ("例：CU0001，一個客戶一號，同步到 Odoo 後不可更改。", "e.g. CU0001; one per customer; never change it once synced to Odoo."), required=True, unique=True, max_length=20),
        col("name", "客戶名稱", "Customer name", T.TEXT, ("公司全名；重複的名稱會被標示。", "Company name; duplicates are flagged."), required=True, max_length=120, width=26),
        col("tax_id", "統一編號", "Tax ID", T.TEXT, ("8 位數字的統一編號。", "The 8-digit business ID."), max_length=8, pattern=r"\d{8}"),
        col("contact_name", "主要聯絡人", "Main contact", T.TEXT, ("客戶方主要的聯絡窗口。", "The customer's main person to talk to."), required=True, max_length=40, policy=("P5.2-complete",)),
        col("phone", "電話", "Phone", T.PHONE, ("", ""), required=True, policy=("P5.2-complete",)),
        col("email", "電子郵件", "E-mail", T.EMAIL, ("", ""), required=True, policy=("P5.2-complete",)),
        col("industry", "產業", "Industry", T.ENUM, ("", ""), required=True, enum=E.INDUSTRY, policy=("P5.2-complete",)),
        col("company_size", "公司規模", "Company size", T.ENUM, ("", ""), required=True, enum=E.COMPANY_SIZE, policy=("P5.2-complete",)),
        col("business_needs", "業務需求", "Business needs", T.TEXT, ("客戶想解決的問題。", "What the customer wants solved."), required=True, max_length=500, width=30, policy=("P5.2-complete",)),
        col("budget", "預算", "Budget", T.MONEY, ("客戶可投入的預算。", "What the customer can spend."), required=True, minimum=0, policy=("P5.2-complete",)),
        col("channel", "來源管道", "Channel", T.ENUM, ("政策 5.1 所列管道之一。", "One of the channels of policy 5.1."), required=True, enum=E.CHANNEL),
        col("tier", "客戶分級", "Tier", T.ENUM, ("依價值與潛力分級；決定跟進頻率（政策 5.3）。", "By value and potential; sets the follow-up cadence (policy 5.3)."), required=True, enum=E.TIER),
        col("status", "客戶狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.CUSTOMER_STATUS),
        col("region", "地區", "Region", T.ENUM, ("", ""), enum=E.REGION),
        col("address", "地址", "Address", T.TEXT, ("", ""), max_length=200, width=30),
        col("account_manager", "負責業務", "Account manager", T.PERSON, ("", ""), required=True, groups=SALES_PEOPLE),
        col("first_contact_date", "首次接觸日", "First contact", T.DATE, ("", "")),
        col("notes", "備註", "Notes", T.TEXT, ("", ""), width=30),
        col("odoo_partner_id", "Odoo 客戶 ID", "Odoo partner ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
    ),
    primary_key="customer_id",
    help_zh="客戶基本資料，須完整準確（政策 5.2），並依價值分級（政策 5.3）。",
    help_en="Customer master data, complete and accurate (policy 5.2), tiered by value (policy 5.3).",
    policy=("§5.1", "§5.2", "§5.3"),
)  # fmt: skip

CONTACTS = SheetDef(
    "contacts", "聯絡人", "Contacts",
    (
        col("contact_id", "聯絡人編號", "Contact ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("customer_id", "客戶編號", "Customer ID", T.REF, ("", ""), required=True, ref="customers.customer_id"),
        col("name", "姓名", "Name", T.TEXT, ("", ""), required=True, max_length=40),
        col("title", "職稱", "Job title", T.TEXT, ("", ""), max_length=40),
        col("phone", "電話", "Phone", T.PHONE, ("", "")),
        col("email", "電子郵件", "E-mail", T.EMAIL, ("", "")),
        col("primary", "主要聯絡人", "Primary", T.BOOLEAN, ("", "")),
        col("notes", "備註", "Notes", T.TEXT, ("", ""), width=30),
        col("odoo_partner_id", "Odoo 聯絡人 ID", "Odoo contact ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
    ),
    primary_key="contact_id",
    help_zh="客戶的聯絡人（同步為 Odoo 公司下的聯絡人）。",
    help_en="The customers' contact persons (child contacts of the company in Odoo).",
    policy=("§5.2",),
)  # fmt: skip

OPPORTUNITIES = SheetDef(
    "opportunities", "商機", "Opportunities",
    (
        col("opportunity_id", "商機編號", "Opportunity ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("customer_id", "客戶編號", "Customer ID", T.REF, ("", ""), required=True, ref="customers.customer_id"),
        col("name", "商機名稱", "Opportunity", T.TEXT, ("", ""), required=True, max_length=120, width=26),
        col("service_line", "服務項目", "Service line", T.ENUM, ("", ""), required=True, enum=E.SERVICE_LINE),
        col("salesperson", "業務", "Salesperson", T.PERSON, ("", ""), required=True, groups=SALES_PEOPLE),
        col("expected_revenue", "預估營收", "Expected revenue", T.MONEY, ("", ""), required=True, minimum=0),
        col("probability", "成交機率", "Probability", T.PERCENT, ("", ""), required=True, minimum=0, maximum=1),
        col("expected_close", "預計成交日", "Expected close", T.DATE, ("", ""), required=True),
        col("channel", "來源管道", "Channel", T.ENUM, ("", ""), required=True, enum=E.CHANNEL),
        col("campaign_id", "來源活動", "Campaign ID", T.REF, ("來自營銷活動時填寫活動編號。", "The campaign ID when a campaign produced it."), ref="campaigns.campaign_id"),
        col("created_date", "建立日期", "Created", T.DATE, ("", ""), required=True),
        col("stage", "階段", "Stage", T.ENUM, ("新商機可留空或填「新商機」；之後由 Odoo 的銷售管道同步更新。", "Blank or New for a new one; after that Odoo's pipeline updates it."), enum=E.OPPORTUNITY_STAGE, owner=Owner.ODOO),
        col("lost_reason", "失敗原因", "Lost reason", T.TEXT, ("", ""), max_length=200, owner=Owner.ODOO),
        col("odoo_lead_id", "Odoo 商機 ID", "Odoo lead ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
    ),
    primary_key="opportunity_id",
    date_order=(("created_date", "expected_close"),),
    help_zh="銷售管道中的商機（政策 6.2）：階段、預估營收、成交機率與預計成交日。",
    help_en="The sales pipeline (policy 6.2): stage, expected revenue, probability and expected close.",
    policy=("§6.2",),
)  # fmt: skip

FOLLOWUP_PLAN = SheetDef(
    "followup_plan", "跟進計劃", "Follow-up plan",
    (
        col("plan_id", "計劃編號", "Plan ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("customer_id", "客戶編號", "Customer ID", T.REF, ("", ""), required=True, ref="customers.customer_id"),
        col("opportunity_id", "商機編號", "Opportunity ID", T.REF, ("", ""), ref="opportunities.opportunity_id"),
        col("method", "跟進方式", "Method", T.ENUM, ("", ""), required=True, enum=E.CONTACT_METHOD),
        col("planned_date", "預定日期", "Planned date", T.DATE, ("", ""), required=True),
        col("goal", "跟進目標", "Goal", T.TEXT, ("", ""), required=True, max_length=200, width=30),
        col("owner", "負責人", "Owner", T.PERSON, ("", ""), required=True),
        col("status", "狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.PLAN_STATUS),
        col("odoo_activity_id", "Odoo 活動 ID", "Odoo activity ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
    ),
    primary_key="plan_id",
    help_zh="每位客戶的跟進計劃：方式、日期與目標（政策 5.3）。",
    help_en="The follow-up plan of each customer: method, date and goal (policy 5.3).",
    policy=("§5.3",),
)  # fmt: skip

FOLLOWUP_LOG = SheetDef(
    "followup_log", "跟進紀錄", "Follow-up log",
    (
        col("log_id", "紀錄編號", "Log ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("date", "日期", "Date", T.DATE, ("", ""), required=True),
        col("customer_id", "客戶編號", "Customer ID", T.REF, ("", ""), required=True, ref="customers.customer_id"),
        col("opportunity_id", "商機編號", "Opportunity ID", T.REF, ("", ""), ref="opportunities.opportunity_id"),
        col("contact", "聯絡對象", "Contact", T.TEXT, ("", ""), max_length=40),
        col("method", "跟進方式", "Method", T.ENUM, ("", ""), required=True, enum=E.CONTACT_METHOD),
        col("owner", "跟進人", "Owner", T.PERSON, ("", ""), required=True),
        col("content", "跟進內容", "Content", T.TEXT, ("", ""), required=True, max_length=2000, width=36),
        col("outcome", "結果", "Outcome", T.ENUM, ("", ""), required=True, enum=E.FOLLOWUP_OUTCOME),
        col("next_step", "下一步", "Next step", T.TEXT, ("", ""), max_length=200, width=24),
        col("next_date", "下次跟進日", "Next date", T.DATE, ("須晚於本次日期。", "After this date.")),
        col("care_visit", "關懷拜訪", "Care visit", T.BOOLEAN, ("客服人員的客戶關懷拜訪填「是」。", "Yes for a customer-care visit by customer service.")),
        col("odoo_message_id", "Odoo 訊息 ID", "Odoo message ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
        col("next_activity_done", "下一步已完成", "Next step done", T.BOOLEAN, ("Odoo 中的待辦完成後為「是」。", "Yes once the activity is done in Odoo."), owner=Owner.ODOO),
    ),
    primary_key="log_id",
    date_order=(("date", "next_date"),),
    help_zh="每次跟進一列：日期、方式、內容、結果與下一步（政策 5.3）。",
    help_en="One row per contact: date, method, content, outcome and next step (policy 5.3).",
    policy=("§5.3",),
)  # fmt: skip

CUSTOMER_BOOK = WorkbookDef(
    "customers", "customers.xlsx", "客戶與跟進", "Customers and follow-ups",
    "銷售團隊、客戶服務組", "Sales team, customer-service group",
    (CUSTOMERS, CONTACTS, OPPORTUNITIES, FOLLOWUP_PLAN, FOLLOWUP_LOG),
    help_zh="客戶資料、聯絡人、商機與跟進。客戶與商機會與 Odoo CRM 雙向同步。",
    help_en="Customers, contacts, opportunities and follow-ups. Customers and opportunities sync both ways with Odoo CRM.",
)  # fmt: skip
