"""Response bodies of the API, so the OpenAPI schema at /docs says what comes back."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..record import Article, Event


class EventPage(BaseModel):
    events: list[Event]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page."
    )


class EventDetail(BaseModel):
    event: Event
    article: Article = Field(
        description="The source article; `text[evidence.start:evidence.end]` is the sentence."
    )


class ArticleDetail(BaseModel):
    article: Article
    events: list[Event] = Field(description="The article's events in text order.")


class Stats(BaseModel):
    total: int
    by_type: dict[str, int] = Field(description="PLOVER type -> events.")
    by_day: dict[str, int] = Field(description="ISO date -> events, in date order (dated only).")
    by_country: dict[str, int] = Field(
        description="ISO3 of the location -> events, most first (located only)."
    )


class IngestedArticle(BaseModel):
    article_id: str
    title: str | None
    added: bool = Field(description="False if the same text was already stored.")
    events: list[Event] = Field(description="The events extracted and stored (none if not added).")


class IngestResult(BaseModel):
    articles: list[IngestedArticle]


class JobStatus(BaseModel):
    id: str
    url: str = Field(description="Where to ask for the job's progress and result.")
    status: Literal["queued", "running", "done", "failed"]
    articles: int = Field(description="Articles in the posted batch.")
    done: int = Field(description="Articles coded so far.")
    result: IngestResult | None = Field(None, description="When done: what a synchronous "
                                        "post would have answered.")
    error: str | None = Field(None, description="When failed: why (nothing was stored).")


class PageConfig(BaseModel):
    tiles: str | None = Field(description="Tile URL template, or null for the offline outlines.")
    read_only: bool = Field(description="True when no write token is configured.")


class WatchlistSummary(BaseModel):
    name: str
    params: str = Field(description="The watchlist's filters as /api/events query parameters.")
    deliveries: list[str] = Field(description="How alerts go out: webhook, email (or none).")
    created_at: str
    unseen: int = Field(description="Events matched after the `seen` mark given (all "
                        "matches without one).")
    latest: int = Field(description="The mark of the newest match: pass it back as "
                        "`seen=NAME:LATEST` once those are seen.")


class ErrorBody(BaseModel):
    error: str
