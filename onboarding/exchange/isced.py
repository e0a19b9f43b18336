"""The ISCED-F 2013 fields of education and training, read from the data file shipped here.

``data/isced_f_2013.csv`` holds each broad field (two digits) and each
detailed field (four digits) with its English and Norwegian name. The detailed
codes are the subject areas of agreements and programmes, as in the EWP data.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

ISCED_FILE = Path(__file__).parent / "data" / "isced_f_2013.csv"


@dataclass(frozen=True)
class IscedEntry:
    code: str
    name_en: str
    name_nb: str

    @property
    def broad(self) -> str:
        return self.code[:2]

    @property
    def narrow(self) -> str:
        return self.code[:3]


@functools.cache
def isced_entries() -> tuple[IscedEntry, ...]:
    """Every row of the data file, in its order."""
    with ISCED_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            IscedEntry(code=row["code"], name_en=row["name_en"], name_nb=row["name_nb"])
            for row in csv.DictReader(handle)
        )


def isced_detailed() -> tuple[IscedEntry, ...]:
    """The four-digit detailed fields."""
    return tuple(entry for entry in isced_entries() if len(entry.code) == 4)


def isced_broad() -> dict[str, IscedEntry]:
    """The two-digit broad fields by code."""
    return {entry.code: entry for entry in isced_entries() if len(entry.code) == 2}
