"""A person's own data, read from the register: "Download my data" as JSON, a page or a zip.

Nothing here names an app's models: every model, field and file comes from
the register (``register.py``), so a model that joins the register joins the
download. Labels and readable values are in the active language; the JSON
keys are the models' labels and field names, the same in both languages.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .register import PersonalData, exported_entries

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Value:
    """One field of one row: its name, its label, its value in JSON and in words."""

    name: str
    label: str
    data: Any
    text: str


@dataclass
class Row:
    pk: Any
    values: list[Value]
    # The names the row's files have in the zip (``files/<model>/<pk>-<name>``).
    files: list[str] = field(default_factory=list)


@dataclass
class Section:
    """The rows of one model in the register that are about the person."""

    entry: PersonalData
    rows: list[Row]

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def title(self) -> str:
        return str(self.entry.title)

    @property
    def retention(self) -> str:
        return self.entry.retention_text()


@dataclass
class PersonalDataCopy:
    """Everything the register says the site holds about one person."""

    email: str
    generated_at: datetime
    sections: list[Section]

    @property
    def has_files(self) -> bool:
        return any(row.files for section in self.sections for row in section.rows)


def _text(row: models.Model, model_field: Any, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if model_field.is_relation:
        return str(value)
    if model_field.choices:
        return str(getattr(row, f"get_{model_field.name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return str(formats.localize(timezone.localtime(value)))
    if isinstance(value, date):
        return str(formats.localize(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return str(value)


def _data(model_field: Any, value: Any) -> Any:
    if value is None:
        return None
    if model_field.is_relation:
        return str(value)
    if isinstance(value, list | tuple | dict | bool | int | float | datetime | date):
        return value
    return str(value)


def _file_name(entry: PersonalData, pk: Any, name: str) -> str:
    safe = re.sub(r"[^\w.\- ]", "_", name).strip(" .") or "file"
    return f"files/{entry.key}/{pk}-{safe}"


def _rows(entry: PersonalData, user: Any) -> list[Row]:
    meta = entry.model._meta
    related = [
        name
        for name in entry.exported_fields
        if meta.get_field(name).is_relation and not meta.get_field(name).many_to_many
    ]
    rows = entry.rows_of(user).filter(**entry.shown)
    if related:
        rows = rows.select_related(*related)
    result = []
    for row in rows:
        values = []
        for name in entry.exported_fields:
            model_field: Any = meta.get_field(name)
            value = getattr(row, name)
            values.append(
                Value(
                    name=name,
                    label=str(model_field.verbose_name),
                    data=_data(model_field, value),
                    text=_text(row, model_field, value),
                )
            )
        files = []
        if entry.files is not None:
            for name, handle in entry.files(row):
                handle.close()
                files.append(_file_name(entry, row.pk, name))
        result.append(Row(pk=row.pk, values=values, files=files))
    return result


def personal_data_copy(*, user: Any) -> PersonalDataCopy:
    """Every exported entry of the register with the rows about ``user`` (empty ones left out)."""
    sections = []
    for entry in exported_entries():
        rows = _rows(entry, user)
        if rows:
            sections.append(Section(entry=entry, rows=rows))
    return PersonalDataCopy(email=user.email, generated_at=timezone.now(), sections=sections)


def personal_data_json(copy: PersonalDataCopy) -> str:
    """The copy as JSON (its format is described in docs/privacy.md)."""
    document = {
        "format": FORMAT_VERSION,
        "generated_at": copy.generated_at,
        "person": copy.email,
        "data": {
            section.key: {
                "title": section.title,
                "purpose": str(section.entry.purpose.label),
                "legal_basis": str(section.entry.legal_basis.label),
                "retention": section.retention,
                "rows": [
                    {
                        **{value.name: value.data for value in row.values},
                        **({"files": row.files} if row.files else {}),
                    }
                    for row in section.rows
                ],
            }
            for section in copy.sections
        },
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def personal_data_zip(copy: PersonalDataCopy, *, user: Any) -> IO[bytes]:
    """A zip of ``data.json`` and every file the copy names, rewound and ready to send."""
    archive = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("data.json", personal_data_json(copy))
        for section in copy.sections:
            opener = section.entry.files
            if opener is None:
                continue
            rows = {row.pk: row for row in section.rows if row.files}
            for instance in section.entry.rows_of(user).filter(pk__in=list(rows)):
                for name, handle in opener(instance):
                    with handle:
                        target = _file_name(section.entry, instance.pk, name)
                        with zipped.open(target, "w") as out:
                            shutil.copyfileobj(handle, out)
    archive.seek(0)
    return archive
