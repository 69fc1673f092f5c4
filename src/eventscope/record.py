"""The typed records passed between stages: the contract of ``EVENT_RECORD.md``.

One :class:`Event` is one coded event: who did what to whom, where, when, and the
character offsets of the words that say so. Every stage after ingest speaks these
models; nothing downstream passes loose dicts.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]

Sector = Literal[
    "GOV", "MIL", "REB", "OPP", "POL", "PTY", "CVL", "MED", "BUS", "IGO", "NGO", "REL",
    "JUD", "PPL", "UNK",
]
SECTORS: tuple[str, ...] = Sector.__args__  # type: ignore[attr-defined]

DatePrecision = Literal["day", "week", "month", "year"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Actor(_Model):
    """Who acts, or who is acted upon."""

    text: str | None = Field(
        description="The span as written in the source; null only for an implied actor."
    )
    name: str | None = Field(None, description="Canonical name, e.g. 'Russia'.")
    country: str | None = Field(
        None, description="ISO 3166-1 alpha-3, or an IGO code such as UNO or NATO."
    )
    sector: Sector | None = Field(None, description="One of the sector codes; UNK if unclear.")
    implied: bool = Field(
        default=False, description="The actor ACLED codes for a type when the text names none "
        "('Protesters', 'Rioters', 'Unidentified armed group'); then text is null.",
    )

    @model_validator(mode="after")
    def _text_unless_implied(self) -> Actor:
        # a named actor has its words; only an implied one has none
        if (self.text is None) != self.implied:
            raise ValueError("text is null exactly when the actor is implied")
        return self


class Location(_Model):
    """Where the event happened (not merely a place named in the sentence)."""

    text: str = Field(description="The place as written, e.g. 'Tartous'.")
    name: str | None = Field(None, description="Gazetteer name, e.g. 'Tartus'.")
    geonameid: int | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-3.")
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature_code: str | None = None
    precision: Literal[1, 2, 3] | None = Field(
        None, description="ACLED: 1 the site/town itself, 2 near it or part of a region, "
        "3 an admin1 region or larger.",
    )


class Evidence(_Model):
    """The sentence that says so, as character offsets into the article text."""

    sentence: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    trigger: str = Field(description="The word(s) that triggered the event type.")


class ArticleSource(_Model):
    """One place an article's text was seen: an exact copy elsewhere is another source."""

    url: str | None = None
    outlet: str | None = None
    published: str | None = None


class ArticleRef(_Model):
    """The article an event came from, as carried on each record."""

    article_id: str
    url: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="ISO date of publication.")
    outlet: str | None = None
    sources: list[ArticleSource] = Field(
        default_factory=list, description="Every place the same text was seen (url, "
        "outlet, published), the first one included; empty outside a store.")


class Event(_Model):
    """One event record, field by field as in EVENT_RECORD.md."""

    event_id: str
    event_type: EventType
    mode: str = ""
    context: list[str] = Field(default_factory=list)
    actor: Actor | None = None
    target: Actor | None = None
    location: Location | None = None
    date: str | None = Field(None, description="ISO date resolved against publication.")
    date_precision: DatePrecision | None = None
    date_text: str | None = None
    evidence: Evidence
    attribution: str | None = None
    hedged: bool = False
    negated: bool = False
    confidence: float = Field(ge=0.0, le=1.0)
    incident_id: str | None = Field(
        default=None, description="The incident in a store: the events reporting the same "
        "real-world event; null from extract without a store.")
    article: ArticleRef

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False)


class Article(_Model):
    """An ingested article: the text every span's offsets point into."""

    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="ISO date (YYYY-MM-DD).")
    article_id: str = ""
    # For fetched pages: where the date and the outlet were read, so that a date is never
    # the fetch time in disguise. page: the page's own metadata; feed: the feed item (or
    # the feed's title); url: a date in the URL; host: the web host; given: the operator.
    published_source: str | None = Field(default=None, pattern="^(page|feed|url|given)$")
    outlet_source: str | None = Field(default=None, pattern="^(page|feed|host|given)$")
    # Where a reader found it ("batch.jsonl:12"), for messages; not part of the record.
    _source: str = PrivateAttr(default="")

    def model_post_init(self, __context: Any) -> None:
        if not self.article_id:
            self.article_id = content_hash(self.text)[:16]

    @property
    def source(self) -> str:
        """The input it was read from (file, ``batch.jsonl:12``), or its id."""
        return self._source or f"article {self.article_id!r}"

    def from_source(self, source: str) -> Article:
        self._source = source
        return self

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def ref(self) -> ArticleRef:
        return ArticleRef(
            article_id=self.article_id, url=self.url, title=self.title,
            published=self.published, outlet=self.outlet,
        )


class Toponym(_Model):
    """A place name found in a text and resolved to the gazetteer (or not)."""

    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-3.")
    admin1: str | None = None
    feature_code: str | None = None
    score: float = 0.0


def normalise_text(text: str) -> str:
    """Whitespace- and case-folded text: what makes two copies 'the same article'."""
    return " ".join(text.split()).casefold()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def make_event_id(article_id: str, start: int, end: int, event_type: str, trigger: str = "") -> str:
    """Stable id: article + sentence offsets + type (+ trigger, for two events of one
    type in one sentence)."""
    key = f"{article_id}:{start}:{end}:{event_type}:{trigger}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def distinct_event_ids(events: list[Event]) -> list[Event]:
    """``events`` with one id each, made from what they say so that a later coder keeps
    them: article + sentence offsets + type, with the trigger word only when one sentence
    has two events of the type. Two events of one sentence, type and trigger that differ
    in who, whom or where (one clause, two sides) get those words in their hash too. An
    exact repeat is dropped."""
    events = _stable_ids(events)
    keys: dict[str, set[str]] = {}
    for event in events:
        keys.setdefault(event.event_id, set()).add(_role_key(event))
    out: list[Event] = []
    used: set[str] = set()
    for event in events:
        event_id = event.event_id
        if len(keys[event_id]) > 1:
            key = f"{event_id}:{_role_key(event)}"
            event_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
        if event_id in used:
            continue
        used.add(event_id)
        out.append(event if event_id == event.event_id
                   else event.model_copy(update={"event_id": event_id}))
    return out


def _stable_ids(events: list[Event]) -> list[Event]:
    def base(e: Event) -> tuple[str, int, int, str]:
        return (e.article.article_id, e.evidence.start, e.evidence.end, e.event_type)

    # counted over the coder's ids: a repeat, or one clause's two sides, is one event here
    coded = {(base(e), e.evidence.trigger, e.event_id) for e in events}
    bases = Counter(key for key, _, _ in coded)
    triggers = Counter((*key, trigger) for key, trigger, _ in coded)
    out = []
    for e in events:
        if bases[base(e)] == 1:
            new = make_event_id(*base(e))
        elif triggers[(*base(e), e.evidence.trigger)] == 1:
            new = make_event_id(*base(e), e.evidence.trigger)
        else:  # one trigger word twice in a sentence: the coder's own id tells them apart
            new = e.event_id
        out.append(e if new == e.event_id else e.model_copy(update={"event_id": new}))
    return out


def _role_key(event: Event) -> str:
    words = [f"{r.text or ''}/{r.name or ''}" if r else "" for r in (event.actor, event.target)]
    words.append(event.location.text if event.location else "")
    return "|".join(words)


def event_json_schema() -> dict[str, Any]:
    return Event.model_json_schema()
