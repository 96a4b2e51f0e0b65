"""A reader process for the concurrency tests: reads through dashboard.db in a loop.

Usage: python probe_reader.py DATA_DIR SECONDS OUT_JSON

Each iteration reads one snapshot and checks it is whole: the status rows present equal the rows
the committed loads of that same version say they loaded (a half-applied load would break this).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dashboard import config, db


def main() -> None:
    """Read until the deadline; write versions seen, inconsistencies and errors as JSON."""
    data_dir, seconds, out = Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
    config.configure(data_dir=data_dir)
    versions, mixed, errors, reads = [], [], [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with db.snapshot() as snap:
                rows = int(snap.query("SELECT count(*) AS n FROM status_reports")["n"].iloc[0])
                claimed = snap.query(
                    "SELECT coalesce(sum(rows_loaded), 0) AS n FROM load_runs "
                    "WHERE status = 'committed'"
                )["n"].iloc[0]
                if rows != int(claimed):
                    mixed.append([snap.version, rows, int(claimed)])
                if not versions or versions[-1] != snap.version:
                    versions.append(snap.version)
            reads += 1
        except db.NoData:
            time.sleep(0.01)
        except Exception as exc:  # the test asserts there are none; record, don't die
            errors.append(f"{type(exc).__name__}: {exc}")
    out.write_text(
        json.dumps({"versions": versions, "mixed": mixed, "errors": errors, "reads": reads})
    )


if __name__ == "__main__":
    main()
