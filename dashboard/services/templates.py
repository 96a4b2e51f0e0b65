"""Templates page data: each template's bytes, built from the standards and the current data.

The workbook itself is built by ``loaders.templates`` (the command line builds the same one);
here its drop-down values come from the caller's view of the current version (a division-scoped
user's template offers their own projects), and the outdated-template finding of the Data &
compliance page is gathered.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import db
from dashboard.analytics.compliance import outdated_templates
from dashboard.config import get_standards
from dashboard.exports import XLSX_MEDIA_TYPE
from loaders import templates

#: What each template holds, as the page lists it (``docs/templates.md`` says the same).
DESCRIPTIONS: dict[str, str] = {
    "projects": "One row per project: ids, division, portfolio, stage, dates, budget and cost.",
    "status_reports": "One row per project and report date: RAGs, progress, forecasts, summary.",
    "milestones": "One row per project milestone: baseline, forecast and actual dates.",
    "raid": "Risks, assumptions, issues, dependencies and decisions, with owner and severity.",
    "requests": "A project request for the intake: cost, benefit, scores, business case.",
    "resources": "One row per person (or placeholder role): team, division, FTE, cost rate.",
    "allocations": "Who works on what: FTE per project or request, one column per month ahead.",
}


@dataclass(frozen=True)
class TemplateEntry:
    """One template as the page lists it."""

    kind: str
    title: str
    description: str


def catalogue() -> list[TemplateEntry]:
    """The seven templates, in the order the page lists them."""
    return [
        TemplateEntry(kind, title, DESCRIPTIONS[kind]) for kind, title in templates.TITLES.items()
    ]


def template_lists(today: date) -> templates.TemplateLists:
    """Drop-down values: the caller's current projects, requests and people, and the standards.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    standards = get_standards()
    with db.snapshot() as snap:
        projects = snap.projects(today)
        requests = snap.requests(today)
        resources = snap.resources(today)
    return templates.TemplateLists.from_values(
        divisions=pd.concat([projects["division"], requests["division"]]),
        portfolios=projects["portfolio"],
        stages=projects["stage"],
        closed_stages=standards.reporting.closed_stages,
        project_ids=projects["project_id"],
        request_ids=requests["request_id"],
        resource_ids=resources["resource_id"],
        currency=standards.loading.currency,
    )


def template_download(kind: str, today: date) -> dict:
    """The ``dcc.Download`` payload of ``kind``'s template.

    Before the first load the template still downloads, with the standards' lists only.

    Raises:
        ValueError: ``kind`` is not a template (a forged callback).
    """
    if kind not in templates.TITLES:
        raise ValueError(f"no template for {kind!r}")
    try:
        lists = template_lists(today)
    except db.NoData:
        standards = get_standards()
        lists = templates.TemplateLists.from_values(
            closed_stages=standards.reporting.closed_stages, currency=standards.loading.currency
        )
    content = templates.build_template(kind, lists, today)
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "filename": templates.template_filename(kind, today),
        "type": XLSX_MEDIA_TYPE,
        "base64": True,
    }


def current_version() -> int:
    """The template version the PMO issues now (``loaders.templates.VERSIONS``)."""
    return templates.CURRENT_VERSION


def outdated_template_reports(
    as_of: date, project_ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """Projects whose latest status report (as of ``as_of``) came from an outdated template.

    Empty for a division-scoped user, who sees no load bookkeeping.

    Args:
        as_of: The page's date.
        project_ids: Only these projects (the Data & compliance page passes the open projects
            its filters leave); None for every project with a report.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        latest = snap.latest_status(as_of)
        sheets = snap.load_sheets()
    if "template_version" not in sheets:  # a version stored before templates existed
        sheets = sheets.assign(template_version=pd.NA)
    outdated = outdated_templates(latest, sheets, templates.CURRENT_VERSION)
    if project_ids is None:
        return outdated
    return outdated[outdated["project_id"].isin(list(project_ids))].reset_index(drop=True)
