"""What the browser tests serve: coded events from short wire-style reports about real
places over four months, stored and served by ``eventscope serve`` on a free loopback port.

The events are hand-coded from templates (not extracted) so the page is tested on its own.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from eventscope.record import Actor, Article, Event, Evidence, Location, make_event_id
from eventscope.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"

# name, ISO3, admin1, lat, lon
PLACES = [
    ("Tartus", "SYR", "Tartus Governorate", 34.889, 35.886),
    ("Latakia", "SYR", "Latakia Governorate", 35.519, 35.783),
    ("Aleppo", "SYR", "Aleppo Governorate", 36.202, 37.161),
    ("Nairobi", "KEN", "Nairobi Area", -1.283, 36.817),
    ("Mombasa", "KEN", "Mombasa", -4.055, 39.666),
    ("Kharkiv", "UKR", "Kharkiv Oblast", 49.994, 36.231),
    ("Odesa", "UKR", "Odesa Oblast", 46.477, 30.733),
    ("Khartoum", "SDN", "Khartoum", 15.552, 32.532),
    ("Dhaka", "BGD", "Dhaka Division", 23.810, 90.413),
    ("Caracas", "VEN", "Capital District", 10.488, -66.879),
    ("Lima", "PER", "Lima", -12.043, -77.028),
    ("Tbilisi", "GEO", "Tbilisi", 41.694, 44.834),
]

# type, sentence template ({place}), trigger, actor (text, country, sector), hedged, negated
TEMPLATES = [
    ("PROTEST", "Thousands of demonstrators marched through {place} demanding new elections.",
     "marched", ("Thousands of demonstrators", None, "PPL"), False, False),
    ("ASSAULT", "Artillery shelled residential districts of {place} overnight, officials said.",
     "shelled", ("Artillery", None, "MIL"), False, False),
    ("COERCE", "Police detained dozens of activists in {place} after the rally.",
     "detained", ("Police", None, "POL"), False, False),
    ("MOBILIZE", "Armoured columns were reportedly moving towards {place}.",
     "moving", ("Armoured columns", None, "MIL"), True, False),
    ("AID", "Aid agencies delivered food and medicine to families in {place}.",
     "delivered", ("Aid agencies", None, "NGO"), False, False),
    ("CONSULT", "The foreign ministers met in {place} to discuss the ceasefire.",
     "met", ("The foreign ministers", None, "GOV"), False, False),
    ("THREATEN", "The army warned it would strike rebel positions near {place}.",
     "warned", ("The army", None, "MIL"), False, False),
    ("AGREE", "Both sides signed a local truce in {place} on Saturday.",
     "signed", ("Both sides", None, "UNK"), False, False),
    ("ASSAULT", "Troops did not fire on the crowd in {place}, witnesses said.",
     "fire", ("Troops", None, "MIL"), False, True),
    ("ACCUSE", "The opposition accused the government of rigging the vote in {place}.",
     "accused", ("The opposition", None, "OPP"), False, False),
]

START = dt.date(2024, 9, 1)
DAYS = 120


@dataclass(frozen=True)
class Served:
    url: str
    db: Path
    events: int


def reports(n_articles: int, seed: int = 7) -> Iterator[tuple[Article, list[Event]]]:
    """``n_articles`` short reports of three sentences, each sentence one coded event."""
    rng = random.Random(seed)
    for number in range(n_articles):
        name, iso3, admin1, lat, lon = rng.choice(PLACES)
        day = START + dt.timedelta(days=int(rng.triangular(0, DAYS, DAYS * 0.7)))
        chosen = rng.sample(TEMPLATES, 3)
        sentences = [t[1].format(place=name) for t in chosen]
        article = Article(
            text=" ".join(sentences) + f" (Report {number}.)",
            title=f"{name}: {chosen[0][0].lower()} and more",
            outlet="Example Wire",
            published=day.isoformat(),
        )
        events = []
        offset = 0
        for (etype, _, trigger, (who, _c, sector), hedged, negated), sentence in zip(
            chosen, sentences, strict=True
        ):
            start = article.text.index(sentence, offset)
            end = start + len(sentence)
            offset = end
            # A small scatter so markers at one town do not sit exactly on top of each other.
            place = Location(
                text=name, name=name, country=iso3, admin1=admin1,
                lat=round(lat + rng.uniform(-0.05, 0.05), 4),
                lon=round(lon + rng.uniform(-0.05, 0.05), 4), feature_code="PPL", precision=1,
            )
            events.append(Event(
                event_id=make_event_id(article.article_id, start, end, etype, trigger),
                event_type=etype,
                actor=Actor(text=who, country=iso3, sector=sector),
                location=place,
                date=day.isoformat(), date_precision="day",
                evidence=Evidence(sentence=sentence, start=start, end=end, trigger=trigger),
                hedged=hedged, negated=negated,
                confidence=round(rng.uniform(0.35, 0.95), 2),
                article=article.ref(),
            ))
        yield article, events


def fill(path: Path, n_articles: int) -> int:
    with Store(path) as store:
        return sum(len(events) for article, events in reports(n_articles)
                   if store.add(article, events))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: Path, events: int, tiles: str | None = None) -> Iterator[Served]:
    """``eventscope serve`` in a subprocess on a free loopback port, until the test ends."""
    port = free_port()
    exe = shutil.which("eventscope", path=str(Path(sys.executable).parent)) or "eventscope"
    env = {k: v for k, v in os.environ.items() if k not in ("EVENTSCOPE_TOKEN", "EVENTSCOPE_TILES")}
    options = ["--tiles", tiles] if tiles else []
    proc = subprocess.Popen(
        [exe, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), *options],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(200):
            if proc.poll() is not None:
                problem = proc.stderr.read() if proc.stderr else ""
                raise RuntimeError(f"eventscope serve exited: {problem}")
            try:
                if httpx.get(url + "api/config", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("eventscope serve did not answer within 20 s")
        yield Served(url=url, db=db, events=events)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
