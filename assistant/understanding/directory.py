"""What a question's names are resolved against, derived once per list of report metadata.

A province's catalog holds thousands of reports but far fewer bodies (10,000 generated reports
name 1,440): every question used to walk every report to collect the bodies and their aliases,
~20 ms a question at 10,000 reports. A serving process keeps one metadata list per catalog
version, so what is derived from it is kept with it, keyed by the list itself.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.model import ReportMeta


@dataclass(frozen=True)
class Directory:
    agencies: tuple[str, ...]  # each body once, in the order the reports first name it
    aliases: tuple[tuple[str, tuple[str, ...]], ...]  # (body, its aliases), each pair once
    by_first: dict[str, tuple[str, ...]]  # first character → the bodies and aliases starting with it, longest first

    @classmethod
    def of(cls, reports: Sequence[ReportMeta]) -> Directory:
        pairs = tuple(dict.fromkeys((m.agency, tuple(m.aliases)) for m in reports))
        names = sorted({n for agency, aliases in pairs for n in (agency, *aliases) if n}, key=len, reverse=True)
        by_first: dict[str, list[str]] = {}
        for name in names:
            by_first.setdefault(name[0], []).append(name)
        return cls(tuple(dict.fromkeys(agency for agency, _ in pairs)), pairs,
                   {first: tuple(found) for first, found in by_first.items()})

    def names_in(self, text: str) -> list[str]:
        """The bodies and aliases ``text`` contains, longest first."""
        found = {n for first in set(text) for n in self.by_first.get(first, ()) if n in text}
        return sorted(found, key=len, reverse=True)


_KEPT = 4  # a serving process holds one list, or two across a reload
_directories: OrderedDict[int, tuple[Sequence[ReportMeta], int, Directory]] = OrderedDict()
_lock = threading.Lock()


def directory(reports: Sequence[ReportMeta]) -> Directory:
    """The directory of ``reports``, computed the first time this very list is asked about (the
    list is held with it, so its id is not reused meanwhile)."""
    with _lock:
        kept = _directories.get(id(reports))
        if kept is not None and kept[0] is reports and kept[1] == len(reports):
            _directories.move_to_end(id(reports))
            return kept[2]
    made = Directory.of(reports)
    with _lock:
        _directories[id(reports)] = (reports, len(reports), made)
        while len(_directories) > _KEPT:
            _directories.popitem(last=False)
    return made
