"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to items, and fetched pages to Articles.

Feed XML never reaches an XML parser with entity expansion on: any ENTITY declaration
refuses the feed (checked with defusedxml first), so a "billion laughs" feed costs a
regular expression and one line in the round's report. Only then does feedparser read it.

A page becomes an Article with its main text (trafilatura, via the HTML reader), its
title, its outlet (the operator's name for the feed, else the page's site name, else the
feed's title, else the host) and its publication date (the page's metadata, else the
feed item's date, else a date in the URL; never the fetch time). The Article says where
each came from (``published_source``, ``outlet_source``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..record import Article
from .errors import BadDate, IngestError
from .html import article_from_html
from .published import normalise_published

MAX_ITEMS = 500  # items read from one feed document; the rest are dropped (bounded work)
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)"
    r"|/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/)"
)


class FeedError(IngestError):
    problem = "is not a readable RSS, Atom or JSON feed"


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: its page, its stable key and what the feed says of it."""

    url: str
    key: str  # guid/id when the feed gives one, else the link
    title: str | None = None
    published: str | None = None  # ISO date, as the feed states it


@dataclass
class Feed:
    title: str | None
    link: str | None
    items: list[FeedItem] = field(default_factory=list)


def parse_feed(body: bytes, source: str, content_type: str = "") -> Feed:
    """The items of a feed document; FeedError names ``source`` and the problem."""
    head = body.lstrip()[:1]
    if head == b"{" or content_type.endswith("json"):
        return _json_feed(body, source)
    if head != b"<" and not body.startswith(b"\xef\xbb\xbf<"):
        raise FeedError(source, "is neither XML nor JSON (not an RSS, Atom or JSON feed)")
    _refuse_entities(body, source)
    import feedparser  # after the entity check: it must never see a declaration

    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False,
                              resolve_relative_uris=False)
    version = parsed.get("version") or ""
    if not version:
        problem = parsed.get("bozo_exception")
        detail = f" ({str(problem).splitlines()[0]})" if problem else ""
        raise FeedError(source, f"is XML but not an RSS or Atom feed{detail}")
    meta = parsed.get("feed", {})
    feed = Feed(title=_text(meta.get("title")), link=_text(meta.get("link")))
    for entry in parsed.get("entries", [])[:MAX_ITEMS]:
        link = _text(entry.get("link"))
        if not link:
            continue
        raw = entry.get("published") or entry.get("updated")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        feed.items.append(FeedItem(
            url=link, key=_text(entry.get("id")) or link, title=_text(entry.get("title")),
            published=_item_date(raw, stamp),
        ))
    return feed


def _refuse_entities(body: bytes, source: str) -> None:
    """Refuse a document declaring entities (DTD with ENTITY): expanding them is how XML
    bombs and external-entity reads work, and no real feed needs one."""
    if _ENTITY.search(body[:65536]):
        raise FeedError(source, "declares XML entities (refused: possible entity bomb)")
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    try:
        safe_xml.fromstring(body, forbid_dtd=False, forbid_entities=True,
                            forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedError(source, f"declares XML entities (refused: {type(exc).__name__})"
                        ) from None
    except safe_xml.ParseError:
        pass  # not well-formed: feedparser's lenient reader decides (no DTD reaches it)


def _json_feed(body: bytes, source: str) -> Feed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(source, f"is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
            "https://jsonfeed.org/version/"):
        raise FeedError(source, "is JSON but not a JSON Feed (no jsonfeed.org version)")
    feed = Feed(title=_text(data.get("title")), link=_text(data.get("home_page_url")))
    items = data.get("items")
    for entry in (items if isinstance(items, list) else [])[:MAX_ITEMS]:
        if not isinstance(entry, dict):
            continue
        link = _text(entry.get("url")) or _text(entry.get("external_url"))
        if not link:
            continue
        feed.items.append(FeedItem(
            url=link, key=_text(entry.get("id")) or link, title=_text(entry.get("title")),
            published=_item_date(entry.get("date_published") or entry.get("date_modified"),
                                 None),
        ))
    return feed


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _item_date(raw: Any, stamp: time.struct_time | None) -> str | None:
    """The calendar date the feed printed (its own time zone), else feedparser's UTC one."""
    if isinstance(raw, str) and raw.strip():
        try:
            return normalise_published(raw)
        except ValueError:
            pass
    if stamp is not None:
        try:
            return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday).isoformat()
        except ValueError:
            return None
    return None


def date_in_url(url: str) -> str | None:
    """A date written in a URL's path (``/2024/12/16/``, ``/2024-12-16-``,
    ``/20241216/``), else None."""
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    parts = [g for g in match.groups() if g is not None]
    try:
        return dt.date(*(int(p) for p in parts)).isoformat()
    except ValueError:
        return None


def article_from_page(
    html: str, url: str, item: FeedItem | None = None, *, feed_title: str | None = None,
    outlet: str | None = None,
) -> Article:
    """The Article of a fetched page at ``url`` (its final URL), found through ``item``
    of a feed titled ``feed_title``; ``outlet``: the operator's name for the feed."""
    try:
        article = article_from_html(html, url)
        page_date = article.published
    except BadDate:  # the page states a date we cannot read: as if it stated none
        article = article_from_html(html, url, published="1970-01-01")
        page_date = None
    published, published_source = _published(page_date, item, url)
    host = (urlsplit(url).hostname or "").lower()
    site = article.outlet if article.outlet and not _is_host(article.outlet, host) else None
    name, outlet_source = next(
        ((value, src) for value, src in ((outlet, "given"), (site, "page"),
                                         (feed_title, "feed"), (host, "host")) if value),
        (None, None),
    )
    return article.model_copy(update={
        "url": url, "title": article.title or (item.title if item else None),
        "outlet": name, "outlet_source": outlet_source,
        "published": published, "published_source": published_source,
    })


def _published(page_date: str | None, item: FeedItem | None,
               url: str) -> tuple[str | None, str | None]:
    if page_date:
        return page_date, "page"
    if item is not None and item.published:
        return item.published, "feed"
    from_url = date_in_url(url)
    if from_url:
        return from_url, "url"
    return None, None


def _is_host(name: str, host: str) -> bool:
    """Whether a page's "site name" is only its host name (trafilatura's fallback)."""
    bare = name.lower().removeprefix("www.")
    return bare == host.removeprefix("www.")
