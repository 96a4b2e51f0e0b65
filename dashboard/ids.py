"""Every component id, defined once: ``"<page>-<thing>-<kind>"`` strings, one class per page."""

from __future__ import annotations


class AppIds:
    """The app shell."""

    URL = "app-url"
    NAVBAR = "app-navbar"
    FOOTER = "app-footer"
    FOOTER_VERSION = "app-footer-version"
    NAV_LINK = "app-nav-link"  # pattern-matching: {"type": NAV_LINK, "index": page path}
    NAV_TOGGLER = "app-navbar-toggler"
    NAV_COLLAPSE = "app-navbar-collapse"


class PortfolioIds:
    """Portfolio overview (``/``)."""

    KPI_ROW = "portfolio-kpi-row"
    DIVISION_CHART = "portfolio-division-chart"
    BUBBLE_CHART = "portfolio-value-risk-chart"
    WATERMELON_GRID = "portfolio-watermelon-grid"
    GRID = "portfolio-projects-grid"
    COUNT = "portfolio-project-count"
    EXPORT_CSV = "portfolio-export-csv-button"
    EXPORT_XLSX = "portfolio-export-xlsx-button"
    DOWNLOAD = "portfolio-projects-download"
    EMPTY = "portfolio-empty-state"


class FilterIds:
    """The global filter bar (shared by every page that filters projects; kept in the URL)."""

    DIVISION = "filter-division-dropdown"
    PORTFOLIO = "filter-portfolio-dropdown"
    STAGE = "filter-stage-dropdown"
    MANAGER = "filter-manager-dropdown"
    HEALTH = "filter-health-dropdown"
    AS_OF = "filter-as-of-date"
    TODAY = "filter-today-store"
    RESET = "filter-reset-button"
    TOGGLE = "filter-toggle-button"
    COLLAPSE = "filter-fields-collapse"
    SUMMARY = "filter-summary-text"


class CapacityIds:
    """Capacity (``/capacity``): utilisation heatmap, demand vs supply, over-allocation, impact."""

    SUMMARY = "capacity-filter-summary-text"
    KPI_ROW = "capacity-kpi-row"
    PIPELINE = "capacity-pipeline-switch"
    HORIZON = "capacity-horizon-radio"
    HEATMAP = "capacity-utilisation-heatmap"
    DEMAND_CHART = "capacity-demand-supply-chart"
    PEOPLE_GRID = "capacity-over-allocated-grid"
    REQUEST = "capacity-request-dropdown"
    IMPACT = "capacity-impact-panel"
    IMPACT_CHART = "capacity-impact-chart"
    IMPACT_GRID = "capacity-impact-grid"
    EARLIEST_START = "capacity-earliest-start-text"
    EXPORT_ROLES_CSV = "capacity-roles-export-csv-button"
    EXPORT_ROLES_XLSX = "capacity-roles-export-xlsx-button"
    EXPORT_PEOPLE_CSV = "capacity-people-export-csv-button"
    EXPORT_PEOPLE_XLSX = "capacity-people-export-xlsx-button"
    DOWNLOAD = "capacity-table-download"


class IntakeIds:
    """Intake & prioritisation (``/intake``): ranking, weights, methods, selection, exports."""

    SUMMARY = "intake-filter-summary-text"
    WEIGHT_SLIDER = "intake-weight-slider"  # pattern-matching: {"type": ..., "index": criterion}
    RESET = "intake-weights-reset-button"
    METHOD = "intake-method-radio"
    WEIGHT_NOTICE = "intake-weights-notice"
    TOP = "intake-top-request-text"
    MOVES = "intake-rank-moves-text"
    INCOMPLETE = "intake-incomplete-badge"
    GRID = "intake-ranking-grid"
    BREAKDOWN = "intake-score-breakdown-chart"
    EXPORT_CSV = "intake-export-csv-button"
    EXPORT_XLSX = "intake-export-xlsx-button"
    DOWNLOAD = "intake-ranking-download"
    BUDGET = "intake-budget-input"
    CAPACITY = "intake-capacity-switch"
    FORCE_IN = "intake-force-in-dropdown"
    FORCE_OUT = "intake-force-out-dropdown"
    SELECTION_MESSAGE = "intake-selection-message"
    FRONTIER = "intake-frontier-chart"
    SELECTION_GRID = "intake-selection-grid"
    DECIDED = "intake-include-decided-switch"
    SCENARIO = "intake-scenario-query-store"  # the scenario's URL query, from the server
    SCENARIO_WRITTEN = "intake-scenario-written-store"  # output of the history.replaceState call


class ProjectIds:
    """One project (``/project/<project_id>``): facts, health, history, milestones, RAID."""

    CONTEXT = "project-context-store"
    REPORT_LINK = "project-report-link"
    HEADER = "project-header-card"
    NAME = "project-name-heading"
    KPI_ROW = "project-kpi-row"
    HEALTH_TABLE = "project-health-table"
    CLOSED_NOTICE = "project-closed-alert"
    NARRATIVE = "project-narrative-card"
    HISTORY_CHART = "project-rag-history-chart"
    EVM_CHART = "project-evm-chart"
    MILESTONE_CHART = "project-milestone-chart"
    MILESTONE_GRID = "project-milestones-grid"
    MILESTONE_EXPORT_CSV = "project-milestones-export-csv-button"
    MILESTONE_EXPORT_XLSX = "project-milestones-export-xlsx-button"
    MILESTONE_DOWNLOAD = "project-milestones-download"
    RAID_GRID = "project-raid-grid"
    RAID_EXPORT_CSV = "project-raid-export-csv-button"
    RAID_EXPORT_XLSX = "project-raid-export-xlsx-button"
    RAID_DOWNLOAD = "project-raid-download"
    NOT_FOUND = "project-not-found-alert"
    BACK = "project-back-link"


class GlossaryIds:
    """Glossary (``/glossary``): definitions in words and every standard from pmo.toml."""

    DEFINITIONS = "glossary-definitions-list"
    STANDARDS = "glossary-standards-container"
    SOURCE = "glossary-source-text"

    @staticmethod
    def section(name: str) -> str:
        """The id of one pmo.toml section's table, e.g. ``glossary-scoring-weights-table``."""
        return f"glossary-{name.replace('.', '-').replace('_', '-')}-table"


class DataQualityIds:
    """Data & compliance (``/data``)."""

    TITLE = "data-quality-title-heading"
    KPI_ROW = "data-quality-kpi-row"
    LOADS_GRID = "data-quality-loads-grid"
    REJECTED_FILE = "data-quality-rejected-file-dropdown"
    REJECTED_RULE = "data-quality-rejected-rule-dropdown"
    REJECTED_COUNT = "data-quality-rejected-count"
    REJECTED_GRID = "data-quality-rejected-grid"
    REJECTED_EXPORT_CSV = "data-quality-rejected-export-csv-button"
    REJECTED_EXPORT_XLSX = "data-quality-rejected-export-xlsx-button"
    REJECTED_DOWNLOAD = "data-quality-rejected-download"
    ORPHANS = "data-quality-orphans-grid"
    MILESTONE_FINDINGS = "data-quality-milestone-findings-grid"
    FRESHNESS_CHART = "data-quality-freshness-chart"
    FRESHNESS_GRID = "data-quality-freshness-grid"
    LEAGUE_CHART = "data-quality-league-chart"
    LEAGUE_GRID = "data-quality-league-grid"
    FEEDBACK_GRID = "data-quality-feedback-grid"
    COMPLIANCE_EXPORT_CSV = "data-quality-compliance-export-csv-button"
    COMPLIANCE_EXPORT_XLSX = "data-quality-compliance-export-xlsx-button"
    COMPLIANCE_DOWNLOAD = "data-quality-compliance-download"


class ReviewIds:
    """Monthly review (``/review``)."""

    DIVISION = "review-division-dropdown"
    FROM = "review-from-dropdown"
    TO = "review-to-dropdown"
    TITLE = "review-title-heading"
    SUMMARY = "review-exceptions-summary"
    KPI_ROW = "review-kpi-row"
    DIVISION_CHART = "review-division-chart"
    EXPORT_CSV = "review-export-csv-button"
    EXPORT_XLSX = "review-export-xlsx-button"
    DOWNLOAD = "review-changes-download"
    PERIOD_CLOSED = "review-last-closed-month-link"
    PERIOD_MTD = "review-month-to-date-link"
    DECISIONS = "review-meeting-decisions-section"
    DECISION_COUNTS = "review-decision-counts"
    TREND_CHART = "review-trend-chart"
    EXPORT_PPTX = "review-export-pptx-button"
    DOWNLOAD_PPTX = "review-pack-download"
    ACTIONS = "review-actions-section"
    RECORD_SUBJECT = "review-record-subject-dropdown"
    RECORD_DECISION = "review-record-decision-radio"
    RECORD_OWNER = "review-record-owner-input"
    RECORD_DUE = "review-record-due-input"
    RECORD_NOTE = "review-record-note-textarea"
    RECORD_KEY = "review-record-key-store"
    RECORD_BUTTON = "review-record-button"
    RECORD_STATUS = "review-record-status"
    EXEC_SUMMARY = "review-executive-summary-card"
    EXEC_SUMMARY_TEXT = "review-executive-summary-text"
    EXEC_SUMMARY_INPUT = "review-executive-summary-textarea"
    EXEC_SUMMARY_SAVE = "review-executive-summary-save-button"
    EXEC_SUMMARY_STATUS = "review-executive-summary-status"
    EXEC_SUMMARY_KEY = "review-executive-summary-key-store"
    ACTION_DONE = "review-action-done-button"  # pattern-matching: {"type": ..., "index": id}
    ACTION_STATUS = "review-action-done-status"
    LOG_EXPORT_CSV = "review-log-export-csv-button"
    LOG_EXPORT_XLSX = "review-log-export-xlsx-button"
    LOG_DOWNLOAD = "review-log-download"

    @staticmethod
    def section(name: str) -> str:
        """The id of one section's card, e.g. ``review-new-reds-section``."""
        return f"review-{name.replace('_', '-')}-section"


class UploadIds:
    """Upload (``/upload``)."""

    UPLOAD = "upload-files-upload"
    UPLOAD_STATUS = "upload-check-status"
    PREVIEW = "upload-preview-div"
    PENDING = "upload-pending-store"
    CONFIRM = "upload-confirm-button"
    CONFIRM_STATUS = "upload-confirm-status"
    RESULT = "upload-result-div"


class UploadMappingIds:
    """Upload (``/upload``): the mapping step and mapping profiles.

    ``MAP_*`` are the ``type`` of pattern-matching ids: ``{"type": MAP_KIND, "sheet": i}``, and
    ``{"type": MAP_COLUMN, "sheet": i, "column": j}`` for the j-th header of sheet i.
    """

    FILES = "upload-mapping-files-store"
    SHEETS = "upload-mapping-sheets-store"
    EDITS = "upload-mapping-edits-store"
    EDITOR = "upload-mapping-editor-div"
    REMAP = "upload-mapping-preview-button"
    REMAP_STATUS = "upload-mapping-preview-status"
    MAP_KIND = "upload-mapping-kind-select"
    MAP_HEADER_ROW = "upload-mapping-header-row-input"
    MAP_COLUMN = "upload-mapping-column-select"
    MAP_NAME = "upload-mapping-name-input"
    PROFILES = "upload-mapping-profiles-div"
    PROFILE_SELECT = "upload-mapping-profile-select"
    PROFILE_NEW_NAME = "upload-mapping-profile-name-input"
    PROFILE_RENAME = "upload-mapping-profile-rename-button"
    PROFILE_DELETE = "upload-mapping-profile-delete-button"
    PROFILE_STATUS = "upload-mapping-profile-status"


class TemplatesIds:
    """Templates (``/templates``), and the outdated-template finding on Data & compliance.

    ``DOWNLOAD_BUTTON`` is the ``type`` of pattern-matching ids:
    ``{"type": DOWNLOAD_BUTTON, "kind": "status_reports"}``.
    """

    TITLE = "templates-title-heading"
    LIST = "templates-list-div"
    DOWNLOAD_BUTTON = "templates-download-button"
    DOWNLOAD = "templates-file-download"
    STATUS = "templates-download-status"
    OUTDATED = "data-outdated-templates-div"


class MyProjectsIds:
    """My projects (``/my-projects``): a contributor's projects and their next report due."""

    TITLE = "my-projects-title-heading"
    LIST = "my-projects-list-group"
    EMPTY = "my-projects-empty-alert"


class StatusFormIds:
    """Status update form (``/status/<project_id>``): one report, prefilled from the last."""

    TITLE = "status-form-title-heading"
    PROJECT = "status-form-project-store"
    KEY = "status-form-key-store"
    SUBMIT = "status-form-submit-button"
    RESULT = "status-form-result-div"
    REFUSED = "status-form-refused-alert"

    @staticmethod
    def field(name: str) -> str:
        """The id of the input for ``name``."""
        return f"status-form-{name.replace('_', '-')}-input"

    @staticmethod
    def feedback(name: str) -> str:
        """The id of the message shown under the input for ``name``."""
        return f"status-form-{name.replace('_', '-')}-feedback"


class RequestFormIds:
    """Request intake form (``/request``): a new request, the live gate, the user's requests."""

    TITLE = "request-form-title-heading"
    REQUEST_ID = "request-form-request-id-store"
    KEY = "request-form-key-store"
    GATE = "request-form-gate-div"
    SUBMIT = "request-form-submit-button"
    RESULT = "request-form-result-div"
    MINE = "request-form-mine-table"

    @staticmethod
    def field(name: str) -> str:
        """The id of the input for ``name``."""
        return f"request-form-{name.replace('_', '-')}-input"

    @staticmethod
    def feedback(name: str) -> str:
        """The id of the message shown under the input for ``name``."""
        return f"request-form-{name.replace('_', '-')}-feedback"
