"""What a form submission gives back: its result, or the reason it was refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class FormError(ValueError):
    """The submission was refused; nothing was written.

    Attributes:
        fields: Field name -> message, for messages shown next to a field.
    """

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


@dataclass(frozen=True)
class FormResult:
    """What a submission did.

    Attributes:
        record_id: The project id (status) or the request id (request).
        load_id: Its load record.
        version: The published version holding it.
        replay: True when the key had already been recorded (nothing written again).
        status: The request's status (``draft`` or ``submitted``), for a request.
        missing: The assessment fields still missing, for a request.
    """

    record_id: str
    load_id: int
    version: int | None
    replay: bool
    status: str | None = None
    missing: tuple[str, ...] = field(default_factory=tuple)
