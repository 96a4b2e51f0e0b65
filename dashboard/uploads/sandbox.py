"""The loader in a sandbox: ``python -m loaders ingest --json`` in a limited child process.

Files are parsed by the same loader code in a separate process with an address-space limit, a CPU
limit and a wall-clock timeout, so a zip bomb or a runaway parse costs that process, not the app
(docs/security.md, "Uploads"). A dry run gives the preview; the confirmed run publishes a new
version; concurrent loads queue on the loader's lock file (docs/architecture.md, "3.4 Readers
during a load, loaders in a queue"). Whatever goes wrong becomes a user message; details
(stderr, tracebacks) go to the server log next to a reference the user can quote.
"""

from __future__ import annotations

import logging
import math
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from dashboard.config import ROOT
from dashboard.upload_outcomes import REJECTS_SHOWN, LoaderResult
from dashboard.uploads.limits import MB
from dashboard.uploads.report import file_outcome, parse_report

LOG = logging.getLogger("pmo.uploads")

# Measured: loading a 22 MB CSV peaks at ~1.1 GB of address space and 0.7 GB resident; a small
# file at ~0.5 GB. 1.5 GB leaves room for a full-size upload and stops a decompression bomb.
LOADER_MEMORY_BYTES = 1536 * MB
LOADER_TIMEOUT_SECONDS = 120.0
# Without these the address space is mostly reservations, not use: glibc keeps one 64 MB arena
# per thread (DuckDB's connection alone reserved +670 MB on 2 cores) and pyarrow's jemalloc pool
# reserves another ~1 GB; the measured real load needed 2.1 GB of address space without them.
LOADER_ENV = {
    "MALLOC_ARENA_MAX": "2",
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "PYTHONIOENCODING": "utf-8",
}
# The child sets its limits itself before it imports anything, rather than with ``preexec_fn``:
# Python documents preexec_fn as unsafe in a threaded program (it can deadlock between fork and
# exec), and Flask serves callbacks on threads. The CLI then runs exactly as ``python -m
# loaders``; its JSON is trimmed to the first rejected rows per sheet inside the child, because
# a 25 MB file of bad rows makes a ~45 MB report that would cost the app ~400 MB to parse.
_BOOTSTRAP = """
import contextlib, gc, io, json, resource, runpy, sys
memory, cpu, shown = (int(a) for a in sys.argv[1:4])
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
sys.argv = ["loaders", *sys.argv[4:]]
out, code = io.StringIO(), 0
with contextlib.redirect_stdout(out):
    try:
        runpy.run_module("loaders", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
text = out.getvalue()
del out
gc.collect()
try:
    report = json.loads(text)
    for item in report["files"]:
        for sheet in item.get("sheets") or []:
            sheet["rejects"] = (sheet.get("rejects") or [])[:shown]
    text = json.dumps(report, ensure_ascii=False)
except (ValueError, KeyError, TypeError, AttributeError, MemoryError):
    pass
sys.stdout.write(text)
sys.exit(code)
"""
_MEMORY_WORDS = (
    "MemoryError",
    "Out of Memory",
    "cannot allocate memory",
    "bad_alloc",
    "failed to map segment",
    "memory allocation of",  # Rust's allocator (the calamine reader) under the memory limit
    "capacity overflow",
)
_LOCK_WORDS = ("Could not set lock", "Conflicting lock")


def run_loader(
    paths: list[Path],
    data_dir: Path,
    *,
    dry_run: bool,
    standards: Path | None = None,
    timeout: float = LOADER_TIMEOUT_SECONDS,
    memory_bytes: int = LOADER_MEMORY_BYTES,
    mappings: tuple[Path, ...] = (),
) -> LoaderResult:
    """Run ``python -m loaders ingest PATHS --json`` in a limited child process.

    Args:
        paths: Stored uploads (absolute paths inside the upload folder).
        data_dir: The store to check against or load into.
        dry_run: Validate only (the preview) or load and publish.
        standards: The PMO's standards file (date order, currency).
        timeout: Wall-clock seconds, including any wait for another load to finish.
        memory_bytes: Address-space limit of the child.
        mappings: Mapping files written by ``upload_mapping`` in the data folder (TOML,
            never code), passed as ``--mapping``.

    Returns:
        The loader's report per file, or a friendly error and a log reference.
    """
    reference = uuid.uuid4().hex[:8]
    ingest = [
        "ingest",
        *[str(p) for p in paths],
        "--data-dir",
        str(data_dir),
        "--json",
        *(["--dry-run"] if dry_run else []),
        *(["--standards", str(standards)] if standards else []),
        *[arg for path in mappings for arg in ("--mapping", str(path))],
    ]
    limits = [str(memory_bytes), str(math.ceil(timeout) * 3), str(REJECTS_SHOWN)]
    command = [sys.executable, "-c", _BOOTSTRAP, *limits, *ingest]
    for attempt in (1, 2):
        try:
            proc = _run_child(command, timeout, reference, dry_run=dry_run, files=len(paths))
        except subprocess.TimeoutExpired:
            LOG.warning(
                "loader %s timed out after %.0f s (dry_run=%s)", reference, timeout, dry_run
            )
            message = _timeout_message(timeout, dry_run=dry_run)
            return LoaderResult(dry_run, error=message, reference=reference)
        stdout, stderr = proc.stdout, proc.stderr
        report = parse_report(stdout) if proc.returncode in (0, 1) else None
        if report is None and attempt == 1 and any(word in stderr for word in _LOCK_WORDS):
            # Loaders queue on loader.lock, so this is not expected; one retry if it happens.
            time.sleep(1.0)
            continue
        break
    if report is None:
        message = loader_failure_message(proc.returncode, stderr)
        return LoaderResult(dry_run, error=message, reference=reference)
    files = tuple(file_outcome(item, data_dir) for item in report.get("files", []))
    return LoaderResult(dry_run, files=files, reference=reference)


def loader_failure_message(returncode: int, stderr: str) -> str:
    """A user message for a loader that ended without a report (never a traceback or path)."""
    if any(word in stderr for word in _MEMORY_WORDS) or returncode in (-signal.SIGKILL, 137):
        return (
            "The file needs more memory than an upload may use, so checking it was stopped. "
            "Split it into smaller files, or delete unused sheets and columns, and try again."
        )
    if returncode == -signal.SIGXCPU:
        return _timeout_message(LOADER_TIMEOUT_SECONDS, dry_run=True)
    if any(word in stderr for word in _LOCK_WORDS):
        return "Another load was being published at the same moment. Try again."
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if (
        returncode == 1
        and last.startswith("error: ")
        and "Traceback" not in stderr
        and not re.search(r"[/\\]", last)
    ):
        return f"The loader could not run: {last.removeprefix('error: ')[:300]}"
    return "The files could not be processed (the loader stopped unexpectedly). Nothing was loaded."


def _run_child(
    command: list[str], timeout: float, reference: str, *, dry_run: bool, files: int
) -> subprocess.CompletedProcess[str]:
    """Run the child once and log its exit; stdout and stderr come back decoded.

    Raises:
        subprocess.TimeoutExpired: The child ran past ``timeout`` seconds (it is killed).
    """
    env = {**os.environ, **LOADER_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    # A fixed argv and no shell; every path in it was built by this package.
    proc = subprocess.run(
        command,
        capture_output=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=False,
        start_new_session=True,
    )
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    LOG.info(
        "loader %s exit %s in %.1f s (dry_run=%s, files=%d)",
        reference,
        proc.returncode,
        time.perf_counter() - started,
        dry_run,
        files,
    )
    if stderr.strip():
        LOG.warning("loader %s stderr:\n%s", reference, stderr.strip())
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def _timeout_message(timeout: float, *, dry_run: bool) -> str:
    if dry_run:
        return (
            f"Checking the files took longer than {timeout:.0f} seconds and was stopped. "
            "Split the file or delete unused sheets, and try again."
        )
    # The wait for another load's lock counts too, and a load stopped just after publishing
    # is in: loading again is safe because files already loaded are skipped.
    return (
        f"Loading did not finish within {timeout:.0f} seconds and was stopped. Check the Data & "
        "compliance page, then load again if needed: files already loaded are skipped."
    )
