"""eventscope: news reports to a geolocated, sourced database of PLOVER events.

The library API the CLI is thin over::

    import eventscope
    events = eventscope.extract(text, published="2024-12-16")
    places = eventscope.geoparse(text)
    store = eventscope.Store("eventscope.db")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .record import Actor, Article, ArticleRef, Event, Evidence, Location, Toponym

__version__ = "0.1.0"

__all__ = [
    "Actor", "Article", "ArticleRef", "Event", "Evidence", "Location", "Toponym",
    "extract", "geoparse", "Store", "Filter", "__version__",
]

if TYPE_CHECKING:
    from .geo import geoparse
    from .pipeline import extract
    from .store import Store
    from .store.filter import Filter


def __getattr__(name: str) -> Any:
    # Lazy, so that `import eventscope` (and `eventscope --help`) stays fast.
    if name == "extract":
        from .pipeline import extract

        return extract
    if name == "geoparse":
        from .geo import geoparse

        return geoparse
    if name == "Store":
        from .store import Store

        return Store
    if name == "Filter":
        from .store.filter import Filter

        return Filter
    raise AttributeError(name)
