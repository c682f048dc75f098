"""The closed lists of the policy, each declared once and shared by every sheet that uses it."""

from mops.schemas.model import enum

CAMPAIGN_STATUS = enum(
    "campaign_status", "活動狀態", "Campaign status",
    ("draft", "草稿", "Draft"),
    ("submitted", "已提交", "Submitted"),
    ("reviewed", "已審核", "Reviewed"),
    ("approved", "已核准", "Approved"),
    ("executing", "執行中", "Executing"),
    ("closed", "已結案", "Closed"),
    ("rejected", "已退回", "Rejected"),
)  # fmt: skip

OBJECTIVE = enum(
    "objective", "活動目標類型", "Objective",
    ("brand_awareness", "品牌知名度", "Brand awareness"),
    ("leads", "潛在客戶", "Leads"),
    ("revenue", "營收", "Revenue"),
    ("new_customers", "新客戶", "New customers"),
    ("participants", "參與人數", "Participants"),
    ("satisfaction", "客戶滿意度", "Satisfaction"),
)  # fmt: skip

CAMPAIGN_FORMAT = enum(
    "campaign_format", "活動形式", "Format",
    ("seminar", "研討會", "Seminar"),
    ("trade_show", "展覽", "Trade show"),
    ("forum", "論壇", "Forum"),
    ("webinar", "線上講座", "Webinar"),
    ("online_ads", "線上廣告", "Online ads"),
    ("social", "社群活動", "Social media campaign"),
    ("email", "電子郵件行銷", "E-mail campaign"),
    ("content", "內容行銷", "Content marketing"),
    ("other", "其他", "Other"),
)  # fmt: skip

PROGRESS = enum(
    "progress", "進度狀態", "Progress",
    ("todo", "未開始", "Not started"),
    ("in_progress", "進行中", "In progress"),
    ("done", "已完成", "Done"),
    ("cancelled", "已取消", "Cancelled"),
)  # fmt: skip

EXPENSE_CATEGORY = enum(
    "expense_category", "費用類別", "Expense category",
    ("promotion", "推廣費用", "Promotion"),
    ("sales", "銷售費用", "Sales"),
    ("service", "客戶服務費用", "Customer service"),
)  # fmt: skip

EXPENSE_ITEM = enum(
    "expense_item", "費用項目", "Expense item",
    ("advertising", "廣告", "Advertising"),
    ("events", "活動場地與執行", "Events"),
    ("materials", "宣傳品與印刷", "Materials and printing"),
    ("digital", "數位行銷", "Digital marketing"),
    ("travel", "差旅交通", "Travel"),
    ("entertainment", "交際應酬", "Entertainment"),
    ("gifts", "禮品", "Gifts"),
    ("training", "教育訓練", "Training"),
    ("survey", "市場調查", "Market research"),
    ("other", "其他", "Other"),
)  # fmt: skip

RESEARCH_METHOD = enum(
    "research_method", "調研方法", "Research method",
    ("desk", "文案調研", "Desk research"),
    ("questionnaire", "問卷調查", "Questionnaire"),
    ("interview", "訪談調研", "Interview"),
    ("observation", "實地觀察", "Field observation"),
)  # fmt: skip

PRICE_LEVEL = enum(
    "price_level", "價格帶", "Price level",
    ("low", "低價", "Low"),
    ("mid", "中價", "Mid"),
    ("high", "高價", "High"),
    ("premium", "頂級", "Premium"),
)  # fmt: skip

CHANNEL = enum(
    "channel", "客戶來源管道", "Channel",
    ("website", "官方網站", "Website"),
    ("seo", "搜尋引擎優化", "SEO"),
    ("sem", "搜尋引擎廣告", "SEM"),
    ("social_media", "社群媒體", "Social media"),
    ("email_marketing", "電子郵件行銷", "E-mail marketing"),
    ("event", "展會/研討會/論壇", "Trade show / seminar / forum"),
    ("client_referral", "客戶轉介", "Client referral"),
    ("partner_referral", "合作夥伴轉介", "Partner referral"),
    ("cold_outreach", "陌生開發", "Cold call / visit"),
)  # fmt: skip

INDUSTRY = enum(
    "industry", "產業", "Industry",
    ("manufacturing", "製造業", "Manufacturing"),
    ("semiconductor", "半導體與電子", "Semiconductors and electronics"),
    ("finance", "金融保險", "Finance and insurance"),
    ("it", "資訊科技", "Information technology"),
    ("retail", "零售批發", "Retail and wholesale"),
    ("healthcare", "醫療生技", "Healthcare and biotech"),
    ("construction", "營建不動產", "Construction and real estate"),
    ("logistics", "物流運輸", "Logistics"),
    ("food", "餐飲食品", "Food and beverage"),
    ("education", "教育", "Education"),
    ("public", "政府與公部門", "Public sector"),
    ("services", "專業服務", "Professional services"),
    ("other", "其他", "Other"),
)  # fmt: skip

COMPANY_SIZE = enum(
    "company_size", "公司規模", "Company size",
    ("micro", "1-9 人", "1-9 staff"),
    ("small", "10-49 人", "10-49 staff"),
    ("medium", "50-249 人", "50-249 staff"),
    ("large", "250-999 人", "250-999 staff"),
    ("enterprise", "1000 人以上", "1000+ staff"),
)  # fmt: skip

TIER = enum(
    "tier", "客戶分級", "Tier",
    ("A", "A 級", "Tier A"),
    ("B", "B 級", "Tier B"),
    ("C", "C 級", "Tier C"),
    ("D", "D 級", "Tier D"),
)  # fmt: skip

CUSTOMER_STATUS = enum(
    "customer_status", "客戶狀態", "Customer status",
    ("prospect", "潛在客戶", "Prospect"),
    ("active", "往來中", "Active"),
    ("dormant", "休眠", "Dormant"),
    ("lost", "流失", "Lost"),
)  # fmt: skip

REGION = enum(
    "region", "地區", "Region",
    ("north", "北部", "North"),
    ("central", "中部", "Central"),
    ("south", "南部", "South"),
    ("east", "東部", "East"),
    ("islands", "離島", "Outlying islands"),
    ("overseas", "海外", "Overseas"),
)  # fmt: skip

SERVICE_LINE = enum(
    "service_line", "服務項目", "Service line",
    ("strategy", "策略顧問", "Strategy consulting"),
    ("marketing", "行銷顧問", "Marketing consulting"),
    ("digital", "數位轉型", "Digital transformation"),
    ("hr", "人資顧問", "HR consulting"),
    ("finance", "財務顧問", "Financial advisory"),
    ("training", "企業培訓", "Corporate training"),
)  # fmt: skip

OPPORTUNITY_STAGE = enum(
    "opportunity_stage", "商機階段", "Opportunity stage",
    ("new", "新商機", "New"),
    ("qualified", "需求確認", "Qualified"),
    ("proposal", "提案報價", "Proposal"),
    ("negotiation", "議約中", "Negotiation"),
    ("won", "成交", "Won"),
    ("lost", "失敗", "Lost"),
)  # fmt: skip

CONTACT_METHOD = enum(
    "contact_method", "聯繫方式", "Contact method",
    ("phone", "電話", "Phone"),
    ("email", "電子郵件", "E-mail"),
    ("visit", "拜訪", "Visit"),
    ("meeting", "會議", "Meeting"),
    ("online", "線上會議", "Online meeting"),
)  # fmt: skip

FOLLOWUP_OUTCOME = enum(
    "followup_outcome", "跟進結果", "Outcome",
    ("progress", "有進展", "Progress"),
    ("neutral", "持平", "No change"),
    ("setback", "受阻", "Setback"),
    ("no_response", "未回應", "No response"),
    ("won", "成交", "Won"),
    ("lost", "放棄", "Lost"),
)  # fmt: skip

PLAN_STATUS = enum(
    "plan_status", "計劃狀態", "Plan status",
    ("planned", "待執行", "Planned"),
    ("done", "已執行", "Done"),
    ("missed", "未執行", "Missed"),
    ("cancelled", "已取消", "Cancelled"),
)  # fmt: skip

PERIOD_TYPE = enum(
    "period_type", "期間類型", "Period type",
    ("year", "年度", "Year"),
    ("quarter", "季度", "Quarter"),
    ("month", "月度", "Month"),
)  # fmt: skip

CONTRACT_STATUS = enum(
    "contract_status", "合同狀態", "Contract status",
    ("drafting", "草擬中", "Drafting"),
    ("legal_review", "法務審閱中", "In legal review"),
    ("signed", "已簽署", "Signed"),
    ("executing", "履約中", "Executing"),
    ("completed", "已完成", "Completed"),
    ("changed", "已變更", "Amended"),
    ("terminated", "已終止", "Terminated"),
)  # fmt: skip

REVIEW_RESULT = enum(
    "review_result", "審閱結果", "Review result",
    ("pending", "待審", "Pending"),
    ("approved", "通過", "Approved"),
    ("changes_requested", "需修改", "Changes requested"),
    ("rejected", "不通過", "Rejected"),
)  # fmt: skip

PAYMENT_STATUS = enum(
    "payment_status", "收款狀態", "Payment status",
    ("scheduled", "未到期", "Scheduled"),
    ("invoiced", "已開票", "Invoiced"),
    ("paid", "已收款", "Paid"),
    ("overdue", "逾期", "Overdue"),
)  # fmt: skip

# What Odoo says of a customer invoice and of its payment (account.move state and payment_state),
# pulled back into the payment schedule; the options are the selection values of Odoo 17 and 19.
ODOO_INVOICE_STATE = enum(
    "odoo_invoice_state", "Odoo 發票狀態", "Odoo invoice state",
    ("draft", "草稿", "Draft"),
    ("posted", "已過帳", "Posted"),
    ("cancel", "已取消", "Cancelled"),
)  # fmt: skip

ODOO_PAYMENT_STATE = enum(
    "odoo_payment_state", "Odoo 付款狀態", "Odoo payment state",
    ("not_paid", "未付款", "Not paid"),
    ("partial", "部分付款", "Partially paid"),
    ("in_payment", "付款中", "In payment"),
    ("paid", "已付款", "Paid"),
    ("reversed", "已沖銷", "Reversed"),
    ("blocked", "已凍結", "Blocked"),
    ("invoicing_legacy", "舊版開票", "Invoicing legacy"),
)  # fmt: skip

# The state of an expense in Odoo (hr.expense state): 17 reports it, submits and approves it in
# an expense report and calls a paid expense "done"; 19 posts and pays the expense itself.
ODOO_EXPENSE_STATE = enum(
    "odoo_expense_state", "Odoo 費用狀態", "Odoo expense state",
    ("draft", "草稿", "Draft"),
    ("reported", "已列入報告", "Reported"),
    ("submitted", "已提交", "Submitted"),
    ("approved", "已核准", "Approved"),
    ("posted", "已過帳", "Posted"),
    ("in_payment", "付款中", "In payment"),
    ("paid", "已付款", "Paid"),
    ("done", "已完成", "Done"),
    ("refused", "已拒絕", "Refused"),
)  # fmt: skip

# The state of an expense report (Odoo 17 hr.expense.sheet state; 19 has no reports).
ODOO_REPORT_STATE = enum(
    "odoo_report_state", "Odoo 報告狀態", "Odoo report state",
    ("draft", "待提交", "To submit"),
    ("submit", "已提交", "Submitted"),
    ("approve", "已核准", "Approved"),
    ("post", "已過帳", "Posted"),
    ("done", "已完成", "Done"),
    ("cancel", "已拒絕", "Refused"),
)  # fmt: skip

TICKET_TYPE = enum(
    "ticket_type", "服務類型", "Ticket type",
    ("inquiry", "諮詢", "Inquiry"),
    ("complaint", "投訴", "Complaint"),
    ("feedback", "意見回饋", "Feedback"),
    ("problem", "問題", "Problem"),
)  # fmt: skip

TICKET_CHANNEL = enum(
    "ticket_channel", "受理管道", "Channel",
    ("phone", "電話", "Phone"),
    ("email", "電子郵件", "E-mail"),
    ("chat", "線上客服", "Online chat"),
    ("web_form", "網站表單", "Web form"),
    ("survey", "問卷", "Questionnaire"),
    ("review", "網路評論", "Online review"),
    ("visit", "現場", "In person"),
)  # fmt: skip

TICKET_STATUS = enum(
    "ticket_status", "處理狀態", "Ticket status",
    ("new", "新建", "New"),
    ("in_progress", "處理中", "In progress"),
    ("waiting", "等待客戶", "Waiting for customer"),
    ("resolved", "已解決", "Resolved"),
    ("closed", "已結案", "Closed"),
)  # fmt: skip

PRIORITY = enum(
    "priority", "優先順序", "Priority",
    ("low", "低", "Low"),
    ("normal", "一般", "Normal"),
    ("high", "高", "High"),
    ("urgent", "緊急", "Urgent"),
)  # fmt: skip

EFFECTIVENESS = enum(
    "effectiveness", "改善成效", "Effectiveness",
    ("pending", "待確認", "Pending"),
    ("effective", "有效", "Effective"),
    ("partial", "部分有效", "Partly effective"),
    ("ineffective", "無效", "Not effective"),
)  # fmt: skip

APPROVAL = enum(
    "approval", "核准結果", "Approval",
    ("pending", "待核", "Pending"),
    ("approved", "核准", "Approved"),
    ("rejected", "退回", "Rejected"),
)  # fmt: skip

AUDIT = enum(
    "audit", "稽核結果", "Audit",
    ("pending", "待審", "Pending"),
    ("passed", "通過", "Passed"),
    ("failed", "不通過", "Failed"),
)  # fmt: skip

STAFF_GROUP = enum(
    "staff_group", "所屬組別", "Group",
    ("management", "管理層", "Management"),
    ("department", "營銷部", "Marketing department"),
    ("promotion", "市場推廣組", "Promotion group"),
    ("sales", "銷售團隊", "Sales team"),
    ("service", "客戶服務組", "Customer-service group"),
    ("finance", "財務部", "Finance"),
    ("legal", "法務", "Legal"),
)  # fmt: skip

ROLE = enum(
    "role", "職務", "Role",
    ("executive", "高階主管", "Executive"),
    ("head", "部門主管", "Department head"),
    ("lead", "組長", "Group lead"),
    ("specialist", "行銷專員", "Marketing specialist"),
    ("sales_rep", "業務代表", "Sales representative"),
    ("service_rep", "客服專員", "Service representative"),
    ("accountant", "會計", "Accountant"),
    ("counsel", "法務專員", "Legal counsel"),
    ("assistant", "助理", "Assistant"),
)  # fmt: skip

TRAINING_TYPE = enum(
    "training_type", "訓練類型", "Training type",
    ("onboarding", "新人訓練", "Onboarding"),
    ("internal", "內部訓練", "Internal"),
    ("external", "外部訓練", "External"),
)  # fmt: skip

TRAINING_TOPIC = enum(
    "training_topic", "訓練主題", "Topic",
    ("company", "公司簡介", "The company"),
    ("culture", "企業文化", "Culture"),
    ("marketing", "營銷知識", "Marketing"),
    ("product", "產品與服務", "Products and services"),
    ("sales_skills", "銷售技巧", "Sales skills"),
    ("service", "客戶服務", "Customer service"),
    ("compliance", "法令遵循", "Compliance"),
    ("other", "其他", "Other"),
)  # fmt: skip

INDICATOR = enum(
    "indicator", "考核指標", "Indicator",
    ("revenue", "營收", "Revenue"),
    ("profit", "利潤", "Profit"),
    ("new_customers", "新客戶數", "New customers"),
    ("satisfaction", "客戶滿意度", "Customer satisfaction"),
    ("promotion_effect", "推廣效果", "Promotion effect"),
    ("response_time", "回應時效", "Response time"),
    ("other", "其他", "Other"),
)  # fmt: skip

INCENTIVE = enum(
    "incentive", "獎勵", "Incentive",
    ("none", "無", "None"),
    ("bonus", "獎金", "Bonus"),
    ("commission", "佣金", "Commission"),
    ("promotion", "晉升", "Promotion"),
    ("honour", "榮譽表揚", "Honour"),
)  # fmt: skip
