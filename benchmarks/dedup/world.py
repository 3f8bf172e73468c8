"""The places and organisations of the synthetic benchmark world, built from the project's data
files (buurt names, PC6 centroids, streets) so that points, postcodes and buurt codes are real."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from vocab import ORGANISATIONS, VENUES

DATA = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Place:
    """A venue: name, buurt, a real PC6 with its centroid, and a street address when known."""

    name: str
    buurt: str
    buurt_code: str
    postcode: str
    lat: float
    lon: float
    street: str | None
    number: int

    @property
    def address(self) -> str:
        pc = f"{self.postcode[:4]} {self.postcode[4:]}"
        return (
            f"{self.street} {self.number}, {pc} Maastricht" if self.street else f"{pc} Maastricht"
        )


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class World:
    """Buurten, venues and organisations; ``grow`` adds synthetic ones for the scale runs."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        names = _rows("maastricht_buurt_names.csv")
        self.buurt_code = {
            r["name"]: r["buurtcode"]
            for r in names
            if r["buurtcode"] and "official" in r["name_source"]
        }
        self.buurten = sorted(self.buurt_code)
        self.pc6: dict[str, list[tuple[str, float, float]]] = {}
        for r in _rows("maastricht_pc6_centroids.csv"):
            if r["buurt_match"] == "contains":
                self.pc6.setdefault(r["buurtcode"], []).append(
                    (r["postcode"], float(r["lat"]), float(r["lon"]))
                )
        self.streets: dict[str, list[str]] = {}
        for r in _rows("maastricht_streets_from_osm_pois.csv"):
            for b in r["buurtnamen"].split(";"):
                self.streets.setdefault(b.strip(), []).append(r["street"])
        self.all_streets = sorted({s for v in self.streets.values() for s in v})
        self.venues = [self.place(name, buurt) for name, buurt in VENUES]
        self.organisations = list(ORGANISATIONS)

    def place(self, name: str, buurt: str) -> Place:
        code = self.buurt_code[buurt]
        postcode, lat, lon = self.rng.choice(self.pc6[code])
        streets = self.streets.get(buurt)
        street = self.rng.choice(streets) if streets else None
        return Place(name, buurt, code, postcode, lat, lon, street, self.rng.randint(1, 120))

    def grow(self, venues: int, organisations: int) -> None:
        """Add synthetic venues and organisations (scale runs need more than the real list)."""
        kinds = (
            "Buurthuis",
            "Wijkcentrum",
            "Buurtkamer",
            "Gemeenschapshuis",
            "Kerkzaal",
            "Sporthal",
            "Speeltuingebouw",
        )
        usable = [b for b in self.buurten if self.buurt_code[b] in self.pc6]
        for i in range(venues):
            buurt = usable[i % len(usable)]
            label = (
                self.rng.choice(self.all_streets)
                if self.rng.random() < 0.5
                else f"{buurt} {i // len(usable) + 2}"
            )
            self.venues.append(self.place(f"{self.rng.choice(kinds)} {label}", buurt))
        prefixes = (
            "Bewonersvereniging",
            "Stichting Samen",
            "Wijkraad",
            "Buurtcomité",
            "Vrienden van",
            "Stichting Welzijn",
        )
        for i in range(organisations):
            buurt = usable[i % len(usable)]
            short = f"{prefixes[i % len(prefixes)]} {buurt} {i // len(usable) + 1}"
            self.organisations.append((short, short))
