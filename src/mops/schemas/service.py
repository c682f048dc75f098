"""客戶服務 Customer service (policy §7): edited by the customer-service group."""

from mops.schemas import enums as E
from mops.schemas.model import ColType as T
from mops.schemas.model import Owner, SheetDef, WorkbookDef, col

TICKETS = SheetDef(
    "tickets", "服務紀錄", "Service tickets",
    (
        col("ticket_id", "案件編號", "Ticket ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("type", "類型", "Type", T.ENUM, ("諮詢、投訴、意見回饋或問題。", "Inquiry, complaint, feedback or problem."), required=True, enum=E.TICKET_TYPE),
        col("channel", "受理管道", "Channel", T.ENUM, ("", ""), required=True, enum=E.TICKET_CHANNEL),
        col("customer_id", "客戶編號", "Customer ID", T.REF, ("", ""), required=True, ref="customers.customer_id"),
        col("contact", "聯絡人", "Contact", T.TEXT, ("", ""), max_length=40),
        col("subject", "主旨", "Subject", T.TEXT, ("", ""), required=True, max_length=120, width=26),
        col("description", "內容", "Description", T.TEXT, ("", ""), max_length=2000, width=36),
        col("priority", "優先順序", "Priority", T.ENUM, ("", ""), required=True, enum=E.PRIORITY),
        col("received_at", "受理時間", "Received", T.DATETIME, ("投訴須立即記錄（政策 7.1）。", "Complaints are recorded at once (policy 7.1)."), required=True),
        col("owner", "負責人", "Owner", T.PERSON, ("投訴須由客戶服務組負責。", "Complaints are owned by customer service."), required=True, groups=("service",)),
        col("deadline", "回覆期限", "Reply deadline", T.DATETIME, ("依類型的回覆時限計算（投訴 24 小時、諮詢 8 個工作小時）。", "From the reply time limit of the type (complaint 24 h, inquiry 8 working hours).")),
        col("first_response_at", "首次回覆時間", "First response", T.DATETIME, ("須晚於受理時間，且不超過期限（政策 7.1）。", "After receipt and within the deadline (policy 7.1).")),
        col("resolved_at", "解決時間", "Resolved", T.DATETIME, ("", "")),
        col("status", "狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.TICKET_STATUS),
        col("satisfaction", "滿意度", "Satisfaction", T.INTEGER, ("回訪或問卷的分數。", "The score from the call-back or survey."), minimum=1, maximum=5),
        col("root_cause", "根本原因", "Root cause", T.TEXT, ("", ""), max_length=300, width=24),
        col("resolution", "處理方式", "Resolution", T.TEXT, ("", ""), max_length=1000, width=30),
        col("odoo_task_id", "Odoo 任務 ID", "Odoo task ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
    ),
    primary_key="ticket_id",
    date_order=(("received_at", "first_response_at"), ("received_at", "resolved_at"), ("received_at", "deadline")),
    help_zh="客戶諮詢、投訴、意見回饋與問題的受理、回覆與解決（政策 7.1、7.2）。",
    help_en="Customer inquiries, complaints, feedback and problems: receipt, reply and resolution (policy 7.1, 7.2).",
    policy=("§7.1", "§7.2"),
)  # fmt: skip

IMPROVEMENTS = SheetDef(
    "improvements", "改善措施", "Improvement actions",
    (
        col("action_id", "措施編號", "Action ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("ticket_id", "相關案件", "Related ticket", T.REF, ("", ""), ref="tickets.ticket_id"),
        col("problem", "問題描述", "Problem", T.TEXT, ("反覆發生的問題。", "The recurring problem."), required=True, max_length=300, width=28),
        col("root_cause", "根本原因", "Root cause", T.TEXT, ("", ""), required=True, max_length=300, width=24),
        col("measure", "改善措施", "Measure", T.TEXT, ("", ""), required=True, max_length=500, width=28),
        col("owner", "負責人", "Owner", T.PERSON, ("", ""), required=True),
        col("due_date", "完成期限", "Due date", T.DATE, ("", ""), required=True),
        col("status", "狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.PROGRESS),
        col("check_date", "成效確認日", "Checked on", T.DATE, ("", "")),
        col("effectiveness", "成效", "Effectiveness", T.ENUM, ("", ""), enum=E.EFFECTIVENESS),
    ),
    primary_key="action_id",
    help_zh="問題的根本原因、改善措施與成效追蹤（政策 7.3）。",
    help_en="Root causes, improvement measures and their follow-up check (policy 7.3).",
    policy=("§7.3",),
)  # fmt: skip

SERVICE = WorkbookDef(
    "service", "customer-service.xlsx", "客戶服務", "Customer service",
    "客戶服務組", "Customer-service group",
    (TICKETS, IMPROVEMENTS),
    help_zh="客戶服務案件與改善措施。案件會同步為 Odoo 客服專案中的任務。",
    help_en="Service tickets and improvement actions. Tickets sync to tasks of the customer-service project in Odoo.",
)  # fmt: skip
