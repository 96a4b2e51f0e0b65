"""The PMO's Excel templates: one workbook per canonical table, and how a filled one is recognised.

A template is built from the PMO's standards and the current data (the lists its drop-downs
offer) by :func:`build_template`, a pure function of its arguments: no clock, no files, no
database. It carries a hidden sheet, :data:`MARKER_SHEET`, naming its kind and version; the
loader reads that sheet (:func:`find_marker`) and loads the data sheet into that kind with
certainty instead of guessing from the headers (``docs/templates.md``, "The hidden sheet").
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from loaders.kinds import BOOL, DATE, HOURS, ID, INT, MONEY, NUMBER, PERCENT, RAG, SCORE, TABLES

if TYPE_CHECKING:
    from loaders.read import RawFile
    from loaders.validate import Options, SheetResult

MARKER_SHEET = "_pmo_template"
LISTS_SHEET = "_pmo_lists"
MARKER_REASON = "PMO Lens template marker"
LISTS_REASON = "PMO Lens template lists (the drop-down values)"

#: Every template version ever issued, oldest first, with what changed. Bump the version when a
#: template's columns, lists or layout change, and add a line here; files made from any version
#: listed still load (the marker gives the kind, the headers map as always) and the Data &
#: compliance page lists projects whose latest status report came from an older one
#: (``docs/templates.md``, "Versions").
VERSIONS: dict[int, str] = {
    1: "First issue: canonical headers with input hints as cell comments, required columns "
    "marked, drop-down lists on a hidden lists sheet, date and number formats.",
}
CURRENT_VERSION = max(VERSIONS)

#: The templates offered, in the order the page and the docs list them.
TITLES: dict[str, str] = {
    "projects": "Project register",
    "status_reports": "Status report",
    "milestones": "Milestones",
    "raid": "RAID log",
    "requests": "Intake request",
    "resources": "People",
    "allocations": "Resource plan",
}
TEMPLATE_KINDS: tuple[str, ...] = tuple(TITLES)
PLAN_MONTHS = 12
#: Rows below the header that carry the drop-downs (Excel applies the column formats to all).
INPUT_ROWS = 1000

RAG_WORDS = ("Green", "Amber", "Red")
RAID_TYPES = ("risk", "issue", "assumption", "dependency", "decision")
SEVERITIES = ("low", "medium", "high", "critical")
RAID_STATUSES = ("open", "closed")
REQUEST_STATUSES = ("submitted", "under_review", "approved", "rejected", "deferred")
YES_NO = ("yes", "no")

_LABELS = {
    "project_id": "Project ID",
    "raid_id": "RAID ID",
    "request_id": "Request ID",
    "resource_id": "Resource ID",
    "overall_rag": "Overall RAG",
    "schedule_rag": "Schedule RAG",
    "cost_rag": "Cost RAG",
    "scope_rag": "Scope RAG",
    "resource_rag": "Resource RAG",
    "reported_rag": "RAG status",
    "raid_type": "Type",
    "fte": "FTE",
}
_HINTS = {
    "project_id": "The project's id in the register, e.g. PRJ-001.",
    "report_date": "The date the report describes (one report per project and date).",
    "overall_rag": "Green, Amber or Red.",
    "summary": "What happened since the last report.",
    "next_steps": "What happens next, and any help needed.",
    "reported_by": "Your name.",
    "milestone": "The milestone's name, as in earlier reports (it is the key).",
    "raid_id": "A unique id, e.g. R-001.",
    "probability": "Chance it happens, e.g. 40%.",
    "impact": "Impact score, e.g. 1 (low) to 5 (high).",
    "fte": "Full-time equivalent: 1 = full time, 0.5 = half time.",
    "cost_rate": "Cost per day.",
    "mandatory": "yes for a legal or regulatory obligation.",
    "reach": "People or customers affected.",
    "effort_person_months": "Estimated effort in person-months.",
    "duration_months": "Expected duration in whole months.",
    "role": "The role needed, when no person is named yet.",
}
_TYPE_HINTS = {
    DATE: "A date (yyyy-mm-dd).",
    MONEY: "An amount in {currency}.",
    PERCENT: "A percentage, e.g. 45%.",
    SCORE: "A score from 1 (low) to 5 (high).",
    INT: "A whole number.",
    NUMBER: "A number.",
    HOURS: "Hours.",
    RAG: "Green, Amber or Red.",
    BOOL: "yes or no.",
}
_FORMATS = {
    DATE: "yyyy-mm-dd",
    MONEY: "#,##0.00",
    PERCENT: "0%",
    SCORE: "0",
    INT: "0",
    NUMBER: "#,##0.##",
    HOURS: "#,##0.##",
    ID: "@",
}
_REQUIRED_FILL = PatternFill("solid", fgColor="1F4E79")
_OPTIONAL_FILL = PatternFill("solid", fgColor="D9E1F2")


@dataclass(frozen=True)
class TemplateLists:
    """The values the drop-downs offer: the PMO's vocabulary and the register's current values.

    Attributes:
        divisions: Divisions of the register and the intake.
        portfolios: Portfolios of the register.
        stages: Stages of the register, plus the closed stages of the standards.
        project_ids: Ids of the register's projects.
        request_ids: Ids of the intake's requests.
        resource_ids: Ids of the people.
        currency: The currency money columns are held in (for the hints).
    """

    divisions: tuple[str, ...] = ()
    portfolios: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    project_ids: tuple[str, ...] = ()
    request_ids: tuple[str, ...] = ()
    resource_ids: tuple[str, ...] = ()
    currency: str = "GBP"

    @classmethod
    def from_values(
        cls,
        *,
        divisions: Iterable = (),
        portfolios: Iterable = (),
        stages: Iterable = (),
        closed_stages: Iterable[str] = (),
        project_ids: Iterable = (),
        request_ids: Iterable = (),
        resource_ids: Iterable = (),
        currency: str = "GBP",
    ) -> TemplateLists:
        """Distinct, sorted, non-blank values; closed stages added unless already there."""
        stage_list = list(_distinct(stages))
        known = {s.casefold() for s in stage_list}
        stage_list += [s for s in _distinct(closed_stages) if s.casefold() not in known]
        return cls(
            divisions=_distinct(divisions),
            portfolios=_distinct(portfolios),
            stages=tuple(stage_list),
            project_ids=_distinct(project_ids),
            request_ids=_distinct(request_ids),
            resource_ids=_distinct(resource_ids),
            currency=currency,
        )


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template's data sheet."""

    header: str
    column: str
    value_type: str
    required: bool
    hint: str
    choices: str | None = None  # name of a list on the lists sheet


@dataclass(frozen=True)
class Marker:
    """What a template's hidden sheet says: the kind, the version, the data sheet's name."""

    kind: str
    version: int
    data_sheet: str

    @property
    def label(self) -> str:
        """``PMO Lens template status_reports v1`` (the sheet message)."""
        return f"PMO Lens template {self.kind} v{self.version}"


def template_columns(kind: str, lists: TemplateLists, today: date) -> list[TemplateColumn]:
    """The columns of ``kind``'s template, in order, with hints and drop-down lists.

    The resource plan is wide: who (project or request, person or role), then one FTE column
    per month from ``today``'s month for :data:`PLAN_MONTHS` months.

    Raises:
        ValueError: ``kind`` is not a template kind.
    """
    if kind not in TITLES:
        raise ValueError(f"no template for {kind!r}: choose one of {', '.join(TEMPLATE_KINDS)}")
    spec = TABLES[kind]
    names = list(spec.columns)
    if kind == "allocations":
        names = ["project_id", "request_id", "resource_id", "role"]
    either = {c for group in spec.one_of for c in group}
    columns = []
    for name in names:
        value_type = spec.columns[name]
        hint = _HINTS.get(name) or _TYPE_HINTS.get(value_type, "Text.")
        if name in either:
            group = next(g for g in spec.one_of if name in g)
            hint += " Fill one of " + " or ".join(_label(c) for c in group) + "."
        columns.append(
            TemplateColumn(
                header=_label(name),
                column=name,
                value_type=value_type,
                required=name in spec.required,
                hint=hint.format(currency=lists.currency),
                choices=_choices(kind, name, value_type),
            )
        )
    if kind == "allocations":
        first = date(today.year, today.month, 1)
        for offset in range(PLAN_MONTHS):
            year, month = divmod(first.month - 1 + offset, 12)
            start = date(first.year + year, month + 1, 1)
            columns.append(
                TemplateColumn(
                    header=f"{start:%Y-%m}",
                    column="fte",
                    value_type=NUMBER,
                    required=False,
                    hint=f"FTE planned in {start:%B %Y}: 1 = full time, 0.5 = half time.",
                )
            )
    return columns


def build_template(
    kind: str, lists: TemplateLists, today: date, *, version: int = CURRENT_VERSION
) -> bytes:
    """The .xlsx bytes of ``kind``'s template.

    Args:
        kind: A canonical table of :data:`TEMPLATE_KINDS`.
        lists: Drop-down values (the standards and the current data).
        today: The day the template is made (the resource plan's first month; the marker).
        version: The template version written in the marker (tests build older ones).

    Raises:
        ValueError: ``kind`` is not a template kind, or ``version`` was never issued.
    """
    if version not in VERSIONS:
        raise ValueError(f"template version {version} was never issued")
    columns = template_columns(kind, lists, today)
    # The loader's own limits (FTE 0-1 for a person, impact 1-5...), so Excel warns on entry
    # about what the load would reject. Imported here: the row rules import the reader, which
    # imports this module's marker names.
    from loaders.row_rules import RANGES

    ranges = {column: (low, high) for column, low, high, _ in RANGES.get(kind, ())}
    book = Workbook()
    sheet = book.active
    sheet.title = TITLES[kind]
    named = _write_lists(book, lists, {c.choices for c in columns if c.choices})
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF" if column.required else "000000")
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        note = ("Required. " if column.required else "") + column.hint
        cell.comment = Comment(note, "PMO Lens", width=260, height=90)
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = max(12, len(column.header) + 4)
        if column.value_type in _FORMATS:
            sheet.column_dimensions[letter].number_format = _FORMATS[column.value_type]
        if column.column == "fte" and kind == "allocations":
            sheet.column_dimensions[letter].number_format = "0.0#"
        rule = _validation(column, named, ranges.get(column.column))
        if rule is not None:
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{INPUT_ROWS + 1}")
    sheet.freeze_panes = "A2"
    _write_marker(book, Marker(kind, version, sheet.title), today)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_filename(kind: str, today: date) -> str:
    """``pmo-template-status-reports-v1-2026-12-02.xlsx``."""
    stem = kind.replace("_", "-")
    return f"pmo-template-{stem}-v{CURRENT_VERSION}-{today.isoformat()}.xlsx"


def find_marker(raw: RawFile) -> Marker | None:
    """The marker of a workbook made from a template, or None for any other file.

    The marker sheet is read even when hidden (:mod:`loaders.read` keeps its cells); a marker
    naming an unknown kind, no version or a missing data sheet is not a marker.
    """
    sheet = next((s for s in raw.sheets if s.name == MARKER_SHEET), None)
    if sheet is None or not len(sheet.grid) or sheet.grid.shape[1] < 2:
        return None
    pairs = {
        str(k).strip().lower(): str(v).strip()
        for k, v in zip(sheet.grid[0], sheet.grid[1], strict=True)
        if isinstance(k, str) and isinstance(v, str)
    }
    kind = pairs.get("kind", "")
    try:
        version = int(float(pairs.get("version", "")))
    except ValueError:
        return None
    names = {s.name for s in raw.sheets}
    data_sheet = pairs.get("data_sheet", "")
    if kind not in TITLES or version < 1 or data_sheet not in names:
        return None
    return Marker(kind, version, data_sheet)


def sheet_options(options: Options, marker: Marker | None, sheet_name: str | None) -> Options:
    """The options for one sheet: the data sheet of a template loads into the marker's kind."""
    if marker is None or sheet_name != marker.data_sheet:
        return options
    return replace(options, kind=marker.kind)


def mark_results(sheets: list[SheetResult], marker: Marker | None) -> str | None:
    """Label the sheets of a template: the data sheet says which template and version it is.

    Returns:
        The note for the file's message (``PMO Lens template raid v1``), or None when the file
        is not a template.
    """
    if marker is None:
        return None
    note = None
    for sheet in sheets:
        if sheet.sheet == marker.data_sheet and sheet.kind:
            note = version_note(marker)
            sheet.template_version = marker.version
            sheet.message = "; ".join(filter(None, [note, sheet.message]))
        elif sheet.sheet == LISTS_SHEET and not sheet.kind:
            sheet.message = LISTS_REASON
    return note


def version_note(marker: Marker) -> str:
    """The sheet message's first part: which template, and whether it is the current one."""
    if marker.version < CURRENT_VERSION:
        return f"{marker.label} (outdated: the current template is v{CURRENT_VERSION})"
    if marker.version > CURRENT_VERSION:
        return f"{marker.label} (newer than this PMO Lens knows, v{CURRENT_VERSION})"
    return marker.label


# --------------------------------------------------------------------------------------------
def _label(column: str) -> str:
    return _LABELS.get(column, column.replace("_", " ").capitalize())


def _choices(kind: str, column: str, value_type: str) -> str | None:
    if value_type == RAG:
        return "rag"
    if value_type == BOOL:
        return "yes_no"
    if column == "project_id" and kind != "projects":
        return "project_ids"
    if column == "request_id" and kind == "allocations":
        return "request_ids"
    if column == "resource_id" and kind == "allocations":
        return "resource_ids"
    if column in ("division", "portfolio", "stage"):
        return {"division": "divisions", "portfolio": "portfolios", "stage": "stages"}[column]
    if kind == "raid":
        return {"raid_type": "raid_types", "severity": "severities", "status": "raid_statuses"}.get(
            column
        )
    if kind == "requests" and column == "status":
        return "request_statuses"
    return None


#: Lists whose values are the PMO's fixed vocabulary: anything else is refused on entry.
_FIXED = {
    "rag": RAG_WORDS,
    "yes_no": YES_NO,
    "raid_types": RAID_TYPES,
    "severities": SEVERITIES,
    "raid_statuses": RAID_STATUSES,
    "request_statuses": REQUEST_STATUSES,
}


def _list_values(name: str, lists: TemplateLists) -> tuple[str, ...]:
    return _FIXED.get(name) or getattr(lists, name)


def _write_lists(book: Workbook, lists: TemplateLists, wanted: set[str]) -> dict[str, str]:
    """Write each wanted, non-empty list as a column of the hidden lists sheet.

    Lists live on a sheet, not inline in the validation, because Excel caps an inline list at
    255 characters (a register's project ids pass that quickly).

    Returns:
        List name -> absolute range (``'_pmo_lists'!$A$2:$A$9``).
    """
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges = {}
    for number, name in enumerate(sorted(wanted), start=1):
        values = _list_values(name, lists)
        letter = get_column_letter(number)
        sheet.cell(row=1, column=number, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=number, value=value).number_format = "@"
        if values:
            where = f"${letter}$2:${letter}${len(values) + 1}"
            ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!{where}"
    return ranges


def _validation(
    column: TemplateColumn, ranges: dict[str, str], limits: tuple[float, float] | None
) -> DataValidation | None:
    """A drop-down for a listed column; a range check for scores and numbers."""
    if column.choices and column.choices in ranges:
        fixed = column.choices in _FIXED
        return DataValidation(
            type="list",
            formula1=ranges[column.choices],
            allow_blank=True,
            showErrorMessage=True,
            # Register values (divisions, project ids) may be new: warn, let the user go on.
            errorStyle="stop" if fixed else "warning",
            errorTitle=column.header,
            error=("Choose a value from the list." if fixed else "Not in the current data."),
        )
    if column.value_type == SCORE:
        return DataValidation(
            type="whole",
            operator="between",
            formula1="1",
            formula2="5",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.header,
            error="A score from 1 to 5.",
        )
    if column.value_type in (MONEY, NUMBER, HOURS, PERCENT, INT):
        low, high = limits or (0, None)
        if high is not None and high >= 1e6:  # a sanity cap (1e12 money), not a rule to show
            high = None
        if column.value_type == PERCENT:
            low, high = 0, 1
        return DataValidation(
            type="decimal",
            operator="greaterThanOrEqual" if high is None else "between",
            formula1=_number(low),
            formula2=None if high is None else _number(high),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=column.header,
            error=f"A number from {_number(low)} to {_number(high)}."
            if high is not None
            else f"A number, {_number(low)} or more.",
        )
    return None


def _write_marker(book: Workbook, marker: Marker, today: date) -> None:
    sheet = book.create_sheet(MARKER_SHEET)
    sheet.sheet_state = "hidden"
    rows = [
        ("template", "PMO Lens"),
        ("kind", marker.kind),
        ("version", marker.version),
        ("data_sheet", marker.data_sheet),
        ("generated", today.isoformat()),
        ("note", "PMO Lens reads this sheet to recognise the template: keep it as it is."),
    ]
    for row in rows:
        sheet.append(row)


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


def _distinct(values: Iterable) -> tuple[str, ...]:
    seen = {str(v).strip() for v in values if isinstance(v, str) and str(v).strip()}
    return tuple(sorted(seen, key=str.casefold))
