"""The column headers and value formats of each demo export, and the divisions' own quirks.

Operations writes RAG as ``G/A/R`` and percentages as ``45%``; Finance saves "CSV UTF-8" from
Excel (BOM, CRLF) with ``dd/mm/yyyy`` dates and ``"1,250,000"`` money.
"""

from __future__ import annotations

SLUGS: dict[str, str] = {
    "Finance": "finance",
    "Operations": "operations",
    "Technology": "technology",
    "Customer Services": "customer-services",
    "People & Culture": "people-culture",
    "Sales & Marketing": "sales-marketing",
}
GAR_DIVISION = "Operations"  # writes G/A/R and "45%"
DMY_DIVISION = "Finance"  # Excel "CSV UTF-8": BOM, CRLF, dd/mm/yyyy, "1,250,000"

REGISTER_HEADER: tuple[str, ...] = (
    "Project ID",
    "Project Name",
    "Division",
    "Portfolio",
    "Programme",
    "Sponsor",
    "Project Manager",
    "Stage",
    "Start Date",
    "Baseline Finish",
    "Forecast Finish",
    "Actual Finish",
    "Budget (£)",
    "Actual Cost (£)",
    "EAC (£)",
    "% Complete",
    "Strategic Alignment (1-5)",
    "RAG Status",
)
STATUS_HEADER: tuple[str, ...] = (
    "Project Code",
    "Report Date",
    "Overall RAG",
    "Schedule",
    "Cost",
    "Scope",
    "Resources",
    "% Complete",
    "Actual Cost",
    "Forecast Finish",
    "EAC",
    "Summary",
    "Next Steps",
    "Reported By",
)
MILESTONE_HEADER = ("Project ID", "Milestone", "Baseline Date", "Forecast Date", "Actual Date")
RAID_HEADER = (
    "ID",
    "Project",
    "Type",
    "Title",
    "Probability",
    "Impact",
    "Severity",
    "Status",
    "Owner",
    "Date Raised",
    "Due Date",
)
REQUEST_HEADER = (
    "Request ID",
    "Title",
    "Division",
    "Sponsor",
    "Submitted",
    "Status",
    "Estimated Cost",
    "Expected Annual Benefit",
    "Strategic Alignment (1-5)",
    "Urgency (1-5)",
    "Delivery Risk (1-5)",
    "Reach",
    "Confidence",
    "Effort (person-months)",
    "Duration (months)",
    "Mandatory?",
    "Target Start",
    "Business Case",
)
PEOPLE_HEADER = (
    "Employee ID",
    "Name",
    "Role",
    "Team",
    "Division",
    "FTE",
    "Day Rate",
    "Start Date",
    "End Date",
)

DATE_FMT = "dd/mm/yyyy"
MONEY_FMT = "#,##0"
