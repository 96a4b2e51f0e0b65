"""The canonical tables a source sheet can load into: columns, value types, keys, required fields.

One declaration drives coercion, validation, history merging and the DDL check, so a column is
added in exactly one place (and in schema.sql, which a test compares against this module).
"""

from __future__ import annotations

from dataclasses import dataclass

# Value types understood by loaders.coerce (see validate.COERCERS).
ID, TEXT, DATE, MONEY, NUMBER, PERCENT, RAG, BOOL, SCORE, HOURS, INT = (
    "id",
    "text",
    "date",
    "money",
    "number",
    "percent",
    "rag",
    "bool",
    "score_1_5",
    "duration_hours",
    "int",
)
MONTH = "month"  # a month, stored as its first day (loaders.months)

PROVENANCE = ("load_id", "source_file", "source_sheet", "source_row")
HISTORY = ("valid_from", "valid_to", "row_hash")


@dataclass(frozen=True)
class TableSpec:
    """What one canonical table holds.

    Attributes:
        name: Table name in DuckDB.
        columns: Business columns in order, mapped to their value type.
        key: Natural key; a reload of a key with changed values starts a new history version.
        required: Columns that must be non-empty for a row to load.
        one_of: Groups of columns of which at least one must be non-empty (e.g. fte or hours).
        refers_to_project: Whether ``project_id`` points at the register (orphans are flagged).
    """

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    required: tuple[str, ...]
    one_of: tuple[tuple[str, ...], ...] = ()
    refers_to_project: bool = False

    @property
    def business_columns(self) -> list[str]:
        """Columns that describe the record (everything but provenance and history)."""
        return list(self.columns)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "projects",
            {
                "project_id": ID,
                "name": TEXT,
                "division": TEXT,
                "portfolio": TEXT,
                "programme": TEXT,
                "sponsor": TEXT,
                "project_manager": TEXT,
                "stage": TEXT,
                "start_date": DATE,
                "baseline_finish": DATE,
                "forecast_finish": DATE,
                "actual_finish": DATE,
                "budget": MONEY,
                "actual_cost": MONEY,
                "forecast_cost": MONEY,
                "percent_complete": PERCENT,
                "strategic_alignment": SCORE,
                "reported_rag": RAG,
            },
            key=("project_id",),
            required=("project_id", "name", "division"),
        ),
        TableSpec(
            "status_reports",
            {
                "project_id": ID,
                "report_date": DATE,
                "overall_rag": RAG,
                "schedule_rag": RAG,
                "cost_rag": RAG,
                "scope_rag": RAG,
                "resource_rag": RAG,
                "percent_complete": PERCENT,
                "actual_cost": MONEY,
                "forecast_finish": DATE,
                "forecast_cost": MONEY,
                "summary": TEXT,
                "next_steps": TEXT,
                "reported_by": TEXT,
            },
            key=("project_id", "report_date"),
            required=("project_id", "report_date", "overall_rag"),
            refers_to_project=True,
        ),
        TableSpec(
            "milestones",
            {
                "project_id": ID,
                "milestone": TEXT,
                "baseline_date": DATE,
                "forecast_date": DATE,
                "actual_date": DATE,
            },
            key=("project_id", "milestone"),
            required=("project_id", "milestone", "baseline_date"),
            refers_to_project=True,
        ),
        TableSpec(
            "work_items",
            {
                "project_id": ID,
                "item_id": ID,
                "name": TEXT,
                "parent": TEXT,
                "item_type": TEXT,
                "status": TEXT,
                "status_category": TEXT,
                "assignee": TEXT,
                "start_date": DATE,
                "finish_date": DATE,
                "baseline_start": DATE,
                "baseline_finish": DATE,
                "percent_complete": PERCENT,
                "is_milestone": BOOL,
                "estimate_hours": HOURS,
                "spent_hours": HOURS,
                "sprints": TEXT,
            },
            key=("project_id", "item_id"),
            required=("project_id", "item_id", "name"),
            refers_to_project=True,
        ),
        TableSpec(
            "raid",
            {
                "raid_id": ID,
                "project_id": ID,
                "raid_type": TEXT,
                "title": TEXT,
                "probability": PERCENT,
                "impact": NUMBER,
                "severity": TEXT,
                "status": TEXT,
                "owner": TEXT,
                "raised_date": DATE,
                "due_date": DATE,
            },
            key=("raid_id",),
            required=("raid_id", "project_id", "raid_type"),
            refers_to_project=True,
        ),
        TableSpec(
            "requests",
            {
                "request_id": ID,
                "title": TEXT,
                "division": TEXT,
                "sponsor": TEXT,
                "submitted_date": DATE,
                "status": TEXT,
                "estimated_cost": MONEY,
                "expected_benefit": MONEY,
                "strategic_alignment": SCORE,
                "urgency": SCORE,
                "risk": SCORE,
                "reach": NUMBER,
                "confidence": PERCENT,
                "effort_person_months": NUMBER,
                "duration_months": INT,
                "mandatory": BOOL,
                "target_start": DATE,
                "business_case": TEXT,
            },
            key=("request_id",),
            required=("request_id", "title", "division"),
        ),
        TableSpec(
            "resources",
            {
                "resource_id": ID,
                "name": TEXT,
                "role": TEXT,
                "team": TEXT,
                "division": TEXT,
                "fte": NUMBER,
                "cost_rate": MONEY,
                "start_date": DATE,
                "end_date": DATE,
            },
            key=("resource_id",),
            required=("resource_id", "role"),
        ),
        TableSpec(
            "allocations",
            {
                "project_id": ID,
                "request_id": ID,
                "resource_id": ID,
                "role": TEXT,
                "month": MONTH,
                "fte": NUMBER,
                "hours": HOURS,
            },
            key=("project_id", "request_id", "resource_id", "role", "month"),
            required=("month",),
            one_of=(("project_id", "request_id"), ("resource_id", "role"), ("fte", "hours")),
            refers_to_project=True,
        ),
        TableSpec(
            "timesheets",
            {"resource_id": ID, "project_id": ID, "work_date": DATE, "hours": HOURS},
            key=("resource_id", "project_id", "work_date"),
            required=("resource_id", "project_id", "work_date", "hours"),
            refers_to_project=True,
        ),
    )
}

KINDS: tuple[str, ...] = tuple(TABLES)
#: ``--kind`` values that load a RAID sheet of one type (a log with no ``Type`` column).
RAID_KINDS: dict[str, str] = {
    "risks": "risk",
    "issues": "issue",
    "assumptions": "assumption",
    "dependencies": "dependency",
    "decisions": "decision",
    "impediments": "issue",
}
KIND_CHOICES: tuple[str, ...] = (*KINDS, *RAID_KINDS)
