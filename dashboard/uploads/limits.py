"""What an upload may be: sizes, names and content, checked before anything is written.

Limits are enforced on the server (docs/security.md, "Uploads"): ``dcc.Upload`` sends each file
base64-encoded inside the callback's JSON, a third larger than the file, so the request body
limit is sized for that, and every decoded file is checked again. A file is accepted only with an
allowlisted extension AND content the loader reads as a workbook or as text; the user's file
name is never used as a path.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from dashboard.config import Settings
from dashboard.upload_outcomes import ALLOWED_SUFFIXES, UploadRefused
from loaders.read import SNIFF_BYTES, ZIP_MAGIC, sniff_format

MAX_FILES = 20
MB = 1024 * 1024
# The callback body also carries file names, dates and the JSON around the base64 text.
REQUEST_OVERHEAD_BYTES = 256 * 1024
_UNSAFE_CHARS = re.compile(r"[^\w .()\-]+")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
_MAX_STEM_BYTES = 150


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
    """``zip``, ``ole`` or ``text`` from a file's first bytes; None for anything else.

    The loader's own ``sniff_format`` decides, so the upload check and the loader can never
    disagree about what a file is (docs/loaders.md, "Accepted files"). The one extra refusal
    here: an empty zip archive (an end record only) holds no workbook, so it is not stored.
    """
    kind = sniff_format(head)
    if kind == "xlsx":
        return "zip" if head.startswith(ZIP_MAGIC) else None
    return {"xls": "ole", "text": "text"}.get(kind)


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
    content = sniff_content(data[:SNIFF_BYTES])
    if content is None:
        return refuse("the content is not a spreadsheet or a text export: save it as .xlsx or .csv")
    return UploadedFile(original_name=original, name=name, data=data, content=content)


def _cut_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")
