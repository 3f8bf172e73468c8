"""Demo content as data (a package only so the JSON ships with the code; no code lives here).

- ``plaatsen.json``: the venues. Maastricht addresses are copied from
  ``data/maastricht_osm_poi_addresses.csv`` (street, house number, postcode, coordinates, buurt;
  OSM, ODbL) or are postcode-only centroids from ``data/maastricht_pc6_centroids.csv``; three are
  outside the municipality (Meerssen, Valkenburg aan de Geul, Lanaken). ``tests/test_demo_sites.py``
  checks them against those files.
- ``nieuws.json``, ``agenda.json``, ``vacatures.json``, ``uitagenda.json``,
  ``vrijwilligersbank.json``, ``buurtnetwerken.json``: one file per demo site. The activities,
  vacancies and news are invented for the demo (organisation and venue names are real Maastricht
  names); dates are day offsets from the day the demo starts.
- ``overlaps.json``: the planted cross-source duplicates and the look-alikes that must stay apart.

Each file's ``_uitleg`` explains its fields (``weergave`` = how a record shows its place).
"""
