"""place -> point -> buurt: the offline gazetteer chain, polygons, and an optional online fallback.

``Locator.load(engine=None, settings=None)`` builds the chain once (bundled data, or the imported
boundaries and CBS address table of a database); ``locate(item)`` and ``explain(text)`` return a
``records.GeoResult`` with method, confidence, buurt, wijk, matched text and any conflict.
"""

from .boundaries import BoundarySet, Buurt
from .locator import Locator

__all__ = ["BoundarySet", "Buurt", "Locator"]
