"""Every component id, defined once: ``"<page>-<thing>-<kind>"`` strings, one class per page."""

from __future__ import annotations


class AppIds:
    """The app shell."""

    URL = "app-url"
    NAVBAR = "app-navbar"
    FOOTER = "app-footer"
    FOOTER_VERSION = "app-footer-version"


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
