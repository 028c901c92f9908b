"""The dashboard's questions answered in SQL, one module per page (the pandas versions, over
whole `ProgrammeTables`, are `analysis.frames`; each function here returns what its namesake
there returns for the filtered tables, and the tests hold them to it on SQLite and PostgreSQL).

A question is ``name(bind, filters, *args)`` → DataFrame (or dict); `scope` turns `Filters` into
SQL. A long list pages in the database: ``name(bind, filters, *args, start=0, stop=None)`` gives
rows start:stop, and ``name_count(bind, filters, *args)`` how many there are. Each module lists
its questions in ``__all__``; `question(name)` finds one.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

# One module per page question group; each lists its questions in __all__.
MODULES: tuple[str, ...] = (
    "overview",
    "sessions",
    "agencies",
    "themes",
    "recommendations",
    "present",
    "drill",
)


def question(name: str) -> Callable | None:
    """The SQL question called `name`, or None when no module answers it."""
    for module in MODULES:
        found = import_module(f"{__name__}.{module}")
        if name in getattr(found, "__all__", ()):
            return getattr(found, name)
    return None
