"""Feeds of every kind to items, safely; fetched pages to Articles with the right text,
outlet and date, each saying where it came from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eventscope.ingest.feeds import (
    FeedError,
    FeedItem,
    article_from_page,
    date_in_url,
    parse_feed,
)
from eventscope.ingest.fetch import Fetcher, FetchPolicy, parse_networks
from feedsite import page, serve_outlet
from localweb import Site, serving

RSS_091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old Wire</title><link>http://old.example/</link>
<description>d</description><language>en</language>
<item><title>Strike at the port</title><link>http://old.example/a/1</link></item>
</channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://rdf.example/"><title>RDF News</title><link>http://rdf.example/</link>
<description>d</description></channel>
<item rdf:about="http://rdf.example/s/7"><title>Talks resume</title>
<link>http://rdf.example/s/7</link><dc:date>2024-12-16T22:10:00-05:00</dc:date></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Post</title>
<link href="http://atom.example/"/><id>urn:atom-post</id><updated>2024-12-16T10:00:00Z</updated>
<entry><title>Ceasefire holds</title><link href="http://atom.example/e/1"/>
<id>urn:atom-post:1</id><published>2024-12-15T23:30:00+02:00</published>
<updated>2024-12-16T10:00:00Z</updated></entry></feed>"""

JSON_FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JSON Desk",
 "home_page_url": "http://json.example/", "items": [
 {"id": "j1", "url": "http://json.example/j/1", "title": "Aid arrives",
  "date_published": "2024-12-14T08:00:00+01:00"},
 {"id": "j2", "title": "no link, skipped"}]}"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "lollollollollollollollollollol">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
<rss version="2.0"><channel><title>&e;</title><item><title>&e;</title>
<link>http://bomb.example/1</link></item></channel></rss>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title></channel></rss>"""


def test_rss_091_with_its_doctype() -> None:
    feed = parse_feed(RSS_091, "old.xml")
    assert feed.title == "Old Wire"
    assert feed.items == [FeedItem("http://old.example/a/1", "http://old.example/a/1",
                                   "Strike at the port", None)]


def test_rss_10_keeps_the_date_the_feed_printed() -> None:
    feed = parse_feed(RSS_10, "rdf.xml")
    assert feed.title == "RDF News"
    (item,) = feed.items
    assert (item.url, item.published) == ("http://rdf.example/s/7", "2024-12-16")


def test_atom_items_are_keyed_by_their_id() -> None:
    (item,) = parse_feed(ATOM, "atom.xml").items
    assert (item.key, item.url, item.published) == (
        "urn:atom-post:1", "http://atom.example/e/1", "2024-12-15")


def test_json_feed() -> None:
    feed = parse_feed(JSON_FEED, "feed.json", "application/feed+json")
    assert feed.title == "JSON Desk"
    assert [(i.key, i.published) for i in feed.items] == [("j1", "2024-12-14")]


@pytest.mark.parametrize("body", [BOMB, EXTERNAL])
def test_entity_declarations_are_refused_before_any_parser_expands_them(body: bytes) -> None:
    with pytest.raises(FeedError, match="bomb.xml: declares XML entities"):
        parse_feed(body, "bomb.xml")


@pytest.mark.parametrize("body, problem", [
    (b"Just some words, no markup at all.", "neither XML nor JSON"),
    (b"<html><body><p>a web page, not a feed</p></body></html>", "not an RSS or Atom feed"),
    (b'{"items": []}', "not a JSON Feed"),
    (b"{broken", "not valid JSON"),
])
def test_what_is_not_a_feed_is_one_line(body: bytes, problem: str) -> None:
    with pytest.raises(FeedError, match=f"^feed.x: .*{problem}"):
        parse_feed(body, "feed.x")


def test_a_malformed_feed_still_gives_what_it_can() -> None:
    broken = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken & Co</title>'
              b"<item><title>One</title><link>http://b.example/1</link></item>")
    feed = parse_feed(broken, "broken.xml")
    assert [i.url for i in feed.items] == ["http://b.example/1"]


@pytest.mark.parametrize("url, date", [
    ("https://n.example/2024/12/16/convoy-hit", "2024-12-16"),
    ("https://n.example/world/2024-03-05-talks.html", "2024-03-05"),
    ("https://n.example/20240229/story", "2024-02-29"),
    ("https://n.example/2024/13/40/x", None),
    ("https://n.example/story/123456", None),
])
def test_dates_in_urls(url: str, date: str | None) -> None:
    assert date_in_url(url) == date


def test_a_page_loses_its_furniture_and_says_where_its_date_came_from() -> None:
    article = article_from_page(page(3), "https://sahel.example/news/story-3")
    assert "Hundreds of traders marched" in article.text
    assert article.title and article.title.startswith("Traders protest in Timbuktu")
    for furniture in ("Accept all cookies", "Related stories", "Football club",
                      "All rights reserved", "Subscribe"):
        assert furniture not in article.text
    assert (article.outlet, article.outlet_source) == ("Sahel Daily", "page")
    assert (article.published, article.published_source) == ("2024-05-04", "page")
    assert article.url == "https://sahel.example/news/story-3"


def test_without_page_metadata_the_feed_then_the_url_give_outlet_and_date() -> None:
    bare = page(5, dated=False, site_name=False)
    item = FeedItem("u", "k", "t", "2024-06-01")
    from_feed = article_from_page(bare, "https://sahel.example/2024/05/30/s", item,
                                  feed_title="Sahel Daily - Top stories")
    assert (from_feed.published, from_feed.published_source) == ("2024-06-01", "feed")
    assert (from_feed.outlet, from_feed.outlet_source) == ("Sahel Daily - Top stories", "feed")
    from_url = article_from_page(bare, "https://www.sahel.example/2024/05/30/s")
    assert (from_url.published, from_url.published_source) == ("2024-05-30", "url")
    assert (from_url.outlet, from_url.outlet_source) == ("www.sahel.example", "host")
    undated = article_from_page(bare, "https://sahel.example/s/1", outlet="Sahel Daily")
    assert (undated.published, undated.published_source) == (None, None)
    assert (undated.outlet, undated.outlet_source) == ("Sahel Daily", "given")


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as s:
        yield s


def test_a_served_feed_and_its_pages_through_the_real_client(site: Site) -> None:
    serve_outlet(site, range(1, 4))
    policy = FetchPolicy(allow_nets=parse_networks(["127.0.0.1/32"]), delay=0)
    with Fetcher(policy) as fetcher:
        response = fetcher.get(site.url("/rss.xml"))
        feed = parse_feed(response.body, response.url, response.content_type)
        assert [i.key for i in feed.items] == ["sahel-/news-1", "sahel-/news-2", "sahel-/news-3"]
        first = fetcher.get(feed.items[0].url, page=True)
        article = article_from_page(first.text(), first.url, feed.items[0], feed_title=feed.title)
    assert article.published == "2024-05-02" and article.outlet == "Sahel Daily"
    assert "Gao" not in article.text and "Mopti" in article.text
