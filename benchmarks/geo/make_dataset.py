"""Write the labelled geo benchmark set ``benchmarks/geo/geo_benchmark.jsonl`` from the data files.

Run: ``python benchmarks/geo/make_dataset.py`` (deterministic: seeded). Each line is one input::

    {"id": ..., "category": ..., "text": ..., "ref_buurt": "BU..." | null, "ref_source": ...}

The reference of an address, a PC6 or a venue is the buurt its own point lies in (point-in-polygon on
the bundled CBS 2024 polygons); of a buurt mention, the buurt named; out-of-area and no-place inputs
have no buurt. Categories: well_formed, messy, postcode_only, venue, buurt_mention, coordinates,
out_of_area, no_place.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

from tim.geo import data
from tim.geo.gazetteer import Gazetteer
from tim.normalizers.address import fold

OUT = HERE / "geo_benchmark.jsonl"
rng = random.Random(20241)


def own_buurt(b, lat: float, lon: float) -> str | None:
    idx = b.locate(lon, lat)
    return b.codes[idx] if idx >= 0 else None


def fmt_pc(pc: str, style: int) -> str:
    return [f"{pc[:4]} {pc[4:]}", pc, pc.lower(), f"{pc[:4]} {pc[4:].lower()}", f"{pc[:4]}  {pc[4:]}"][style % 5]


def typo(word: str) -> str:
    """One swap of adjacent inner letters, or one dropped inner letter."""
    if len(word) < 8:
        return word
    i = rng.randrange(2, len(word) - 3)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i + 1:]


def abbreviate(street: str) -> str:
    for full, short in (("straat", "str."), ("laan", "ln."), ("plein", "pl."), ("Sint ", "St. "),
                        ("Burgemeester ", "Burg. "), ("Grote ", "Gr. "), ("Kleine ", "Kl. ")):
        if full in street:
            return street.replace(full, short, 1)
    return street


def messy_variant(street: str, hn: str, pc: str, k: int) -> str:
    num = re.match(r"\d+", hn).group()
    add = hn[len(num):].strip(" -")
    hn_v = [hn, f"{num} {add}".strip(), f"{num}-{add}" if add else num, f"{num}{add.lower()}"][k % 4]
    s = street
    kind = k % 6
    if kind == 0:
        s = abbreviate(street)
    elif kind == 1:
        s = street.lower()
    elif kind == 2:
        s = typo(street)
    elif kind == 3:
        s = street.upper()
    elif kind == 4:
        s = abbreviate(street).lower()
    else:
        s = typo(abbreviate(street))
    pc_part = ["", f" {fmt_pc(pc, k)}", f", {fmt_pc(pc, k + 2)} maastricht", f" {fmt_pc(pc, k + 1)} MAASTRICHT"][k % 4] if pc else ""
    lead = ["", "Locatie: ", "adres ", "Waar: "][k % 4]
    return f"{lead}{s} {hn_v}{pc_part}".strip()


def main() -> None:
    b = data.bundled_boundaries()
    gaz = Gazetteer(b)
    rows: list[dict] = []

    def add(cat: str, text: str, ref: str | None, src: str) -> None:
        rows.append({"id": f"{cat}-{sum(1 for r in rows if r['category'] == cat) + 1:04d}", "category": cat,
                     "text": text, "ref_buurt": ref, "ref_source": src})

    seen = set()
    addresses = []
    for r in data.read_csv("maastricht_osm_poi_addresses.csv"):
        key = (r["street"], r["housenumber"])
        if key in seen or not re.match(r"\d", r["housenumber"]) or r["housenumber"] == "4-Feb":
            continue
        seen.add(key)
        ref = own_buurt(b, float(r["lat"]), float(r["lon"]))
        if ref is None:
            continue
        addresses.append((r, ref))

    for r, ref in addresses:
        if r["postcode"]:
            add("well_formed", f"{r['street']} {r['housenumber']}, {fmt_pc(r['postcode'], 0)} Maastricht", ref,
                f"OSM {r['osm_id']} point")
    sample = rng.sample(addresses, 300)
    for k, (r, ref) in enumerate(sample):
        add("messy", messy_variant(r["street"], r["housenumber"], r["postcode"], k), ref, f"OSM {r['osm_id']} point")

    pcs = [(pc, p) for pc, p in gaz.pc6.items() if p.idx >= 0 and p.nearest_m == 0]
    for k, (pc, p) in enumerate(rng.sample(pcs, 200)):
        text = fmt_pc(pc, k)
        if k % 4 == 3:
            text = f"Meer informatie: postcode {fmt_pc(pc, 0)}, Maastricht"
        add("postcode_only", text, b.codes[p.idx], "PC6 centroid point")

    templates = ["{v}", "Koffieochtend in {v}", "Vrijwilligers gezocht bij {v} voor de bar", "Lezing in {v}, zaal 2",
                 "Bijeenkomst: {v}"]
    venues = sorted(gaz.venues.values(), key=lambda v: v.name)
    for k, v in enumerate(venues):
        if v.idx < 0 or (v.point is not None and own_buurt(b, v.point.lat, v.point.lon) is None):
            continue
        ref = b.codes[v.idx] if v.point is None else own_buurt(b, v.point.lat, v.point.lon)
        if v.civic or len(fold(v.name).split()) >= 2:
            add("venue", templates[k % len(templates)].format(v=v.name), ref, v.source)

    mention = ["Buurtfeest in {n} op zaterdag", "Bewoners van {n} zoeken vrijwilligers", "Nieuws uit {n}",
               "Repair café in de wijk {n}", "Koffie-ochtend voor ouderen in {n}, iedereen welkom"]
    for r in data.read_csv("maastricht_buurt_names.csv"):
        for k, t in enumerate(mention):
            ref = r["buurtcode"] or None
            if ref is None:
                continue  # Akerpoort / Oostermaas: no buurt decided
            add("buurt_mention", t.format(n=r["name"]), ref, "maastricht_buurt_names.csv")

    for k, (r, ref) in enumerate(rng.sample(addresses, 120)):
        lat, lon = float(r["lat"]), float(r["lon"])
        add("coordinates", [f"{lat:.6f}, {lon:.6f}", f"{lat:.5f},{lon:.5f}", f"geo: {lat:.6f};{lon:.6f}"][k % 3], ref,
            f"OSM {r['osm_id']} point")

    outside = [("Meerssen", "6231"), ("Valkenburg", "6301"), ("Heerlen", "6411"), ("Eijsden", "6245"),
               ("Cadier en Keer", "6267"), ("Gronsveld", "6247"), ("Margraten", "6269"), ("Bunde", "6241"),
               ("Beek", "6191"), ("Sittard", "6131"), ("Kerkrade", "6461"), ("Amsterdam", "1012"),
               ("Ulestraten", "6235"), ("Berg en Terblijt", "6325"), ("Gulpen", "6271")]
    streets = ["Kerkstraat", "Dorpstraat", "Rijksweg", "Stationsstraat", "Markt", "Hoofdstraat", "Molenweg",
               "Schoolstraat", "Brusselsestraat", "Grote Gracht"]
    for k in range(90):
        city, pc4 = outside[k % len(outside)]
        st = streets[k % len(streets)]
        letters = "".join(rng.choice("ABCDEGHJKLMNPRTVWXZ") for _ in range(2))
        form = k % 3
        text = [f"{st} {k + 1}, {pc4} {letters} {city}", f"{st} {k + 1}, {city}", f"{st} {k + 1} {pc4}{letters}"][form]
        add("out_of_area", text, None, f"address in {city}")
    for city in ["Lanaken", "Valkenburg", "Meerssen", "Heerlen", "Eijsden", "Aken", "Luik", "Maastricht Aachen Airport"]:
        add("out_of_area", f"Wandeling door de binnenstad van {city}", None, "outside place named")
        add("out_of_area", f"Vrijwilligers gezocht in {city}", None, "outside place named")
    for lat, lon, where in [(50.885, 5.755, "Meerssen"), (50.865, 5.830, "Valkenburg"), (50.893, 5.647, "Lanaken"),
                            (50.777, 5.711, "Eijsden"), (50.888, 5.980, "Heerlen"), (50.776, 6.084, "Aachen"),
                            (50.826, 5.770, "Cadier en Keer"), (52.370, 4.895, "Amsterdam")]:
        add("out_of_area", f"{lat:.4f}, {lon:.4f}", None, f"point in {where}")

    no_place = [
        "Vrijwilligers gezocht voor de voedselbank", "Online cursus Nederlands voor beginners",
        "Campagne tegen eenzaamheid van start", "De heer Jansen geeft een lezing over bijen",
        "Kerstverhaal: de reis naar Nazareth", "Intro-avond voor nieuwe vrijwilligers",
        "Maastricht zoekt mantelzorgers", "Gemeente Maastricht: nieuwe regels voor afvalinzameling",
        "Huiskamergesprekken over het klimaat", "Op 12 mei 2024 en 14 juni om 1900 uur",
        "Bel 043 350 1234 voor meer informatie", "Het belfort van Brugge als inspiratie",
        "Studio-opnames voor de podcast", "Heer en meester over je eigen agenda",
        "Wij zoeken een penningmeester voor de vereniging", "Webinar: subsidie aanvragen in 2025",
        "Taalmaatje worden? Meld je aan via de website", "Doe mee met de landelijke opschoondag",
        "Schrijf je in voor de nieuwsbrief", "Vacature: coördinator vrijwilligerswerk (24 uur)",
        "Hulp bij belastingaangifte, telefonisch", "Wandelen is gezond: tips van de huisarts",
        "Villapark-achtige wijken in Nederland: een studie", "De markt voor tweedehands fietsen groeit",
        "Nieuwe campagne: samen tegen armoede", "Kom naar de open dag (locatie volgt)",
        "Een goed begin: de intro van het boek", "Zomerschool 2025 (digitaal)",
        "Oproep: deel je verhaal over wonen in Limburg", "Buurtpreventie-app: hoe werkt het?",
        "Vrijwilligerswerk vanuit huis", "Inloopspreekuur, adres op aanvraag",
        "Samen koken en eten, elke dinsdag", "Statushouders zoeken een maatje",
        "Help mee bij de Sinterklaasintocht", "Nieuw: de Maastricht Pas voor minima",
        "Mantelzorgcafé: thema dementie", "Cursus EHBO, 4 avonden", "Filmavond: Belfort (2022)",
        "Beleidsplan 2025-2028 ter inzage", "Stem mee over het burgerbudget",
        "Jongerenraad zoekt nieuwe leden", "Heerlijk koken met seizoensgroenten",
        "Scharnieren repareren: workshop meubels", "Energiecoach aan huis", "Vroege vogels wandeling",
        "Pottenbakken voor beginners", "Wolderen? Nee, wandelen!", "Ambyance: sfeer in huis",
        "Limmelen is geen woord", "Amby Winehouse tribute night",
    ]
    for t in no_place:
        add("no_place", t, None, "no place in the text")

    with OUT.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["category"]] = counts.get(r["category"], 0) + 1
    print(f"wrote {len(rows)} inputs to {OUT.relative_to(HERE.parent.parent)}: {counts}")


if __name__ == "__main__":
    main()
