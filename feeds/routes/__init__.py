"""The API's routers, one file per concern: lists and areas (``api``), feed formats (``feeds``),
the incremental change feed (``changes``) and the map page (``page``)."""
