"""Business vocabulary of the demo: services, follow-ups, campaigns, tickets, expenses, KPIs."""

# --- customers and follow-ups ------------------------------------------------------------------

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

# --- campaigns ---------------------------------------------------------------------------------

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

# --- market research ---------------------------------------------------------------------------

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

# --- customer service --------------------------------------------------------------------------

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

# --- expenses ----------------------------------------------------------------------------------

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

# --- staff -------------------------------------------------------------------------------------

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
