"""Uploads from the browser: refuse unsafe files, store them safely, run the loader in a sandbox.

Why it is built like this (RELIABILITY.md S11, S14, S15, F7; INPUT_CASES #49, #53):

- Limits are enforced on the server. Flask refuses a request body over ``MAX_CONTENT_LENGTH``
  with a 413 before any callback runs (``dcc.Upload`` sends each file base64-encoded inside the
  callback's JSON, a third larger than the file, so the body limit is sized for that); every
  decoded file is checked again, so nothing over the limit is ever written.
- A file is accepted only with an allowlisted extension AND content that is a zip (xlsx/xlsm)
  or OLE2 (xls) container, or text. The user's file name is never used as a path: a file is
  stored as ``<data_dir>/uploads/<sha256>/<sanitised name>``, both parts built here, and the
  resolved path must lie inside the upload folder before anything is written. The loader then
  records the sanitised name in ``load_runs``; the original name is kept as metadata only and
  is only ever shown as text.
- Files are parsed by the same loader code (``python -m loaders ingest --json``) in a separate
  process with an address-space limit, a CPU limit and a wall-clock timeout, so a zip bomb or a
  runaway parse costs that process, not the app. A dry run gives the preview; the confirmed
  run publishes a new version. Concurrent loads queue on the loader's lock file.
- Whatever goes wrong becomes a user message; details (stderr, tracebacks) go to the server
  log next to a reference the user can quote. Every attempt, refused or not, is logged.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hashlib
import json
import logging
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard import db, upload_quota
from dashboard.config import ROOT, Settings, get_settings
from dashboard.scope import current_scope

LOG = logging.getLogger("pmo.uploads")

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")
UPLOAD_FOLDER = "uploads"
MAX_FILES = 20
REJECTS_SHOWN = 10
MB = 1024 * 1024
# The callback body also carries file names, dates and the JSON around the base64 text.
REQUEST_OVERHEAD_BYTES = 256 * 1024
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

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Formats whose first bytes could pass the text test below; other binaries (executables,
# images, archives) are caught by their control bytes.
_BINARY_MAGICS = (b"%PDF-", b"\x7fELF", b"\x89PNG", b"\xff\xd8\xff", b"\x1f\x8b", b"7z\xbc\xaf")
_SNIFF_BYTES = 8192
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_UNSAFE_CHARS = re.compile(r"[^\w .()\-]+")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
_MAX_STEM_BYTES = 150
_REPLAY = re.compile(r"already loaded as load #(\d+)")
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


# --------------------------------------------------------------------------- what comes in
@dataclass(frozen=True)
class UploadedFile:
    """A decoded upload that passed the size, extension and content checks (not yet saved)."""

    original_name: str
    name: str
    data: bytes
    content: str  # zip | ole | text

    @functools.cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the bytes: the server-generated part of the stored path."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass(frozen=True)
class UploadRefused:
    """A file refused before anything was written, with the reason in the user's terms."""

    original_name: str
    reason: str


@dataclass(frozen=True)
class SavedUpload:
    """A stored upload: ``path`` is ``<uploads>/<sha256>/<name>``."""

    original_name: str
    name: str
    sha256: str
    size: int
    path: Path

    def token(self) -> dict[str, str]:
        """What the page keeps in the browser until the load is confirmed (re-checked then)."""
        return {"sha256": self.sha256, "name": self.name, "original": self.original_name}


# --------------------------------------------------------------------------- what the loader said
@dataclass(frozen=True)
class Reject:
    """One rejected source row."""

    row: int | None
    column: str | None
    reason: str


@dataclass(frozen=True)
class SheetOutcome:
    """One sheet of a file as the loader read it."""

    sheet: str | None
    kind: str | None
    header_row: int | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_ignored: int
    columns: dict[str, str]
    rejects: tuple[Reject, ...]
    mapping: dict | None = None  # headers and guesses for the mapping step (upload_mapping)


@dataclass(frozen=True)
class FileOutcome:
    """One file as the loader reported it."""

    file: str
    status: str  # ok | failed
    message: str
    sheets: tuple[SheetOutcome, ...] = ()

    @property
    def replay_of(self) -> int | None:
        """The load these exact bytes were already loaded as, if any."""
        match = _REPLAY.search(self.message)
        return int(match.group(1)) if match else None


@dataclass(frozen=True)
class LoaderResult:
    """The loader subprocess's report, or a friendly ``error`` when it could not report."""

    dry_run: bool
    files: tuple[FileOutcome, ...] = ()
    error: str | None = None
    reference: str = ""

    @property
    def ok(self) -> bool:
        """True when the loader ran to the end (files may still have failed individually)."""
        return self.error is None


@dataclass(frozen=True)
class LoadRecord:
    """What ``load_runs`` says about an uploaded file after the confirmed load."""

    load_id: int
    status: str
    data_version: int | None


@dataclass
class UploadCheck:
    """Outcome of a drop: refused files, stored files and the dry run's preview."""

    refused: list[UploadRefused] = field(default_factory=list)
    saved: list[SavedUpload] = field(default_factory=list)
    result: LoaderResult | None = None

    @property
    def pending(self) -> list[dict[str, str]]:
        """Tokens of the stored files the dry run could read: what Confirm will load."""
        if self.result is None or not self.result.ok:
            return []
        return [
            upload.token()
            for upload, outcome in zip(self.saved, self.result.files, strict=False)
            if outcome.status == "ok"
        ]


@dataclass
class LoadOutcome:
    """Outcome of a confirmed load: the loader's report and the ``load_runs`` records."""

    result: LoaderResult
    uploads: list[SavedUpload] = field(default_factory=list)
    records: dict[str, LoadRecord] = field(default_factory=dict)
    refused: str | None = None

    @property
    def published_version(self) -> int | None:
        """The data version this load created (None when nothing changed or it failed)."""
        versions = [
            record.data_version
            for upload, outcome in zip(self.uploads, self.result.files, strict=False)
            if outcome.status == "ok"
            and outcome.replay_of is None
            and (record := self.records.get(upload.sha256)) is not None
            and record.status == "committed"
            and record.data_version is not None
        ]
        return max(versions) if versions else None


# --------------------------------------------------------------------------- limits and names
def max_upload_bytes(settings: Settings) -> int:
    """The largest upload in bytes (all files of one drop together)."""
    return int(settings.max_upload_mb * MB)


def request_limit_bytes(max_bytes: int) -> int:
    """The request body limit for ``max_bytes`` of files: base64 is 4 bytes per 3, plus JSON."""
    return 4 * math.ceil(max_bytes / 3) + REQUEST_OVERHEAD_BYTES


def format_size(size: int) -> str:
    """A size as people read it: ``25 MB``, ``1.5 MB``, ``300 KB``."""
    if size >= MB:
        return f"{size / MB:.3g} MB"
    return f"{max(1, round(size / 1024))} KB"


def display_name(name: object, limit: int = 120) -> str:
    """A file name fit to show (as text): no control characters, at most ``limit`` characters."""
    text = "".join(ch for ch in str(name or "") if unicodedata.category(ch)[0] != "C").strip()
    text = text or "(no name)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_filename(name: str) -> str:
    """A safe base name derived from an untrusted file name; never a path.

    The last component after either slash only; Unicode normalised; control, format and
    bidi-override characters dropped; anything but letters, digits, space and ``_-.()`` replaced
    by ``_``; no leading dot or dash; Windows device names (``con``, ``nul``, ...) prefixed; the
    stem cut to 150 UTF-8 bytes; the extension lower-cased.

    Args:
        name: The name the browser reported.

    Returns:
        A name that is a single path component (``upload`` when nothing usable is left).
    """
    # NFKC first: it turns fullwidth solidus and dots into "/" and "." before the split.
    base = unicodedata.normalize("NFKC", str(name))
    base = re.split(r"[\\/]", base)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE_CHARS.sub("_", base)
    base = re.sub(r"\s+", " ", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.lstrip(" .-").rstrip(" .")
    if not stem:
        stem = "upload"
    if _WINDOWS_RESERVED.match(stem.split(".")[0]):
        stem = f"_{stem}"
    stem = _cut_utf8(stem, _MAX_STEM_BYTES).rstrip(" .")
    suffix = suffix.lower()[:10]
    return f"{stem}.{suffix}" if suffix else stem


def sniff_content(head: bytes) -> str | None:
    """``zip``, ``ole`` or ``text`` from a file's first bytes; None for anything else."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if not head or head.startswith(_BINARY_MAGICS):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with a BOM (Excel's "Unicode Text"); the loader explains it
    sample = head[:_SNIFF_BYTES]
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in sample) + sample.count(127)
    # Same tolerance as the loader: a stray NUL in a CSV field is a row problem, not a type.
    return "text" if controls / len(sample) < 0.1 else None


def decode_upload(
    contents: object, filename: object, max_bytes: int
) -> UploadedFile | UploadRefused:
    """Check one ``dcc.Upload`` item (a ``data:...;base64,`` URL) without writing anything.

    Args:
        contents: The data URL the browser sent.
        filename: The name the browser sent (untrusted).
        max_bytes: The largest file accepted.

    Returns:
        The decoded file, or the reason it was refused.
    """
    original = filename if isinstance(filename, str) else ""

    def refuse(reason: str) -> UploadRefused:
        return UploadRefused(original, reason)

    if not isinstance(contents, str) or not original:
        return refuse("the upload was incomplete: try again")
    name = safe_filename(original)
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        return refuse("only .xlsx, .xlsm, .xls, .csv and .txt files can be loaded")
    header, comma, payload = contents.partition(",")
    if not comma or not header.startswith("data:") or not header.endswith(";base64"):
        return refuse("the upload was damaged in transit: try again")
    limit_text = format_size(max_bytes)
    if len(payload) > request_limit_bytes(max_bytes):
        return refuse(f"the file is larger than the {limit_text} limit")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return refuse("the upload was damaged in transit: try again")
    if not data:
        return refuse("the file is empty (0 bytes)")
    if len(data) > max_bytes:
        return refuse(f"the file is {format_size(len(data))}, over the {limit_text} limit")
    content = sniff_content(data[:_SNIFF_BYTES])
    if content is None:
        return refuse("the content is not a spreadsheet or a text export: save it as .xlsx or .csv")
    return UploadedFile(original_name=original, name=name, data=data, content=content)


# --------------------------------------------------------------------------- storage
class UnsafePath(ValueError):
    """A computed path would leave the upload folder (never expected; refused if it happens)."""


def upload_root(data_dir: Path) -> Path:
    """The folder uploads are stored in: ``<data_dir>/uploads``."""
    return Path(data_dir) / UPLOAD_FOLDER


def save_upload(upload: UploadedFile, data_dir: Path) -> Path:
    """Write ``upload`` to ``<data_dir>/uploads/<sha256>/<safe name>`` and return the path.

    The name is sanitised again here (defence in depth), the resolved path must be inside the
    upload folder, and the bytes are written to a temporary file in the same folder and renamed,
    so two uploads of the same file never see a half-written one. A ``<name>.json`` next to it
    keeps the original name, size and time (metadata only).

    Raises:
        UnsafePath: The path would leave the upload folder, or the extension is not allowed.
    """
    name = safe_filename(upload.name)
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise UnsafePath(f"extension not allowed: {name!r}")
    root = upload_root(data_dir)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    root_real = os.path.realpath(root)
    folder = root / upload.sha256
    target = folder / name
    _check_inside(target, root_real)
    folder.mkdir(mode=0o700, exist_ok=True)
    _check_inside(folder, root_real)
    if not (target.is_file() and not target.is_symlink() and target.stat().st_size == upload.size):
        _write_atomically(folder, target, upload.data)
    meta = {
        "original_name": upload.original_name,
        "name": name,
        "sha256": upload.sha256,
        "size": upload.size,
        "content": upload.content,
        "uploaded_at": datetime.now().replace(microsecond=0).isoformat(),
        "user": current_scope().user,
    }
    meta_path = folder / f"{name}.json"
    _check_inside(meta_path, root_real)
    _write_atomically(folder, meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    _check_inside(target, root_real)
    return target


def resolve_pending(token: object, data_dir: Path) -> SavedUpload | None:
    """Turn a token kept in the browser back into a stored upload, or None if it is not one.

    The token is untrusted: the hash must be 64 hex digits, the name must already be a safe
    name with an allowed extension, the file must be a regular file inside the upload folder,
    and its bytes must still hash to the folder's name.
    """
    if not isinstance(token, dict):
        return None
    sha, name, original = token.get("sha256"), token.get("name"), token.get("original")
    if not (isinstance(sha, str) and _SHA256.match(sha) and isinstance(name, str)):
        return None
    if name != safe_filename(name) or Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        return None
    root = upload_root(data_dir)
    path = root / sha / name
    try:
        _check_inside(path, os.path.realpath(root))
        if path.is_symlink() or not path.is_file():
            return None
        data = path.read_bytes()
    except (OSError, UnsafePath):
        return None
    if hashlib.sha256(data).hexdigest() != sha:
        return None
    shown = original if isinstance(original, str) else name
    return SavedUpload(shown, name, sha, len(data), path)


# --------------------------------------------------------------------------- the loader process
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
    command = [
        sys.executable,
        "-c",
        _BOOTSTRAP,
        str(memory_bytes),
        str(math.ceil(timeout) * 3),
        str(REJECTS_SHOWN),
        "ingest",
        *[str(p) for p in paths],
        "--data-dir",
        str(data_dir),
        "--json",
        *(["--dry-run"] if dry_run else []),
        *(["--standards", str(standards)] if standards else []),
        *[arg for path in mappings for arg in ("--mapping", str(path))],
    ]
    env = {**os.environ, **LOADER_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    for attempt in (1, 2):
        started = time.perf_counter()
        try:
            # A fixed argv and no shell; every path in it was built by this module.
            proc = subprocess.run(
                command,
                capture_output=True,
                timeout=timeout,
                cwd=ROOT,
                env=env,
                check=False,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            LOG.warning(
                "loader %s timed out after %.0f s (dry_run=%s)", reference, timeout, dry_run
            )
            message = _timeout_message(timeout, dry_run=dry_run)
            return LoaderResult(dry_run, error=message, reference=reference)
        seconds = time.perf_counter() - started
        stdout = proc.stdout.decode("utf-8", errors="replace")
        stderr = proc.stderr.decode("utf-8", errors="replace")
        LOG.info(
            "loader %s exit %s in %.1f s (dry_run=%s, files=%d)",
            reference,
            proc.returncode,
            seconds,
            dry_run,
            len(paths),
        )
        if stderr.strip():
            LOG.warning("loader %s stderr:\n%s", reference, stderr.strip())
        report = _parse_report(stdout) if proc.returncode in (0, 1) else None
        if report is None and attempt == 1 and any(word in stderr for word in _LOCK_WORDS):
            # Loaders queue on loader.lock, so this is not expected; one retry if it happens.
            time.sleep(1.0)
            continue
        break
    if report is None:
        message = loader_failure_message(proc.returncode, stderr)
        return LoaderResult(dry_run, error=message, reference=reference)
    files = tuple(_file_outcome(item, data_dir) for item in report.get("files", []))
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


# --------------------------------------------------------------------------- what the page calls
def check_upload(contents: object, filenames: object, settings: Settings) -> UploadCheck:
    """Decode, check and store the dropped files, then dry-run the loader on them.

    Args:
        contents: ``dcc.Upload.contents`` (a list of data URLs with ``multiple=True``).
        filenames: ``dcc.Upload.filename``.
        settings: Where the store is and the size limit.

    Returns:
        Refused files, stored files and the preview.
    """
    contents_list = contents if isinstance(contents, list) else [contents]
    names = filenames if isinstance(filenames, list) else [filenames]
    check = UploadCheck()
    if len(contents_list) != len(names) or len(contents_list) > MAX_FILES:
        reason = f"drop at most {MAX_FILES} files at once" if len(names) > MAX_FILES else ""
        check.refused.append(UploadRefused("", reason or "the upload was incomplete: try again"))
        _audit_refused(check.refused)
        return check
    max_bytes = max_upload_bytes(settings)
    remaining = max_bytes
    accepted: list[UploadedFile] = []
    for item, name in zip(contents_list, names, strict=True):
        outcome = decode_upload(item, name, max_bytes)
        if isinstance(outcome, UploadedFile) and outcome.size > remaining:
            outcome = UploadRefused(
                outcome.original_name,
                f"together the files are over the {format_size(max_bytes)} limit of one upload",
            )
        if isinstance(outcome, UploadRefused):
            check.refused.append(outcome)
            continue
        remaining -= outcome.size
        accepted.append(outcome)
    _audit_refused(check.refused)
    for upload in accepted:
        if not _room_for(upload, settings):
            check.refused.append(
                UploadRefused(upload.original_name, "the server's upload space is full")
            )
            continue
        try:
            path = save_upload(upload, settings.data_dir)
        except (OSError, UnsafePath):
            reference = uuid.uuid4().hex[:8]
            LOG.exception("upload %s: could not store %s", reference, ascii(upload.original_name))
            check.refused.append(
                UploadRefused(
                    upload.original_name,
                    f"the server could not store the file (reference {reference})",
                )
            )
            continue
        check.saved.append(
            SavedUpload(upload.original_name, path.name, upload.sha256, upload.size, path)
        )
        LOG.info(
            "upload stored: %s (%d bytes) as %s/%s by %s",
            ascii(upload.original_name),
            upload.size,
            upload.sha256,
            path.name,
            current_scope().user or "-",
        )
    if check.saved:
        check.result = run_loader(
            [u.path for u in check.saved],
            settings.data_dir,
            dry_run=True,
            standards=settings.standards,
        )
        _discard_refused(check, settings.data_dir)
    return check


def _room_for(upload: UploadedFile, settings: Settings) -> bool:
    """Make room under the upload quota (docs/security.md, "Uploads")."""
    return upload_quota.make_room(
        upload_root(settings.data_dir),
        upload.size,
        upload_quota.quota_bytes(settings.upload_quota_mb),
        keep=upload.sha256,
    )


def _discard_refused(check: UploadCheck, data_dir: Path) -> None:
    """Delete the stored files nothing can confirm.

    A file is kept when the dry run accepted it, or when it has a sheet whose headers the mapping
    step can show (an unrecognised sheet is mapped and previewed again from the stored file).
    """
    keep = {token["sha256"] for token in check.pending}
    if check.result is not None:
        for saved, outcome in zip(check.saved, check.result.files, strict=False):
            if any((sheet.mapping or {}).get("headers") for sheet in outcome.sheets):
                keep.add(saved.sha256)
    for saved in check.saved:
        if saved.sha256 not in keep:
            upload_quota.remove(saved.path.parent, upload_root(data_dir), "refused by the check")


def confirm_upload(
    tokens: object, settings: Settings, mappings: tuple[Path, ...] = ()
) -> LoadOutcome:
    """Load the previewed files for real and look up what ``load_runs`` recorded for them.

    Args:
        tokens: The page's pending list (untrusted: every entry is re-checked on the server).
        settings: Where the store is.
        mappings: Mapping files of the mapping step (see ``upload_mapping``).

    Returns:
        The loader's report, the ``load_runs`` record of each file, or why nothing was run.
    """
    items = tokens if isinstance(tokens, list) else []
    uploads = [resolve_pending(token, settings.data_dir) for token in items[:MAX_FILES]]
    if not items or len(items) > MAX_FILES or any(u is None for u in uploads):
        LOG.warning("confirm refused: pending list not recognised (%d entries)", len(items))
        return LoadOutcome(
            LoaderResult(dry_run=False),
            refused="The files to load were not recognised. Upload them again.",
        )
    saved = [u for u in uploads if u is not None]
    LOG.info(
        "load confirmed by %s: %s",
        current_scope().user or "-",
        ", ".join(f"{u.sha256[:12]}/{u.name}" for u in saved),
    )
    result = run_loader(
        [u.path for u in saved],
        settings.data_dir,
        dry_run=False,
        standards=settings.standards,
        mappings=mappings,
    )
    records = find_loads([u.sha256 for u in saved]) if result.ok else {}
    return LoadOutcome(result, saved, records)


def find_loads(sha256s: list[str]) -> dict[str, LoadRecord]:
    """The newest ``load_runs`` record per file hash (replays point at the original load)."""
    try:
        with db.snapshot() as snap:
            runs = snap.load_runs()
    except db.NoData:
        return {}
    runs = runs[runs["file_sha256"].isin(sha256s)].sort_values("load_id", ascending=False)
    newest = runs.drop_duplicates("file_sha256")
    return {
        row.file_sha256: LoadRecord(
            int(row.load_id),
            str(row.status),
            None if pd.isna(row.data_version) else int(row.data_version),
        )
        for row in newest.itertuples(index=False)
    }


def preview_rows(result: LoaderResult) -> list[dict[str, object]]:
    """One row per file and sheet for the preview table (kind, header row, counts)."""
    rows: list[dict[str, object]] = []
    for outcome in result.files:
        for sheet in outcome.sheets or (None,):
            rows.append(
                {
                    "file": outcome.file,
                    "sheet": (sheet.sheet if sheet else None) or "",
                    "kind": (sheet.kind if sheet else None) or "",
                    "header_row": (sheet.header_row if sheet else None) or "",
                    "read": sheet.rows_read if sheet else 0,
                    "loaded": sheet.rows_loaded if sheet else 0,
                    "rejected": sheet.rows_rejected if sheet else 0,
                    "ignored": sheet.rows_ignored if sheet else 0,
                }
            )
    return rows


def reject_rows(result: LoaderResult, limit: int = REJECTS_SHOWN) -> list[dict[str, object]]:
    """The first ``limit`` rejected rows over all files and sheets, with their reasons."""
    rows: list[dict[str, object]] = []
    for outcome in result.files:
        for sheet in outcome.sheets:
            for reject in sheet.rejects:
                if len(rows) >= limit:
                    return rows
                rows.append(
                    {
                        "file": outcome.file,
                        "sheet": sheet.sheet or "",
                        "row": reject.row if reject.row is not None else "",
                        "column": reject.column or "",
                        "reason": reject.reason,
                    }
                )
    return rows


# --------------------------------------------------------------------------- Flask wiring
def configure_uploads(server: Flask) -> None:
    """Limit request bodies to the upload limit and answer an oversized one with a clear 413.

    ``MAX_CONTENT_LENGTH`` is set from the settings at start-up; each request then takes the
    current setting, so ``configure(max_upload_mb=...)`` applies without a restart.
    """
    server.config["MAX_CONTENT_LENGTH"] = request_limit_bytes(max_upload_bytes(get_settings()))

    @server.before_request
    def limit_request_body() -> None:
        limit = request_limit_bytes(max_upload_bytes(get_settings()))
        request.max_content_length = limit  # a body without Content-Length stops at the limit
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()

    server.register_error_handler(413, _too_large)


def _too_large(_error: Exception) -> Response:
    limit = get_settings().max_upload_mb
    LOG.warning(
        "upload refused with 413: %s bytes to %s from %s (user %s, limit %g MB); nothing written",
        request.content_length,
        request.path,
        request.remote_addr,
        current_scope().user or "-",
        limit,
    )
    message = (
        f"The upload is too large: at most {limit:g} MB of files can be uploaded at once. "
        "Nothing was saved."
    )
    if request.path.startswith("/_dash") or request.is_json:
        response = jsonify({"error": message, "max_upload_mb": limit})
    else:
        response = Response(
            f"<!doctype html><title>PMO Lens</title><p>{escape(message)}</p>",
            mimetype="text/html",
        )
    response.status_code = 413
    return response


# --------------------------------------------------------------------------- helpers
def _audit_refused(refused: list[UploadRefused]) -> None:
    for item in refused:
        LOG.warning(
            "upload refused: %s by %s: %s",
            ascii(item.original_name),
            current_scope().user or "-",
            item.reason,
        )


def _check_inside(path: Path, root_real: str) -> None:
    real = os.path.realpath(path)
    if real == root_real or os.path.commonpath([real, root_real]) != root_real:
        raise UnsafePath(f"refusing a path outside the upload folder: {path!s}")


def _write_atomically(folder: Path, target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _cut_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def _timeout_message(timeout: float, *, dry_run: bool) -> str:
    if dry_run:
        return (
            f"Checking the files took longer than {timeout:.0f} seconds and was stopped. "
            "Split the file or delete unused sheets, and try again."
        )
    # The wait for another load's lock counts too, and a load stopped just after publishing
    # is in: loading again is safe because files already loaded are skipped (I5).
    return (
        f"Loading did not finish within {timeout:.0f} seconds and was stopped. Check the Data & "
        "compliance page, then load again if needed: files already loaded are skipped."
    )


def _parse_report(stdout: str) -> dict | None:
    candidates = [stdout.strip(), *reversed(stdout.strip().splitlines())]
    for text in candidates:
        if not text.startswith("{"):
            continue
        try:
            report = json.loads(text)
        except ValueError:
            continue
        if isinstance(report, dict) and isinstance(report.get("files"), list):
            return report
    return None


def _file_outcome(item: dict, data_dir: Path) -> FileOutcome:
    sheets = tuple(
        SheetOutcome(
            sheet=_text(sheet.get("sheet")),
            kind=_text(sheet.get("kind")),
            header_row=_int_or_none(sheet.get("header_row")),
            rows_read=_int_or_none(sheet.get("rows_read")) or 0,
            rows_loaded=_int_or_none(sheet.get("rows_loaded")) or 0,
            rows_rejected=_int_or_none(sheet.get("rows_rejected")) or 0,
            rows_ignored=_int_or_none(sheet.get("rows_ignored")) or 0,
            columns={
                str(k): str(v) for k, v in (sheet.get("columns") or {}).items() if v is not None
            },
            rejects=tuple(
                Reject(
                    _int_or_none(r.get("row")),
                    _text(r.get("column")),
                    _scrub(str(r.get("reason") or ""), data_dir),
                )
                for r in (sheet.get("rejects") or [])[:REJECTS_SHOWN]
            ),
            mapping=sheet.get("mapping") if isinstance(sheet.get("mapping"), dict) else None,
        )
        for sheet in item.get("sheets") or []
    )
    status = "ok" if item.get("status") == "ok" else "failed"
    return FileOutcome(
        file=str(item.get("file") or ""),
        status=status,
        message=_scrub(str(item.get("message") or ""), data_dir),
        sheets=sheets,
    )


def _scrub(message: str, data_dir: Path) -> str:
    """Loader messages are written for users; still, never show a server path or a traceback."""
    if "Traceback" in message:
        return "the file could not be processed"
    for folder in {str(upload_root(data_dir)), str(data_dir), os.path.realpath(data_dir)}:
        message = message.replace(folder + os.sep, "").replace(folder, "")
    return message[:500]


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _text(value: object) -> str | None:
    return None if value is None else str(value)
