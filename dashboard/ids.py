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
    GRID = "portfolio-projects-grid"
    COUNT = "portfolio-project-count"
