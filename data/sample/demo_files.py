"""Writers of the demo's files: CSV with a chosen encoding and line ending, reproducible xlsx.

The same ``today`` and seed must give byte-identical files, so the workbook properties and the
zip entry timestamps are pinned to a datetime derived from the day rather than the clock.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def write_csv(
    path: Path,
    header: Iterable[str],
    rows: Iterable[Sequence[str]],
    *,
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    """Write ``header`` and ``rows`` as RFC 4180 text; Excel's "CSV UTF-8" is ``utf-8-sig``."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def save_workbook(wb: Workbook, path: Path, stamp_day: date) -> None:
    """Save with pinned properties and zip timestamps, so the same content gives the same bytes."""
    stamp = datetime(stamp_day.year, stamp_day.month, stamp_day.day, 17, 30)
    wb.properties.creator = "PMO Office"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    raw = io.BytesIO()
    # openpyxl's save_workbook() stamps "modified" with the clock; ExcelWriter does not.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
