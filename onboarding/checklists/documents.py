"""Documents students upload on checklist items: what is accepted, and where it is kept.

Uploads are personal data. They are stored under ``PRIVATE_MEDIA_ROOT``,
outside the public media folder, under a random name with the extension of
the type found in the content (never the name the student gave), and are
only ever sent back through a view that checks who asks, as an attachment
with ``X-Content-Type-Options: nosniff``. A file is accepted when its first
bytes are those of a PDF, JPEG or PNG, its name's last extension says the
same type, and it is not larger than ``MAX_DOCUMENT_BYTES``: a script
renamed ``.pdf``, ``letter.pdf.exe`` or ``photo.png.html`` are refused.
Nothing uploaded is ever opened, parsed or run on the server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

from .errors import ChecklistError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Whole days a document is kept after it was uploaded; ``documents_purge`` erases older ones.
DEFAULT_RETENTION_DAYS = 365


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]


DOCUMENT_TYPES = (
    DocumentType("application/pdf", "pdf", ("pdf",), (b"%PDF-",)),
    DocumentType("image/jpeg", "jpg", ("jpg", "jpeg"), (b"\xff\xd8\xff",)),
    DocumentType("image/png", "png", ("png",), (b"\x89PNG\r\n\x1a\n",)),
)
ACCEPT = ",".join(
    [t.content_type for t in DOCUMENT_TYPES]
    + [f".{ext}" for t in DOCUMENT_TYPES for ext in t.extensions]
)


@cache
def private_storage() -> FileSystemStorage:
    """Where uploads are kept: a folder the web server does not serve (no base URL)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def retention_days() -> int:
    return int(getattr(settings, "CHECKLIST_DOCUMENT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def document_type_of(*, name: str, head: bytes) -> DocumentType | None:
    """The accepted type whose first bytes ``head`` has and whose extension ends ``name``."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for kind in DOCUMENT_TYPES:
        if head.startswith(kind.magic) and extension in kind.extensions:
            return kind
    return None


def document_check(*, name: str, size: int, stream: IO[bytes]) -> DocumentType:
    """The type of an upload, or ``ChecklistError`` ``too_large``, ``empty`` or ``wrong_type``."""
    if size > MAX_DOCUMENT_BYTES:
        raise ChecklistError(
            code="too_large",
            message=_("The file is larger than 10 MB. Scan it at a lower resolution, or as PDF."),
        )
    if size == 0:
        raise ChecklistError(code="empty", message=_("The file is empty."))
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    kind = document_type_of(name=name, head=head)
    if kind is None:
        raise ChecklistError(
            code="wrong_type",
            message=_("Upload a PDF, JPEG or PNG file (its name ending .pdf, .jpg or .png)."),
        )
    return kind


def stored_name(*, student_id: int, kind: DocumentType) -> str:
    """A new random name for an upload: the student's folder, a UUID, the type's extension."""
    return f"checklists/{student_id}/{uuid.uuid4().hex}.{kind.extension}"
