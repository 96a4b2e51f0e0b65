"""Form submissions waiting in this process are published together, in one version.

Why: each publish copies the store and fsyncs it (docs/forms.md, "Concurrency").
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders import publish
from loaders.form_outcome import FormError, FormResult


@dataclass
class _Job:
    """One submission waiting for a publish (its own, or one folded with others)."""

    digest: str
    marker: dict
    write: Callable[[publish.Transaction, int], FormResult]
    replayed: Callable[..., FormResult]
    done: threading.Event = field(default_factory=threading.Event)
    result: FormResult | None = None
    error: BaseException | None = None


_pending: dict[Path, list[_Job]] = {}
_pending_lock = threading.Lock()
_leader = threading.Lock()


def publish_folded(
    data_dir: Path,
    digest: str,
    marker: dict,
    write: Callable[[publish.Transaction, int], FormResult],
    replayed: Callable[..., FormResult],
) -> FormResult:
    """Publish one submission; submissions waiting in this process are folded into one version.

    Why: each publish copies the store and fsyncs it, so 30 people submitting within a second
    would otherwise queue for 30 publishes (docs/forms.md, "Concurrency"). The first waiting
    thread becomes the leader and applies every queued submission in one transaction, each
    with its own load record and key; the others wait for it. Across processes the loader lock
    serialises publishes as for files. A submission is answered only after its version is
    published (fsynced), and a refused one writes nothing (every check precedes any write).
    """
    if publish.current_version(data_dir) is None:
        raise FormError("no published data yet: the PMO loads the register first")
    job = _Job(digest, marker, write, replayed)
    with _pending_lock:
        _pending.setdefault(data_dir, []).append(job)
    while not job.done.is_set():
        with _leader:
            if job.done.is_set():  # a previous leader published it
                break
            with _pending_lock:
                batch = _pending.pop(data_dir, [])
            _run_batch(data_dir, batch)
    if job.error is not None:
        raise job.error
    if job.result is None:  # pragma: no cover - done is set with a result or an error
        raise FormError("the submission was not processed; try again")
    return job.result


def _run_batch(data_dir: Path, batch: list[_Job]) -> None:
    """Every job of ``batch`` in one versioned transaction; each gets its result or error."""
    marker = {"files": [f for job in batch for f in job.marker["files"]]}
    try:
        with publish.transaction(data_dir, marker=marker) as txn:
            for job in batch:
                try:
                    found = txn.con.execute(
                        "SELECT load_id, data_version FROM load_runs "
                        "WHERE file_sha256 = ? AND status = 'committed'",
                        [job.digest],
                    ).fetchall()
                    if found:
                        job.result = job.replayed(txn.con, int(found[0][0]), found[0][1])
                    else:
                        job.result = job.write(txn, publish.next_load_id(txn.con))
                except FormError as exc:  # checks come before writes: nothing of it applied
                    job.error = exc
    except BaseException as exc:  # the version was not published: nothing of the batch holds
        for job in batch:
            job.result, job.error = None, job.error or exc
    finally:
        for job in batch:
            job.done.set()
