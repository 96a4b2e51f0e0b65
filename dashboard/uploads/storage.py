"""Where uploads are kept: ``<data_dir>/uploads/<sha256>/<safe name>``, both parts built here.

The resolved path must lie inside the upload folder before anything is written, and a token the
browser sends back is re-checked against the bytes on disk (docs/security.md, "Uploads"). The
original name is kept as metadata only and is only ever shown as text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime
from pathlib import Path

from dashboard.scope import current_scope
from dashboard.upload_outcomes import ALLOWED_SUFFIXES, SavedUpload
from dashboard.uploads.limits import UploadedFile, safe_filename
from loaders.atomic import write_atomically

UPLOAD_FOLDER = "uploads"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


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
        write_atomically(target, upload.data)
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
    write_atomically(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
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


def _check_inside(path: Path, root_real: str) -> None:
    real = os.path.realpath(path)
    if real == root_real or os.path.commonpath([real, root_real]) != root_real:
        raise UnsafePath(f"refusing a path outside the upload folder: {path!s}")
