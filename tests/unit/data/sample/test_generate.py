"""Unit tests for the demo export generator (data/sample/generate.py) - no browser required."""

from __future__ import annotations

import importlib.util
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[4]
TODAY = date(2026, 11, 26)
ACTIVE = ("Initiation", "Planning", "Execution", "Closing")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pmo_demo_generate", ROOT / "data" / "sample" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo")
    return out, gen.generate(out, TODAY)


@pytest.fixture(scope="module")
def register(demo: tuple[Path, list[Path]]) -> pd.DataFrame:
    return _read_register(demo[0] / f"Project Register {TODAY.isoformat()}.xlsx")


@pytest.fixture(scope="module")
def previous_register(demo: tuple[Path, list[Path]]) -> pd.DataFrame:
    return _read_register(demo[0] / "Project Register 2026-10-31.xlsx")


@pytest.fixture(scope="module")
def status(demo: tuple[Path, list[Path]]) -> pd.DataFrame:
    return _read_status(demo[0])


# --------------------------------------------------------------------------------------------
# determinism and dates


def test_same_today_and_seed_give_identical_files(tmp_path: Path) -> None:
    first = gen.generate(tmp_path / "a", TODAY)
    second = gen.generate(tmp_path / "b", TODAY)
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    for a, b in zip(first, second, strict=True):
        if a.suffix == ".csv":
            assert a.read_bytes() == b.read_bytes(), a.name
        else:
            assert _xlsx_values(a) == _xlsx_values(b), a.name
            assert a.read_bytes() == b.read_bytes(), a.name


def test_another_seed_gives_another_portfolio(tmp_path: Path) -> None:
    gen.generate(tmp_path / "a", TODAY)
    gen.generate(tmp_path / "b", TODAY, seed=7)
    name = "Milestones.csv"
    assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_returns_every_file_in_load_order(demo: tuple[Path, list[Path]]) -> None:
    out, paths = demo
    assert sorted(paths) == sorted(p for p in out.rglob("*") if p.is_file())
    names = [p.name for p in paths]
    assert names[:3] == [
        "People.csv",
        "Project Register 2026-10-31.xlsx",
        f"Project Register {TODAY.isoformat()}.xlsx",
    ]
    assert names[-4:] == [
        "Milestones.csv",
        "RAID Log.xlsx",
        "Project Requests.xlsx",
        "Resource Plan.xlsx",
    ]
    report_dates = [p.stem.rsplit("_", 1)[1] for p in paths if p.parent.name == "status"]
    assert report_dates == sorted(report_dates)


@pytest.mark.parametrize("today", [TODAY, date(2027, 6, 1), date(2027, 2, 28)])
def test_latest_status_report_is_within_14_days(tmp_path: Path, today: date) -> None:
    paths = gen.generate(tmp_path, today)
    dates = sorted(
        date.fromisoformat(p.stem.rsplit("_", 1)[1]) for p in paths if p.parent.name == "status"
    )
    assert 0 <= (today - dates[-1]).days < 14
    assert all(d.weekday() == 4 for d in dates)
    assert (today - dates[0]).days > 500  # 18 months of history
    prev_end = today.replace(day=1) - timedelta(days=1)
    assert (tmp_path / f"Project Register {prev_end.isoformat()}.xlsx").exists()
    assert len(_read_register(tmp_path / f"Project Register {today.isoformat()}.xlsx")) == 150


def test_generation_is_fast(tmp_path: Path) -> None:
    started = time.perf_counter()
    gen.generate(tmp_path, TODAY)
    assert time.perf_counter() - started < 5


# --------------------------------------------------------------------------------------------
# layout and counts


def test_register_layout(demo: tuple[Path, list[Path]]) -> None:
    wb = openpyxl.load_workbook(demo[0] / f"Project Register {TODAY.isoformat()}.xlsx")
    assert wb.sheetnames == ["Instructions", "Register"]
    ws = wb["Register"]
    assert ws["A1"].value == "Contoso PMO – Project Register"
    assert ws["A2"].value == f"Exported {TODAY.isoformat()} by PMO Office"
    assert all(c.value is None for c in ws[3])
    header = [c.value for c in ws[4]]
    assert header == list(gen.REGISTER_HEADER)
    first = dict(zip(header, ws[5], strict=True))
    assert first["Project ID"].value == "PRJ-001"
    assert isinstance(first["Start Date"].value, datetime)
    assert first["% Complete"].number_format == "0%"
    assert 0 <= first["% Complete"].value <= 1
    assert first["RAG Status"].value in {"Green", "Amber", "Red"}
    last = {h: c.value for h, c in zip(header, ws[ws.max_row], strict=True)}
    assert last["Project Name"] == "Total"
    budgets = [ws.cell(r, 13).value for r in range(5, ws.max_row)]
    assert last["Budget (£)"] == pytest.approx(sum(budgets))


def test_counts(demo: tuple[Path, list[Path]], register: pd.DataFrame) -> None:
    out = demo[0]
    assert len(register) == 150
    assert register["Project ID"].tolist() == [f"PRJ-{i:03d}" for i in range(1, 151)]
    assert register["Division"].nunique() == 6
    people = pd.read_csv(out / "People.csv")
    assert len(people) == 90
    assert people["Employee ID"].tolist() == [f"E{i:04d}" for i in range(1, 91)]
    assert set(people["FTE"]) <= {1.0, 0.8, 0.5}
    assert (people["FTE"] == 1.0).mean() > 0.75
    assert people["End Date"].notna().sum() >= 3
    requests = pd.read_excel(out / "Project Requests.xlsx", sheet_name="Intake", engine="openpyxl")
    assert list(requests.columns) == list(gen.REQUEST_HEADER)
    assert requests["Request ID"].tolist() == [f"REQ-{i:03d}" for i in range(1, 41)]
    assert set(requests["Status"]) == {
        "Submitted",
        "Under Review",
        "Approved",
        "Rejected",
        "Deferred",
    }
    assert set(requests["Mandatory?"]) == {"Yes", "No"}


def test_status_reports_come_in_each_division_style(demo: tuple[Path, list[Path]]) -> None:
    status_dir = demo[0] / "status"
    finance = sorted(status_dir.glob("finance_*.csv"))[-1].read_bytes()
    assert finance.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in finance
    text = finance.decode("utf-8-sig")
    row = text.splitlines()[1]
    assert row.split(",")[1].count("/") == 2  # dd/mm/yyyy
    assert '","' in text or ',"' in text  # quoted thousands
    operations = pd.read_csv(sorted(status_dir.glob("operations_*.csv"))[-1], dtype=str)
    assert set(operations["Overall RAG"]) <= {"G", "A", "R"}
    assert operations["% Complete"].str.endswith("%").all()
    technology = pd.read_csv(sorted(status_dir.glob("technology_*.csv"))[-1], dtype=str)
    assert set(technology["Overall RAG"]) <= {"Green", "Amber", "Red"}
    date.fromisoformat(technology["Report Date"].iloc[0])
    summaries = pd.concat(
        pd.read_csv(p, dtype=str, encoding="utf-8-sig")["Summary"]
        for p in sorted(status_dir.glob("*.csv"))
    )
    assert summaries.str.contains("\n").sum() > 0
    assert summaries.str.contains(",").sum() > 0


def test_status_reports_only_for_active_projects(
    status: pd.DataFrame, register: pd.DataFrame
) -> None:
    projects = register.set_index("Project ID")
    merged = status.join(projects[["Start Date", "Actual Finish"]], on="Project ID")
    assert (merged["Report Date"] >= merged["Start Date"]).all()
    closed = merged.dropna(subset=["Actual Finish"])
    assert (closed["Report Date"] < closed["Actual Finish"]).all()


# --------------------------------------------------------------------------------------------
# the cases the views exist for


def test_watermelon_projects(register: pd.DataFrame, status: pd.DataFrame) -> None:
    active = register[register["Stage"].isin(ACTIVE)]
    cpi = active["% Complete"] * active["Budget (£)"] / active["Actual Cost (£)"]
    slip = (active["Forecast Finish"] - active["Baseline Finish"]).dt.days
    red_numbers = (cpi < 0.8) | (slip > 60)
    watermelons = active[red_numbers & (active["RAG Status"] == "Green")]
    # A handful, each planted: the rest of the portfolio reports what its numbers say.
    assert len(watermelons) == gen.N_WATERMELON_CPI + gen.N_WATERMELON_SLIP == 4
    latest = status.sort_values("Report Date").groupby("Project ID").tail(1)
    latest = latest.set_index("Project ID")["Overall RAG"]
    assert (latest[watermelons["Project ID"]] == "green").all()
    assert (cpi[red_numbers & (active["RAG Status"] == "Green")] < 0.8).sum() == 2
    assert (slip[red_numbers & (active["RAG Status"] == "Green")] > 60).sum() == 2


def test_honest_projects_report_what_the_pmo_rules_say(register: pd.DataFrame) -> None:
    # pmo.toml defaults: cost red when CPI < 0.8 or EAC more than 10 % over budget; schedule red
    # when the forecast finish is more than 45 days late. Apart from the planted watermelons,
    # every project red on those numbers is reported Red in the register.
    active = register[register["Stage"].isin(ACTIVE)]
    cpi = active["% Complete"] * active["Budget (£)"] / active["Actual Cost (£)"]
    overrun = 100 * (active["EAC (£)"] / active["Budget (£)"] - 1)
    slip = (active["Forecast Finish"] - active["Baseline Finish"]).dt.days
    red = (cpi.round(2) < 0.8) | (overrun.round(1) > 10) | (slip > 45)
    reported = active.loc[red, "RAG Status"]
    assert (reported == "Red").sum() >= 8
    assert (reported != "Red").sum() == gen.N_WATERMELON_CPI + gen.N_WATERMELON_SLIP


def test_projects_that_stopped_reporting(register: pd.DataFrame, status: pd.DataFrame) -> None:
    cutoff = pd.Timestamp(TODAY - timedelta(days=42))
    active = register[register["Stage"].isin(ACTIVE) & (register["Start Date"] <= cutoff)]
    last = status.groupby("Project ID")["Report Date"].max()
    last_report = active["Project ID"].map(last)
    assert (last_report.isna() | (last_report < cutoff)).sum() == gen.N_STALE == 3
    recent = status[status["Report Date"] >= pd.Timestamp(TODAY - timedelta(days=14))]
    assert recent["Project ID"].nunique() >= 90


def test_over_allocated_roles_and_people(demo: tuple[Path, list[Path]]) -> None:
    out = demo[0]
    plan = pd.read_excel(out / "Resource Plan.xlsx", sheet_name="Plan", engine="openpyxl")
    months = list(plan.columns[4:])
    assert len(months) == 24
    assert months[0] == pd.Timestamp(2026, 5, 1)
    assert months[-1] == pd.Timestamp(2028, 4, 1)
    ws = openpyxl.load_workbook(out / "Resource Plan.xlsx")["Plan"]
    assert isinstance(ws["E1"].value, datetime)
    assert ws["E1"].number_format == "mmm-yy"
    long = plan.melt(
        id_vars=["Project ID", "Request ID", "Resource", "Role"], var_name="month", value_name="fte"
    ).dropna(subset=["fte"])
    # One row per project and person-or-role: repeated demand is summed into it (within the
    # loaders' 0-2 FTE range per cell).
    assert long["fte"].between(0.1, 2.0).all()
    keys = plan[["Project ID", "Request ID", "Resource", "Role"]].astype(str)
    assert not keys.duplicated().any()  # the loaders would reject every copy
    requests = pd.read_excel(out / "Project Requests.xlsx", sheet_name="Intake", engine="openpyxl")
    approved = set(requests.loc[requests["Status"] == "Approved", "Request ID"])
    committed = long[long["Project ID"].notna() | long["Request ID"].isin(approved)]
    demand = committed.groupby(["Role", "month"])["fte"].sum()
    people = pd.read_csv(out / "People.csv", parse_dates=["Start Date", "End Date"])
    coming = months[7:13]
    for role in ("Data Engineer", "Architect"):
        staff = people[people["Role"] == role]
        for month in coming:
            month_end = month + pd.offsets.MonthEnd(0)
            employed = (staff["Start Date"] <= month_end) & (
                staff["End Date"].isna() | (staff["End Date"] >= month)
            )
            supply = staff.loc[employed, "FTE"].sum()
            assert demand[(role, month)] > supply, (role, month)
    named = long.dropna(subset=["Resource"]).groupby(["Resource", "month"])["fte"].sum().round(2)
    assert named[named > 1.0].index.get_level_values("Resource").nunique() >= 3
    rows_per_project = plan.dropna(subset=["Project ID"]).groupby("Project ID").size()
    assert rows_per_project.between(2, 5).all()
    pipeline = plan.dropna(subset=["Request ID"])
    assert pipeline["Resource"].isna().all()
    assert len(pipeline) > 0


def test_incomplete_requests(demo: tuple[Path, list[Path]]) -> None:
    requests = pd.read_excel(
        demo[0] / "Project Requests.xlsx", sheet_name="Intake", engine="openpyxl"
    )
    needed = [
        "Estimated Cost",
        "Expected Annual Benefit",
        "Effort (person-months)",
        "Strategic Alignment (1-5)",
    ]
    incomplete = requests[requests[needed].isna().any(axis=1)]
    assert len(incomplete) >= 8
    assert set(incomplete["Status"]) <= {"Submitted", "Under Review"}


def test_slipped_and_overdue_milestones(
    demo: tuple[Path, list[Path]], register: pd.DataFrame
) -> None:
    raw = pd.read_csv(demo[0] / "Milestones.csv", dtype=str)
    # The two planted data-quality rows: a "TBC" baseline and a duplicate of the first row.
    assert (raw["Baseline Date"] == "TBC").sum() == 1
    assert raw.duplicated(keep=False).sum() == 2
    clean = raw[(raw["Baseline Date"] != "TBC") & ~raw.duplicated(keep="first")]
    milestones = clean.assign(
        **{c: pd.to_datetime(clean[c]) for c in ("Baseline Date", "Forecast Date", "Actual Date")}
    )
    per_project = milestones.groupby("Project ID").size()
    assert per_project.between(3, 6).all()
    assert len(per_project) == 150
    shift = (milestones["Forecast Date"] - milestones["Baseline Date"]).dt.days
    assert shift.between(10, 90).sum() >= 20
    assert shift.max() <= 90
    stage = milestones["Project ID"].map(register.set_index("Project ID")["Stage"])
    overdue = (
        (milestones["Baseline Date"] < pd.Timestamp(TODAY))
        & milestones["Actual Date"].isna()
        & stage.isin(ACTIVE)
    )
    assert overdue.sum() >= 10
    assert (milestones["Actual Date"].dropna() <= pd.Timestamp(TODAY)).all()


def test_closed_cancelled_and_new_projects(
    register: pd.DataFrame, previous_register: pd.DataFrame
) -> None:
    stages = register["Stage"].value_counts()
    assert stages["Closed"] >= 8
    assert stages["Cancelled"] >= 4
    assert set(stages.index) == {
        "Initiation",
        "Planning",
        "Execution",
        "Closing",
        "Closed",
        "Cancelled",
        "On Hold",
    }
    closed = register.loc[register["Stage"] == "Closed"]
    assert closed["Actual Finish"].notna().all()
    assert (closed["% Complete"] == 1).all()
    new = set(register["Project ID"]) - set(previous_register["Project ID"])
    assert len(new) == 6
    assert len(previous_register) == 144
    before = previous_register.set_index("Project ID")["Stage"]
    now = register.set_index("Project ID")["Stage"]
    just_closed = [
        pid for pid in before.index if before[pid] == "Execution" and now[pid] == "Closed"
    ]
    assert len(just_closed) >= 2


def test_monthly_review_shows_moves(
    register: pd.DataFrame, previous_register: pd.DataFrame
) -> None:
    cols = ["Budget (£)", "EAC (£)", "Forecast Finish", "RAG Status"]
    now = register.set_index("Project ID")
    before = previous_register.set_index("Project ID")
    both = before.index.intersection(now.index)
    still_open = both[now.loc[both, "Stage"] != "Closed"]
    changed = (now.loc[still_open, cols] != before.loc[still_open, cols]).any(axis=1)
    assert 12 <= changed.sum() <= 25
    assert (now.loc[still_open, "Budget (£)"] != before.loc[still_open, "Budget (£)"]).sum() >= 3
    assert (now.loc[still_open, "RAG Status"] != before.loc[still_open, "RAG Status"]).sum() >= 3


def test_numbers_are_plausible(register: pd.DataFrame, status: pd.DataFrame) -> None:
    assert (register["EAC (£)"] >= register["Actual Cost (£)"]).all()
    assert register["% Complete"].between(0, 1).all()
    assert register["Strategic Alignment (1-5)"].between(1, 5).all()
    assert (status["EAC"] >= status["Actual Cost"]).all()
    history = status.sort_values(["Project ID", "Report Date"])
    by_project = history.groupby("Project ID")
    assert (by_project["Actual Cost"].diff().dropna() >= 0).all()
    assert (by_project["% Complete"].diff().dropna() >= 0).all()
    assert status["Overall RAG"].isin(["green", "amber", "red"]).all()


def test_raid_log(demo: tuple[Path, list[Path]], register: pd.DataFrame) -> None:
    raid = pd.read_excel(demo[0] / "RAID Log.xlsx", sheet_name="RAID", engine="openpyxl")
    assert list(raid.columns) == list(gen.RAID_HEADER)
    assert 300 <= len(raid) <= 500
    assert raid["ID"].is_unique
    assert set(raid["Type"]) == {"Risk", "Issue", "Assumption", "Dependency"}
    assert raid["Probability"].dropna().between(0, 1).all()
    assert raid["Impact"].between(1, 5).all()
    assert set(raid["Severity"]) == {"Low", "Medium", "High", "Critical"}
    assert set(raid["Status"]) == {"Open", "Closed"}
    assert set(raid["Project"]) <= set(register["Project ID"])
    assert (raid["Due Date"] > raid["Date Raised"]).all()


# --------------------------------------------------------------------------------------------
# helpers


def _xlsx_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def _read_register(path: Path) -> pd.DataFrame:
    df = pd.read_excel(path, sheet_name="Register", header=3, engine="openpyxl")
    return df[df["Project Name"] != "Total"].reset_index(drop=True)


def _read_status(folder: Path) -> pd.DataFrame:
    """All status reports in canonical form: timestamps, lower-case RAG words, fractions."""
    rag = {"G": "green", "A": "amber", "R": "red"}
    frames = []
    for path in sorted((folder / "status").glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        dayfirst = path.name.startswith("finance_")
        fmt = "%d/%m/%Y" if dayfirst else "%Y-%m-%d"
        for col in ("Report Date", "Forecast Finish"):
            df[col] = pd.to_datetime(df[col], format=fmt)
        for col in ("Actual Cost", "EAC"):
            df[col] = df[col].str.replace(",", "").astype(float)
        df["% Complete"] = df["% Complete"].str.rstrip("%").astype(float) / 100
        df["Overall RAG"] = df["Overall RAG"].map(lambda v: rag.get(v, v.lower()))
        frames.append(df.rename(columns={"Project Code": "Project ID"}))
    return pd.concat(frames, ignore_index=True)
