"""Reports of one shooting in Dayton (three outlets, the third a day later) and a
look-alike the same night, for the incident tests (written for these tests)."""

from __future__ import annotations

from typing import Any

from eventscope.record import Actor, Article, Event, Location

DAYTON = Location(text="Dayton", name="Dayton", geonameid=4509884, country="USA",
                  admin1="Ohio", lat=39.759, lon=-84.192, feature_code="PPL", precision=1)
# A neighbourhood of Dayton, 4 km from its centre
BELMONT = Location(text="Belmont", name="Belmont", geonameid=4506008, country="USA",
                   admin1="Ohio", lat=39.735, lon=-84.150, feature_code="PPL", precision=1)
TOLEDO = Location(text="Toledo", name="Toledo", geonameid=5174035, country="USA",
                  admin1="Ohio", lat=41.664, lon=-83.555, feature_code="PPL", precision=1)
GUNMAN = Actor(text="a gunman", country="USA", sector="UNK")


def _article(n: int, text: str, title: str, outlet: str, published: str) -> Article:
    return Article(text=text, title=title, outlet=outlet, published=published,
                   url=f"https://{outlet}/story/{n}")


def shooting_reports(make_event: Any) -> dict[str, tuple[Article, list[Event]]]:
    """Three reports of one Dayton shooting (the third a day later, naming the victim and
    the street as the first does), and a look-alike the same night in Dayton."""
    first = _article(
        1, "A 19-year-old man was shot on Salem Avenue late Saturday. Police said Marcus "
        "Whitfield was taken to Miami Valley Hospital. Detectives are looking for a gunman "
        "in a silver sedan.", "Man shot on Salem Avenue", "daytondaily.example",
        "2024-05-05")
    second = _article(
        2, "Police identified the victim of Saturday's shooting on Salem Avenue as Marcus "
        "Whitfield, 19. Whitfield remained at Miami Valley Hospital on Sunday.",
        "Salem Avenue shooting victim named", "wdtn.example", "2024-05-05")
    third = _article(
        3, "Detectives arrested a man on Monday in the shooting of Marcus Whitfield on Salem "
        "Avenue. Whitfield, 19, is recovering at Miami Valley Hospital.",
        "Arrest in Salem Avenue shooting", "whio.example", "2024-05-06")
    other = _article(
        4, "A woman was wounded on Hoover Avenue early Sunday. Police said Tasha Greene, 34, "
        "was hit in the leg while sitting on her porch. No arrests were made.",
        "Woman wounded on Hoover Avenue", "wdtn.example", "2024-05-05")
    return {
        "first": (first, [make_event(first, "ASSAULT", 0, actor=GUNMAN, location=DAYTON,
                                     date="2024-05-04")]),
        "second": (second, [make_event(second, "ASSAULT", 0, location=BELMONT,
                                       date="2024-05-04")]),
        "third": (third, [make_event(third, "COERCE", 0, location=DAYTON,
                                     date="2024-05-06")]),
        "other": (other, [make_event(other, "ASSAULT", 0, actor=GUNMAN, location=DAYTON,
                                     date="2024-05-05")]),
    }
