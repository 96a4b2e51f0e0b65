"""The words the demo draws from: people's names, sponsors, project subjects, RAID titles, texts.

Only invented names and organisations (Contoso-style); order matters, as the seeded random
stream picks from these tuples by position.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farhan", "Grace", "Harry", "Imogen", "Jack",
    "Kavya", "Liam", "Maya", "Noah", "Olivia", "Priya", "Quentin", "Rosie", "Samuel", "Tara",
    "Umar", "Victoria", "William", "Xin", "Yusuf", "Zara", "Amelia", "Callum", "Deepa", "Ethan",
    "Fiona", "George", "Hannah", "Isaac", "Jasmine", "Kieran", "Leah", "Mohammed", "Niamh",
    "Oscar", "Poppy", "Rhys", "Sophie", "Tomasz", "Yasmin",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Baker", "Campbell", "Davies", "Evans", "Fletcher", "Gill", "Hughes", "Iqbal",
    "Jones", "Kaur", "Lewis", "Morgan", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh",
    "Taylor", "Usman", "Vaughan", "Walker", "Wright", "Young", "Zhang", "Murphy", "Clarke",
    "Edwards", "Hussain", "Kowalski", "Mensah", "Okafor", "Price", "Reid", "Shah", "Thomas",
    "Wood", "Begum", "Chen",
)  # fmt: skip
SPONSORS: dict[str, tuple[str, str]] = {
    "Finance": ("Margaret Holloway", "Rajesh Menon"),
    "Operations": ("Stuart Kennedy", "Alison Pryce"),
    "Technology": ("Helen Carter", "Dev Raman"),
    "Customer Services": ("Joanne Blake", "Marcus Oduya"),
    "People & Culture": ("Fiona McLeod", "Adrian Lowe"),
    "Sales & Marketing": ("Claire Whitfield", "Tom Ashworth"),
}
BUSINESS_PMS: dict[str, tuple[str, ...]] = {
    "Finance": ("Karen Doyle", "Simon Parr"),
    "Operations": ("Gavin Hart", "Louise Brennan"),
    "Technology": ("Pete Gordon", "Anita Desai"),
    "Customer Services": ("Mark Ellis", "Rachel Stone"),
    "People & Culture": ("Jenny Marsh", "Owen Fraser"),
    "Sales & Marketing": ("Nadia Karim", "Lee Dawson"),
}
SUBJECTS: dict[str, tuple[str, ...]] = {
    "Finance": (
        "ERP", "Accounts Payable", "Month-End Close", "Treasury", "Expense Management",
        "Budgeting Tool", "Fixed Asset Register", "VAT Reporting", "Procure-to-Pay",
    ),
    "Operations": (
        "Warehouse", "Fleet Telematics", "Supply Chain", "Inventory", "Facilities Booking",
        "Field Service", "Health & Safety", "Depot Network", "Maintenance Planning",
    ),
    "Technology": (
        "Data Centre", "Identity & Access", "Service Desk", "Network", "Data Platform",
        "Cloud Hosting", "Endpoint", "Integration Hub", "Cyber Security",
    ),
    "Customer Services": (
        "Contact Centre", "CRM", "Customer Portal", "Complaints Handling", "Live Chat",
        "Knowledge Base", "Telephony", "Customer Feedback", "Self-Service",
    ),
    "People & Culture": (
        "HR System", "Payroll", "Learning Platform", "Recruitment", "Onboarding",
        "Performance Management", "Employee Wellbeing", "Workforce Planning", "Intranet",
    ),
    "Sales & Marketing": (
        "Website", "Marketing Automation", "Pricing Engine", "Loyalty Scheme", "E-commerce",
        "Brand", "Sales Pipeline", "Partner Portal", "Campaign Analytics",
    ),
}  # fmt: skip
ACTIONS = (
    "Upgrade", "Replacement", "Automation", "Migration", "Redesign", "Consolidation",
    "Rollout", "Optimisation", "Modernisation", "Integration",
)  # fmt: skip
PORTFOLIOS = ("Transformation", "Regulatory & Compliance", "Run Better", "Digital Growth")
PROGRAMMES: dict[str, tuple[str, ...]] = {
    "Finance": ("Finance Systems Modernisation", "Controls Uplift"),
    "Operations": ("Operational Excellence", "Net Zero Operations"),
    "Technology": ("Cloud First", "Secure by Design"),
    "Customer Services": ("Customer 360", "Digital Front Door"),
    "People & Culture": ("Future of Work",),
    "Sales & Marketing": ("Growth Engine", "Digital Front Door"),
}
MILESTONES = (
    "Business case approved",
    "Requirements signed off",
    "Design complete",
    "Build complete",
    "User acceptance testing complete",
    "Go-live",
    "Benefits review",
)
SYSTEMS = ("SAP", "Salesforce", "Workday", "ServiceNow", "Dynamics 365", "the data warehouse")
SUPPLIERS = ("Northwind", "Fabrikam", "Litware", "Adventure Works", "Tailspin", "Wide World")
RAID_TITLES: dict[str, tuple[str, ...]] = {
    "Risk": (
        "{supplier} may not deliver the {system} interface on time",
        "Key SME availability during UAT",
        "Data quality in {system} may delay migration",
        "Licence costs could rise at renewal",
        "Scope creep from additional reporting requests",
        "Loss of knowledge if contractor leaves",
        "Regulatory change may alter requirements",
        "Performance of {system} under peak load",
    ),
    "Issue": (
        "{system} test environment unavailable",
        "{supplier} resource withdrawn at short notice",
        "Defect backlog above agreed threshold",
        "Integration failures with {system}",
        "Budget overspend on external resources",
        "Sign-off delayed by change board",
    ),
    "Assumption": (
        "Business will release SMEs for UAT",
        "{system} licences are covered by the enterprise agreement",
        "No change freeze during build",
        "Existing data model can be reused",
    ),
    "Dependency": (
        "Needs {other} to deliver the shared API",
        "Waiting on {supplier} contract signature",
        "Requires network upgrade from {other}",
        "Depends on {system} release 24.2",
    ),
}
GREEN_SUMMARIES = (
    "On track. Sprint {n} completed and the demo was well received.",
    "Progressing to plan; design sign-off achieved, build under way.",
    "All workstreams green, supplier onboarding complete, no new risks.",
    "Delivery on plan. Test cycle {n} passed with no critical defects.",
    "Good progress this period: data migration rehearsal {n} successful.",
)
# Amber and Red summaries by the dimension that drives the overall RAG.
PROBLEM_SUMMARIES: dict[str, tuple[str, ...]] = {
    "Schedule": (
        "Minor slippage on data migration, recovery plan agreed with sponsor.",
        "Supplier delivery late by two weeks, critical path under pressure.",
        "Key milestone missed; re-plan to be presented at the next steering group.",
        "Critical path at risk: vendor delivery late, go-live date under review.",
    ),
    "Cost": (
        "Costs trending above plan, savings options being reviewed.",
        "Costs exceeding plan, change request for additional budget raised.",
        "Day-rate contractors extended, forecast overspend reported to sponsor.",
    ),
    "Scope": (
        "Scope questions from the business, change request {n} in review.",
        "New reporting requirements raised, impact on scope and timeline being assessed.",
    ),
    "Resources": (
        "Resourcing gap in testing; backfill requested, impact on UAT being assessed.",
        "Lead developer moved to a priority incident, cover arranged for {n} days.",
    ),
}
HOLD_SUMMARY = "Project paused pending a funding decision, team released to other work."
NEXT_STEPS = (
    "Complete UAT cycle {n}",
    "Steering group review, then go/no-go",
    "Finalise test strategy and environments",
    "Agree change request with sponsor",
    "Start data migration rehearsal {n}",
    "Recruit backfill for the testing team",
    "Close out supplier actions, update RAID log",
)
EXTRA_POINTS = (
    "supplier contract signed",
    "training plan drafted",
    "UAT scripts 80% written",
    "cut-over plan in review",
    "two open defects, both minor",
)
REQUEST_TITLES = (
    "Automate supplier onboarding", "Replace legacy payroll engine", "Customer churn prediction",
    "Warehouse robotics pilot", "Single sign-on for partners", "Digital expense claims",
    "IFRS 17 reporting changes", "Contact centre speech analytics", "Fleet electrification study",
    "Self-service password reset", "Marketing consent management", "Data retention clean-up",
    "Board reporting pack automation", "Field engineer mobile app", "Employee wellbeing portal",
    "E-invoicing mandate compliance", "Cloud cost optimisation", "Pricing experimentation tool",
    "Knowledge base chatbot", "Accessibility remediation of website", "Succession planning module",
    "Inventory demand forecasting", "Cyber incident response retainer",
    "Complaints root-cause analytics",
    "Open banking payments", "Office move to hybrid hub", "Loyalty app refresh",
    "Procurement spend analytics", "Learning paths for managers", "Data catalogue rollout",
    "Real-time depot dashboards", "Contract lifecycle management", "Sales territory redesign",
    "Customer identity verification", "Legacy file share migration", "Carbon reporting (SECR)",
    "Recruitment chatbot", "Network refresh for depots", "Partner commission automation",
    "Payment card PCI DSS v4 uplift",
)  # fmt: skip
MANDATORY_TITLES = {
    "IFRS 17 reporting changes",
    "E-invoicing mandate compliance",
    "Accessibility remediation of website",
    "Carbon reporting (SECR)",
    "Payment card PCI DSS v4 uplift",
}
REQUEST_STATUSES = (
    ("Submitted",) * 10
    + ("Under Review",) * 12
    + ("Approved",) * 8
    + ("Rejected",) * 5
    + ("Deferred",) * 5
)
