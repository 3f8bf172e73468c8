"""Normalisers: pure functions from a crawler's ``RawRecord`` to the one canonical ``Item``.

    from tim.normalizers import normalize
    item = normalize(raw, source)      # raises errors.RecordError naming source, key, raw hash

One module per concern: ``text`` (plain text, sanitised HTML, caps), ``urls`` (safe and
canonical URLs), ``dates`` (anything -> aware UTC), ``categories`` (category and kind
vocabularies), ``place`` (coordinates, postcodes, address parts via ``address``), ``item``
(``normalize`` itself). Vocabularies are data files in ``data/`` (``categories.csv``,
``kinds.csv``, ``date_words.csv``), read through ``vocab``.
"""

from .categories import map_categories, map_kind, normalize_label, slugify
from .dates import (
    AMSTERDAM,
    order_range,
    parse_datetime,
    parse_datetime_range,
    parse_time_of_day,
)
from .item import item_id, normalize, source_key
from .place import clean_point, normalize_housenumber, normalize_postcode, parse_coordinate
from .text import (
    cap,
    clean_text,
    html_to_text,
    safe_html_to_text,
    sanitize_html,
)
from .urls import canonical_url, safe_http_url, safe_link

__all__ = [
    "AMSTERDAM", "canonical_url", "cap", "clean_point", "clean_text", "html_to_text", "item_id",
    "map_categories", "map_kind", "normalize", "normalize_housenumber", "normalize_label",
    "normalize_postcode",
    "order_range", "parse_coordinate", "parse_datetime", "parse_datetime_range",
    "parse_time_of_day", "safe_html_to_text", "safe_http_url", "safe_link", "sanitize_html",
    "slugify", "source_key",
]
