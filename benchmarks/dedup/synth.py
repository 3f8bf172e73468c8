"""Synthetic, labelled Maastricht records for the dedup benchmark.

An *entity* is one real-world initiative (a vacancy, one occurrence of an activity, a meeting, a
network, a news story); each source that lists it renders it its own way: reworded titles,
its own description and time notation, with or without an address or point, date-only starts,
links back to the primary platform. Every record carries its entity id as ``label``.

Hard negatives come from how the world is built: weekly activities (same title, other dates),
organisations posting the same role for several buurten or several roles, several activities at
one venue on one day, the same kind of initiative in different buurten, meeting series.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from vocab import (
    ACTIVITIES,
    INITIATIVES,
    NEWS,
    PARTICIPATION,
    PARTICIPATION_TITLES,
    ROLES,
    SOURCES,
    TITLE_DECORATIONS,
)
from world import Place, World

TZ = ZoneInfo("Europe/Amsterdam")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:60]


class Generator:
    """Generates entities and renders their records; ``records`` collects them."""

    def __init__(self, world: World, seed: int, start: date, days: int):
        self.w = world
        self.rng = random.Random(seed)
        self.start, self.days = start, days
        self.records: list[dict] = []
        self.n_entities = 0
        self._n = 0
        self.used: set[tuple] = set()
        """(what, where) combinations already in the world: one initiative is one entity."""

    def fresh(self, *combo) -> bool:
        """True the first time a combination is asked for (and remember it)."""
        if combo in self.used:
            return False
        self.used.add(combo)
        return True

    def _form(self, forms, n: int) -> str:
        """The organiser's own title for the first listing; other sources mostly copy it, else
        use one of the rewordings."""
        return forms[0] if n == 0 or self.rng.random() < 0.6 else self.rng.choice(forms[1:])

    # -- rendering helpers -----------------------------------------------------------------
    def _record(
        self, source: str, entity: str, kind: str, title: str, tags: tuple[str, ...], **fields
    ) -> dict:
        self._n += 1
        digest = hashlib.sha1(f"{source}|{entity}|{self._n}".encode()).hexdigest()[:12]
        priority, _, pattern = SOURCES[source]
        url = pattern.format(
            path={"vacancy": "vacatures", "event": "agenda"}.get(kind, kind),
            slug=_slug(title),
            n=100000 + self._n,
        )
        rec = {
            "id": f"{source}-{digest}",
            "source_id": source,
            "kind": kind,
            "title": title,
            "description_text": "",
            "starts_at": None,
            "ends_at": None,
            "lat": None,
            "lon": None,
            "buurt_code": None,
            "organizer": None,
            "url": url,
            "urls_in_text": [],
            "priority": priority,
            "label": entity,
            "tags": list(tags),
        }
        rec.update(fields)
        self.records.append(rec)
        return rec

    def _point(self, place: Place, jitter_m: float) -> tuple[float, float]:
        dlat = self.rng.uniform(-jitter_m, jitter_m) / 111_320
        dlon = self.rng.uniform(-jitter_m, jitter_m) / 70_300
        return round(place.lat + dlat, 6), round(place.lon + dlon, 6)

    @staticmethod
    def _iso(dt: datetime | None) -> str | None:
        return dt.astimezone(UTC).isoformat().replace("+00:00", "Z") if dt else None

    def _time_text(self, start: datetime, end: datetime, style: int) -> str:
        if style == 0:
            return f"Van {start:%H.%M} tot {end:%H.%M} uur."
        if style == 1:
            return f"Tijd: {start:%H:%M}-{end:%H:%M}u"
        if style == 2:
            return (
                f"Aanvang {start.hour}u{start.minute:02d}."
                if start.minute
                else f"Aanvang {start.hour}u."
            )
        return f"Inloop vanaf {start:%H:%M}, einde rond {end:%H:%M}."

    def _entity(self) -> str:
        self.n_entities += 1
        return f"e{self.n_entities:06d}"

    def _day(self) -> date:
        return self.start + timedelta(days=self.rng.randrange(self.days))

    # -- vacancies -------------------------------------------------------------------------
    def vacancies(self, organisations: list[tuple[str, str]], per_org: tuple[int, int]) -> None:
        for short, full in organisations:
            roles = self.rng.sample(ROLES, self.rng.randint(*per_org))
            for role in roles:
                buurten = [None] if self.rng.random() < 0.3 else self.rng.sample(self.w.buurten, 1)
                if self.rng.random() < 0.3:  # the same role posted for several buurten
                    buurten = self.rng.sample(self.w.buurten, self.rng.randint(2, 3))
                for buurt in buurten:
                    self._vacancy(short, full, role, buurt, many=len(buurten) > 1)

    def _vacancy(self, short: str, full: str, role, buurt: str | None, many: bool) -> None:
        entity = self._entity()
        forms, noun, task = role
        place = (
            self.w.place(f"{short} {buurt}", buurt) if buurt and self.rng.random() < 0.7 else None
        )
        period = None
        if self.rng.random() < 0.25:
            first = self._day()
            period = (
                datetime.combine(first, datetime.min.time(), TZ),
                datetime.combine(
                    first + timedelta(days=self.rng.choice((90, 180, 365))), datetime.min.time(), TZ
                ),
            )
        listed = [
            s
            for s, p in (
                ("maastrichtdoet", 0.85),
                ("nlvoorelkaar", 0.55),
                ("trajekt", 0.35 if short == "Trajekt" else 0.0),
            )
            if self.rng.random() < p
        ] or ["maastrichtdoet"]
        primary_url = None
        for n, source in enumerate(listed):
            tags = ["same_org_role_other_buurt"] if many else []
            form = self._form(forms, n)
            if source == "maastrichtdoet":
                title = f"{form} {buurt}" if buurt and self.rng.random() < 0.6 else form
            elif source == "nlvoorelkaar":
                pattern = self.rng.choice(
                    (
                        "Vrijwilliger gezocht: {f}",
                        "{f} gezocht",
                        "{f} (m/v)",
                        "{f}",
                        "{f}",
                        "{o} zoekt een {n}" if n else "{f}",
                    )
                )
                title = pattern.format(f=form, o=short, n=noun)
                if buurt and self.rng.random() < 0.5:
                    title += self.rng.choice((f" in {buurt}", f" ({buurt})", f" - {buurt}"))
                tags.append("reworded")
            else:
                title = f"{form} in {buurt}" if buurt else f"{form} bij {short}"
            where = f" in {buurt}" if buurt else " in heel Maastricht"
            if source == "nlvoorelkaar":
                desc = (
                    f"Bij {short} kun je aan de slag als {noun}{where}. {task} "
                    "Je krijgt een goede inwerkperiode."
                )
            else:
                desc = (
                    f"{full} zoekt een {noun}{where}. {task} Wat wij bieden: begeleiding, "
                    "een vrijwilligersvergoeding en gezellige collega's."
                )
            fields = {
                "organizer": short if source == "nlvoorelkaar" else full,
                "description_text": desc,
            }
            if place and (source != "nlvoorelkaar" or self.rng.random() < 0.4):
                lat, lon = self._point(place, 40)
                fields.update(lat=lat, lon=lon, buurt_code=place.buurt_code)
                fields["description_text"] += f" Locatie: {place.address}."
            elif place:
                tags.append("no_address")
            if period:
                fields.update(starts_at=self._iso(period[0]), ends_at=self._iso(period[1]))
            rec = self._record(source, entity, "vacancy", title, tuple(tags), **fields)
            if primary_url and source == "nlvoorelkaar" and self.rng.random() < 0.5:
                rec["urls_in_text"] = [primary_url]
                rec["description_text"] += f" Reageren kan via {primary_url}"
            primary_url = primary_url or rec["url"]

    # -- events ----------------------------------------------------------------------------
    def activity_series(self, venue: Place, activity, organizer: str, occurrences: int) -> None:
        forms, minutes, times, text = activity
        hhmm = self.rng.choice(times)
        step = self.rng.choice((7, 7, 14, 28))
        first = self._day()
        pool = (
            "trajekt",
            "uitagenda",
            "wijkplatform",
            "limburger-agenda",
            "maastrichtdoet",
            "gemeente",
        )
        sources = self.rng.sample(pool, self.rng.choice((1, 2, 2, 3, 3, 4)))
        styles = {s: self.rng.randrange(4) for s in sources}
        for k in range(occurrences):
            day = first + timedelta(days=k * step)
            tags = ("recurring",) if occurrences > 1 else ()
            self.event(venue, forms, minutes, hhmm, text, organizer, day, sources, styles, tags)

    def event(
        self,
        venue: Place,
        forms,
        minutes: int,
        hhmm: str,
        text: str,
        organizer: str,
        day: date,
        sources,
        styles,
        tags: tuple[str, ...],
    ) -> None:
        entity = self._entity()
        h, m = map(int, hhmm.split(":"))
        start = datetime(day.year, day.month, day.day, h, m, tzinfo=TZ)
        end = start + timedelta(minutes=minutes)
        listed = [s for s in sources if self.rng.random() < 0.85] or [sources[0]]
        for n, source in enumerate(listed):
            rtags = list(tags)
            form = self._form(forms, n)
            deco = self.rng.random()
            if deco < 0.35:
                title = f"{form} {venue.buurt}"
            elif deco < 0.55:
                title = self.rng.choice(TITLE_DECORATIONS).format(
                    t=form, buurt=venue.buurt, venue=venue.name
                )
                rtags.append("reworded")
            elif deco < 0.65:
                title = f"{form} {day.day} {MONTHS[day.month - 1]}"
                rtags.append("date_in_title")
            else:
                title = form
            desc = f"{text} {self._time_text(start, end, styles[source])}"
            fields: dict = {"description_text": desc, "starts_at": self._iso(start)}
            if source == "limburger-agenda" and self.rng.random() < 0.7:
                fields["starts_at"] = self._iso(datetime(day.year, day.month, day.day, tzinfo=TZ))
                rtags.append("date_only")
            elif self.rng.random() < 0.6:
                fields["ends_at"] = self._iso(end)
            no_place = source in ("limburger-agenda", "wijkplatform") and self.rng.random() < 0.5
            if no_place:
                rtags.append("no_address")
                if source == "wijkplatform":
                    fields["buurt_code"] = venue.buurt_code
            else:
                lat, lon = self._point(venue, 60 if source == "uitagenda" else 15)
                fields.update(lat=lat, lon=lon, buurt_code=venue.buurt_code)
                fields["description_text"] += f" Locatie: {venue.name}, {venue.address}."
            if self.rng.random() < 0.7:
                fields["organizer"] = (
                    organizer if self.rng.random() < 0.6 else f"Stichting {organizer}"
                )
            self._record(source, entity, "event", title, tuple(rtags), **fields)

    def same_day_program(self, venue: Place, organizer: str) -> None:
        """Several different activities at one venue on one day."""
        day = self._day()
        chosen = [
            a
            for a in self.rng.sample(ACTIVITIES, self.rng.randint(2, 3))
            if self.fresh("series", venue.name, a[0][0])
        ]
        sources = self.rng.sample(("trajekt", "uitagenda", "wijkplatform", "gemeente"), 2)
        styles = {s: self.rng.randrange(4) for s in sources}
        for forms, minutes, times, text in chosen:
            self.event(
                venue,
                forms,
                minutes,
                self.rng.choice(times),
                text,
                organizer,
                day,
                sources,
                styles,
                ("same_venue_day",),
            )

    # -- participation, initiatives, news --------------------------------------------------
    def participation(self, buurt: str, topic, meetings: int) -> None:
        subject_t, text = topic
        street = self.rng.choice(self.w.streets.get(buurt) or self.w.all_streets)
        subject = subject_t.format(street=street, buurt=buurt)
        venue = self.rng.choice([v for v in self.w.venues if v.buurt == buurt] or self.w.venues)
        first = self._day()
        if not self.fresh("participation", buurt, subject):
            return
        for k in range(meetings):
            entity = self._entity()
            start = datetime.combine(
                first + timedelta(days=28 * k), datetime.min.time(), TZ
            ).replace(hour=19, minute=30)
            for n, source in enumerate(
                self.rng.sample(("gemeente", "denkmee", "trajekt"), self.rng.choice((1, 2, 2, 3)))
            ):
                form = PARTICIPATION_TITLES[0] if n == 0 else self.rng.choice(PARTICIPATION_TITLES)
                title = form.format(subject=subject)
                title = title[0].upper() + title[1:]
                fields = {
                    "description_text": f"{text.format(street=street, buurt=buurt)} "
                    f"Bijeenkomst om 19.30 uur in {venue.name}.",
                    "starts_at": self._iso(start),
                    "organizer": "Gemeente Maastricht",
                }
                if source != "denkmee":
                    fields.update(lat=venue.lat, lon=venue.lon, buurt_code=venue.buurt_code)
                tags = ("series",) if meetings > 1 else ()
                self._record(source, entity, "participation", title, tags, **fields)

    def initiative(self, buurt: str, spec) -> None:
        forms, kind, text = spec
        if not self.fresh("initiative", buurt, forms[0]):
            return
        entity = self._entity()
        code = self.w.buurt_code[buurt]
        for n, source in enumerate(
            self.rng.sample(("trajekt", "wijkplatform", "gemeente"), self.rng.choice((1, 2, 2, 3)))
        ):
            title = (forms[0] if n == 0 else self.rng.choice(forms)).format(buurt=buurt)
            fields = {
                "description_text": f"{text} Voor bewoners van {buurt}.",
                "buurt_code": code,
                "organizer": self.rng.choice(("Trajekt", f"Bewoners {buurt}", None)),
            }
            self._record(source, entity, kind, title, ("same_type_other_buurt",), **fields)

    def news(self, buurt: str, spec) -> None:
        a, b, text = spec
        if not self.fresh("news", buurt, a):
            return
        entity = self._entity()
        for n, source in enumerate(
            self.rng.sample(("gemeente", "trajekt"), self.rng.choice((1, 2)))
        ):
            title = (a if n == 0 else b).format(buurt=buurt)
            self._record(
                source,
                entity,
                "news",
                title,
                ("reworded",) if n else (),
                description_text=text.format(buurt=buurt),
                buurt_code=self.w.buurt_code[buurt],
            )


def generate(
    target: int, seed: int = 7, start: date = date(2025, 3, 1), days: int | None = None
) -> list[dict]:
    """About ``target`` labelled records (more venues, organisations and days as it grows)."""
    world = World(seed)
    scale = max(1.0, target / 1300)
    if scale > 1:
        world.grow(venues=int(30 * scale), organisations=int(30 * scale))
    gen = Generator(world, seed, start, days or int(300 * min(scale, 2.5)))
    rng = gen.rng
    gen.vacancies(world.organisations, (2, 6))
    organizers = [o[0] for o in world.organisations]
    while len(gen.records) < target * 0.75:
        venue = rng.choice(world.venues)
        roll = rng.random()
        activity = rng.choice(ACTIVITIES)
        if roll < 0.8 and gen.fresh("series", venue.name, activity[0][0]):
            gen.activity_series(
                venue, activity, rng.choice(organizers), rng.choice((1, 1, 2, 3, 4, 6))
            )
        elif roll >= 0.8:
            gen.same_day_program(venue, rng.choice(organizers))
    misses = 0
    while len(gen.records) < target and misses < 200:
        before = len(gen.records)
        buurt = rng.choice([b for b in world.buurten if world.buurt_code[b] in world.pc6])
        roll = rng.random()
        if roll < 0.4:
            gen.participation(buurt, rng.choice(PARTICIPATION), rng.choice((1, 1, 2, 3)))
        elif roll < 0.8:
            gen.initiative(buurt, rng.choice(INITIATIVES))
        else:
            gen.news(buurt, rng.choice(NEWS))
        misses = misses + 1 if len(gen.records) == before else 0
    while len(gen.records) < target:  # the world has no more distinct initiatives: more activities
        venue = rng.choice(world.venues)
        activity = rng.choice(ACTIVITIES)
        if gen.fresh("series", venue.name, activity[0][0]):
            gen.activity_series(
                venue, activity, rng.choice(organizers), rng.choice((1, 2, 3, 4, 6))
            )
    return gen.records[:target] if len(gen.records) > target * 1.02 else gen.records
