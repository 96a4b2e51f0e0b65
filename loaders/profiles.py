"""Mapping profiles: a user's mapping of one sheet layout, saved by name and reused by headers.

A profile is the TOML of ``--mapping`` (``[columns]`` and per-kind tables) plus two optional
tables: ``[sheet]`` (``kind``, ``header_row``) and ``[profile]`` (``name``, the ``fingerprint``
of the header row it was made for, and those ``headers``). Profiles live in
``<data dir>/mappings/<slug>.toml``. A sheet with a row whose normalised header set has a saved
profile's fingerprint is loaded with that profile without being asked, and its message says
"mapping profile 'X' applied" (docs/loaders.md, "Mapping step and mapping profiles").

Every sheet's report also carries what a mapping step needs (:func:`describe`): the headers
seen, the header row, the fingerprint and, per kind, the column each header would map to.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from loaders import layout
from loaders.atomic import write_atomically
from loaders.headers import HEADER_SCAN_ROWS, find_header_row, normalise, resolve_headers
from loaders.kinds import TABLES
from loaders.mapping import near_miss
from loaders.read import RawSheet
from loaders.synonyms import SYNONYMS
from loaders.user_mapping import MappingError, UserMapping, load_user_mapping
from loaders.validate import Options, SheetResult
from loaders.validate import process_sheet as validate_sheet

PROFILE_FOLDER = "mappings"
NAME_MAX = 80
_SLUG_MAX = 60
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
_SLUG_OUT = re.compile(r"[^a-z0-9]+")
#: How close a header must be to a synonym to be offered as a guess (difflib ratio).
GUESS_CUTOFF = 0.8

__all__ = [
    "Profile",
    "ProfileSet",
    "clean_name",
    "delete_profile",
    "describe",
    "dumps",
    "fingerprint",
    "list_profiles",
    "process_sheet",
    "read_mapping",
    "rename_profile",
    "resolve",
    "save_profile",
    "slug",
    "suggestion",
]


@dataclass(frozen=True)
class Profile:
    """One mapping: from a file named on the command line, a draft, or a saved profile.

    Attributes:
        name: Display name (user text: shown escaped, never used as a path).
        mapping: Column mappings (``[columns]`` and per-kind tables).
        kind: Table the sheet loads into (``[sheet] kind``), None to detect it.
        header_row: Spreadsheet row of the headers (``[sheet] header_row``), None to detect it
            (a fingerprinted profile then uses the row its headers were found on).
        fingerprint: Header fingerprint it was made for (see :func:`fingerprint`); None
            applies the mapping to every sheet.
        headers: The headers it was made for, as shown to the user.
        saved_at: When it was saved (ISO time), for listings and "newest wins".
        path: The file it was read from.
    """

    name: str
    mapping: UserMapping = field(default_factory=UserMapping)
    kind: str | None = None
    header_row: int | None = None
    fingerprint: str | None = None
    headers: tuple[str, ...] = ()
    saved_at: str | None = None
    path: Path | None = None

    @property
    def targets_sheets(self) -> bool:
        """Whether it says more than column names (kind, header row or headers it is for)."""
        return bool(self.kind or self.header_row or self.fingerprint)

    def columns(self) -> dict[str, str]:
        """Header -> canonical column (``""`` = not loaded), the kind's table over [columns]."""
        merged = dict(self.mapping.common)
        if self.kind:
            merged.update(self.mapping.per_kind.get(self.kind, {}))
        return merged


# --------------------------------------------------------------------------- names and fingerprints
def fingerprint(cells: list[Any]) -> str | None:
    """The normalised header set of a row, hashed: order, case, spacing and units ignored.

    Returns None for a row with fewer than two headers (not a header row worth matching).
    """
    keys = sorted({normalise(c) for c in cells if c is not None} - {""})
    if len(keys) < 2:
        return None
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:16]


def clean_name(name: object) -> str:
    """A profile name fit to keep and show: no control characters, spaces collapsed, cut short.

    Raises:
        MappingError: Nothing usable is left, or the name has no letter or digit.
    """
    text = "".join(ch for ch in str(name or "") if unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()[:NAME_MAX].strip()
    if not any(ch.isalnum() for ch in text):
        raise MappingError("a profile name needs at least one letter or digit")
    return text


def slug_or_none(name: str) -> str | None:
    """The file stem for a profile name (letters, digits, dashes), or None when empty."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = _SLUG_OUT.sub("-", ascii_text.lower()).strip("-")[:_SLUG_MAX].strip("-")
    if not stem:
        # A name in another script keeps a stable, safe stem of its own.
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
        stem = f"profile-{digest}" if name.strip() else ""
    return stem or None


def slug(name: str) -> str:
    """The file stem of a profile: never a path (no dots, slashes or separators survive)."""
    stem = slug_or_none(clean_name(name))
    if stem is None:  # (clean_name already refused such a name)
        raise MappingError("a profile name needs at least one letter or digit")
    return stem


def profile_folder(data_dir: Path) -> Path:
    """Where profiles are kept: ``<data dir>/mappings``."""
    return Path(data_dir) / PROFILE_FOLDER


def _profile_path(data_dir: Path, name: str) -> Path:
    folder = profile_folder(data_dir)
    path = folder / f"{slug(name)}.toml"
    real_folder = os.path.realpath(folder)
    if os.path.commonpath([os.path.realpath(path), real_folder]) != real_folder:
        raise MappingError("a profile name cannot leave the profile folder")
    return path


# --------------------------------------------------------------------------- reading
def read_mapping(path: Path, *, default_name: str | None = None) -> Profile:
    """Read a mapping file or profile and check every entry.

    Raises:
        MappingError: The file cannot be read, or an entry is not valid (named in the message).
    """
    mapping = load_user_mapping(path)  # columns, sections and canonical names checked there
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    where = f"mapping file {path.name}"
    sheet = data.get("sheet", {})
    meta = data.get("profile", {})
    if not isinstance(sheet, dict) or not isinstance(meta, dict):
        raise MappingError(f"{where}: [sheet] and [profile] must be tables")
    unknown = (set(sheet) - {"kind", "header_row"}) | (
        set(meta) - {"name", "fingerprint", "headers", "saved_at"}
    )
    if unknown:
        raise MappingError(f"{where}: unknown setting {sorted(unknown)[0]!r}")
    kind = sheet.get("kind")
    if kind is not None and kind not in TABLES:
        raise MappingError(
            f"{where}: [sheet] kind = {kind!r} is not a table; expected one of {', '.join(TABLES)}"
        )
    header_row = sheet.get("header_row")
    if header_row is not None and (
        not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1
    ):
        raise MappingError(f"{where}: [sheet] header_row must be a row number (1, 2, …)")
    if header_row is not None and header_row > HEADER_SCAN_ROWS:
        raise MappingError(
            f"{where}: [sheet] header_row = {header_row}: the header must be in the first "
            f"{HEADER_SCAN_ROWS} rows"
        )
    print_ = meta.get("fingerprint")
    if print_ is not None and not (isinstance(print_, str) and _FINGERPRINT.match(print_)):
        raise MappingError(f"{where}: [profile] fingerprint must be 16 hexadecimal digits")
    headers = meta.get("headers", [])
    if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
        raise MappingError(f"{where}: [profile] headers must be a list of texts")
    name = meta.get("name", default_name or path.stem)
    if not isinstance(name, str):
        raise MappingError(f"{where}: [profile] name must be a text")
    saved_at = meta.get("saved_at")
    return Profile(
        name=clean_name(name),
        mapping=mapping,
        kind=kind,
        header_row=header_row,
        fingerprint=print_,
        headers=tuple(headers),
        saved_at=str(saved_at) if saved_at is not None else None,
        path=path,
    )


def list_profiles(data_dir: Path) -> tuple[list[Profile], list[str]]:
    """The saved profiles, newest first, and a message for each profile file that is broken."""
    folder = profile_folder(data_dir)
    if not folder.is_dir():
        return [], []
    found, problems = [], []
    for path in sorted(folder.glob("*.toml")):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            found.append(read_mapping(path))
        except (MappingError, OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"mapping profile {path.name} ignored: {exc}")
    found.sort(key=lambda p: (p.saved_at or "", p.name), reverse=True)
    return found, problems


def find_profile(data_dir: Path, name: str) -> Profile | None:
    """The saved profile called ``name`` (names compare by their file stem), or None."""
    try:
        wanted = slug(name)
    except MappingError:
        return None
    profiles, _ = list_profiles(data_dir)
    return next((p for p in profiles if p.path is not None and p.path.stem == wanted), None)


def resolve(ref: str, data_dir: Path) -> Profile:
    """``--mapping REF``: a mapping file when such a file exists, else a saved profile's name.

    Raises:
        MappingError: Neither a file nor a profile of that name exists.
    """
    path = Path(ref)
    if path.is_file():
        return read_mapping(path)
    found = find_profile(data_dir, ref)
    if found is None:
        profiles, _ = list_profiles(data_dir)
        known = ", ".join(f"'{p.name}'" for p in profiles) or "none saved yet"
        raise MappingError(
            f"no mapping file or profile called '{ref}' (profiles: {known}); "
            "save one with --save-mapping NAME"
        )
    return found


# --------------------------------------------------------------------------- writing
def dumps(profile: Profile, *, notes: dict[str, str] | None = None, intro: str = "") -> str:
    """The profile as TOML; ``notes`` adds a comment after a header's line, ``intro`` on top."""
    lines = [f"# {line}".rstrip() for line in intro.splitlines()]
    meta: dict[str, Any] = {"name": profile.name}
    if profile.fingerprint:
        meta["fingerprint"] = profile.fingerprint
    if profile.headers:
        meta["headers"] = list(profile.headers)
    if profile.saved_at:
        meta["saved_at"] = profile.saved_at
    lines += ["[profile]", *_pairs(meta)]
    sheet = {k: v for k, v in (("kind", profile.kind), ("header_row", profile.header_row)) if v}
    if sheet:
        lines += ["", "[sheet]", *_pairs(sheet)]
    sections = [("columns", profile.mapping.common), *profile.mapping.per_kind.items()]
    for section, entries in sections:
        if not entries and section != profile.kind:
            continue
        lines += ["", f"[{section}]"]
        for header, column in entries.items():
            note = (notes or {}).get(header)
            lines.append(_pairs({header: column})[0] + (f"  # {note}" if note else ""))
    return "\n".join(lines) + "\n"


def save_profile(data_dir: Path, profile: Profile, *, now: datetime | None = None) -> Profile:
    """Write ``profile`` as ``<data dir>/mappings/<slug>.toml`` (atomic, fsynced).

    A profile of the same name is replaced. The file is written to a temporary file in the same
    folder, flushed to disk and renamed, so a reader never sees half a profile.
    """
    name = clean_name(profile.name)
    stamp = (now or datetime.now()).replace(microsecond=0).isoformat()
    saved = replace(profile, name=name, header_row=None, saved_at=stamp)
    target = _profile_path(data_dir, name)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomically(target, dumps(saved).encode("utf-8"))
    return replace(saved, path=target)


def rename_profile(data_dir: Path, old: str, new: str) -> Profile:
    """Give a saved profile a new name (and file).

    Raises:
        MappingError: No profile is called ``old``, or another one is already called ``new``.
    """
    found = find_profile(data_dir, old)
    if found is None or found.path is None:
        raise MappingError(f"no mapping profile called '{old}'")
    new_name = clean_name(new)
    target = _profile_path(data_dir, new_name)
    if target.exists() and target != found.path:
        raise MappingError(f"a mapping profile called '{new_name}' exists already")
    renamed = replace(found, name=new_name, path=target)
    write_atomically(target, dumps(renamed).encode("utf-8"))
    if target != found.path:
        found.path.unlink()
    return renamed


def delete_profile(data_dir: Path, name: str) -> Profile:
    """Delete a saved profile; return what was deleted.

    Raises:
        MappingError: No profile has that name.
    """
    found = find_profile(data_dir, name)
    if found is None or found.path is None:
        raise MappingError(f"no mapping profile called '{name}'")
    found.path.unlink()
    return found


def _pairs(values: dict[str, Any]) -> list[str]:
    """``key = value`` lines, quoted and escaped by tomli_w (headers are arbitrary user text)."""
    return [tomli_w.dumps({k: v}).strip() for k, v in values.items()]


# --------------------------------------------------------------------------- applying
@dataclass
class ProfileSet:
    """The mappings a load may apply: named on the command line first, then saved profiles.

    Attributes:
        explicit: ``--mapping`` files or profiles that set a kind, header row or fingerprint.
        saved: Profiles in the data folder, newest first (matched by fingerprint only).
        problems: Profile files that could not be read (reported, never fatal).
    """

    explicit: list[Profile] = field(default_factory=list)
    saved: list[Profile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, data_dir: Path, explicit: list[Profile] | None = None) -> ProfileSet:
        """The explicit mappings plus every readable profile saved in ``data_dir``."""
        saved, problems = list_profiles(data_dir)
        return cls(list(explicit or []), saved, problems)

    def choose(self, raw: RawSheet, head: list[list[Any]]) -> tuple[Profile, int | None] | None:
        """The mapping for one sheet and the grid index of its header row (None: detect it).

        An explicit mapping with a fingerprint applies where its headers are found, one without
        applies to every sheet; a saved profile applies only where its headers are found.
        """
        prints: list[str | None] | None = None
        for candidates, need_print in ((self.explicit, False), (self.saved, True)):
            for profile in candidates:
                if profile.fingerprint is None:
                    if need_print:
                        continue
                    return profile, _row_index(raw, head, profile.header_row)
                if prints is None:
                    prints = [fingerprint(row) for row in head[:HEADER_SCAN_ROWS]]
                if profile.fingerprint in prints:
                    found = prints.index(profile.fingerprint)
                    index = _row_index(raw, head, profile.header_row)
                    return profile, found if index is None else index
        return None


def process_sheet(raw: RawSheet, options: Options, profiles: ProfileSet | None) -> SheetResult:
    """:func:`loaders.validate.process_sheet` with the sheet's mapping profile, if one applies.

    The sheet's report gains ``mapping`` (see :func:`describe`) and, when a profile applied,
    the message "mapping profile 'X' applied" (or "mapping 'X' applied" for one named on the
    command line).
    """
    if raw.skip_reason or not len(raw.grid):
        return validate_sheet(raw, options)
    if raw.merged:
        # Filled here so the headers matched and reported are the ones the loader maps
        # (validate fills them again: the same values, so the same result).
        layout.fill_merged(raw)
    head = layout.preview(raw)
    chosen = profiles.choose(raw, head) if profiles else None
    sheet_options = options
    if chosen is not None:
        profile, index = chosen
        user = _merge(options.user_mapping, profile.mapping, header_index=index)
        sheet_options = replace(options, kind=options.kind or profile.kind, user_mapping=user)
    result = validate_sheet(raw, sheet_options)
    result.mapping = describe(raw, head, result, sheet_options.user_mapping)
    if chosen is not None and result.kind is not None:
        profile = chosen[0]
        saved = profiles is not None and any(profile is p for p in profiles.saved)
        label = f"mapping profile '{profile.name}'" if saved else f"mapping '{profile.name}'"
        result.mapping["profile"] = profile.name
        result.mapping["applied"] = f"{label} applied"
        result.message = "; ".join(filter(None, [f"{label} applied", result.message]))
    return result


def _row_index(raw: RawSheet, head: list[list[Any]], row: int | None) -> int | None:
    """The grid index of spreadsheet row ``row`` within the preview, or None."""
    if row is None:
        return None
    found = np.flatnonzero(np.asarray(raw.row_numbers[: len(head)]) == row)
    return int(found[0]) if len(found) else None


def _merge(
    base: UserMapping | None, extra: UserMapping, *, header_index: int | None
) -> UserMapping:
    base = base or UserMapping()
    per_kind = {k: dict(v) for k, v in base.per_kind.items()}
    for kind, entries in extra.per_kind.items():
        per_kind.setdefault(kind, {}).update(entries)
    return UserMapping({**base.common, **extra.common}, per_kind, header_index)


# --------------------------------------------------------------------------- describing
def describe(
    raw: RawSheet, head: list[list[Any]], result: SheetResult, user: UserMapping | None
) -> dict[str, Any] | None:
    """What the mapping step shows for a sheet: headers, header row, fingerprint, guesses.

    ``guesses`` maps each kind to {header: column} as detection alone (synonyms, no user
    mapping) would map the headers; for a sheet no kind fits, near misses of a synonym count
    too. ``kind_guess`` is the detected kind, or the kind with most guessed columns.

    Returns:
        None when the sheet has no row to take headers from.
    """
    if result.header_row is not None:
        index = _row_index(raw, head, result.header_row)
    else:
        index = find_header_row(head, user)
        if index is None:  # a title line ("Exported 2026-11-20") is not the header
            filled = [sum(1 for c in row if c) for row in head]
            index = next((i for i, n in enumerate(filled) if n >= 2), None)
            index = next((i for i, n in enumerate(filled) if n), None) if index is None else index
    if index is None or index >= len(head):
        return None
    names = layout.header_names(head, index, user)
    guesses = {
        kind: {names[p]: column for p, column in resolve_headers(names, kind).columns.items()}
        for kind in TABLES
    }
    if result.kind is None:
        for kind, found in guesses.items():
            found.update(_near_guesses(names, kind, set(found.values()), set(found)))
    kind_guess = result.kind or _best_kind(names, guesses)
    return {
        "headers": names,
        "header_row": int(raw.row_numbers[index]),
        "fingerprint": fingerprint(head[index]),
        "profile": None,
        "applied": None,
        "kind_guess": kind_guess,
        "guesses": guesses,
    }


def _near_guesses(names: list[str], kind: str, taken: set[str], done: set[str]) -> dict:
    """Headers that end with or are close to one of ``kind``'s synonyms."""
    synonyms = {normalise(s): column for column, names_ in SYNONYMS[kind].items() for s in names_}
    found: dict[str, str] = {}
    for name in names:
        key = normalise(name)
        if not key or name in done:
            continue
        # "Scheme Ref" ends with a synonym ("ref"); "Proj Refernce" is one, misspelt.
        ends = sorted((s for s in synonyms if len(s) >= 3 and key.endswith(s)), key=len)
        close = ends[-1:] or difflib.get_close_matches(
            key, list(synonyms), n=1, cutoff=GUESS_CUTOFF
        )
        if close and synonyms[close[0]] not in taken:
            found[name] = synonyms[close[0]]
            taken.add(synonyms[close[0]])
    return found


def _best_kind(names: list[str], guesses: dict[str, dict[str, str]]) -> str | None:
    almost = near_miss(names)
    if almost:
        return almost[0]
    counts = {kind: len(set(found.values())) for kind, found in guesses.items()}
    kind = max(counts, key=lambda k: counts[k])  # first of equals: the order of TABLES
    return kind if counts[kind] else None


def suggestion(file: str, sheet: SheetResult) -> str | None:
    """A commented mapping file for one sheet, to edit (``--suggest-mapping``)."""
    info = sheet.mapping
    if not info:
        return None
    kind = sheet.kind or info.get("kind_guess")
    guessed = (info.get("guesses") or {}).get(kind or "", {})
    headers = [h for h in info["headers"] if h]
    columns = {h: guessed.get(h, "") for h in headers}
    notes = {
        h: "guess" if guessed.get(h) else "not loaded unless you name a column" for h in headers
    }
    where = f"sheet '{sheet.sheet}' of {file}" if sheet.sheet else file
    allowed = kind or "the table named in [sheet] kind"
    intro = "\n".join(
        [
            f"Mapping for {where} (headers on row {info['header_row']}),",
            "made by --suggest-mapping.",
            'Each line maps a source header to a column: "header" = "column"; "" = not loaded.',
            f"Columns of {allowed}: "
            + (
                _column_list(kind)
                if kind
                else 'see docs/loaders.md, "Mapping step and mapping profiles"'
            ),
            f"Tables: {', '.join(TABLES)}.",
            "Load with: python -m loaders ingest FILE --mapping THIS.toml",
            "and add --save-mapping NAME to reuse it for files with the same headers.",
            "",
        ]
    )
    profile = Profile(
        name=Path(file).stem or "mapping",
        mapping=UserMapping(
            per_kind={kind: columns} if kind else {}, common={} if kind else columns
        ),
        kind=kind,
        header_row=info["header_row"],
        fingerprint=info.get("fingerprint"),
        headers=tuple(headers),
    )
    return dumps(profile, notes=notes, intro=intro)


def _column_list(kind: str) -> str:
    spec = TABLES[kind]
    return ", ".join(c + (" (required)" if c in spec.required else "") for c in spec.columns)
