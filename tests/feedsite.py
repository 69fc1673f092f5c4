"""Feeds and pages of an invented local outlet, served by :mod:`localweb` for the feed and
watch tests: real-looking markup with the furniture a news page carries."""

from __future__ import annotations

from localweb import Reply, Site

TOWNS = ["Gao", "Mopti", "Kidal", "Timbuktu", "Segou", "Kayes", "Sikasso", "Koulikoro"]

NAV = """<header><nav class="menu"><a href="/">Home</a> <a href="/world">World</a>
<a href="/sport">Sport</a> <a href="/subscribe">Subscribe</a></nav></header>
<div id="cookie-banner" class="cookie consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>"""
FOOTER = """<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/x">Football club signs new striker</a></li>
<li><a href="/y">Ten recipes for the weekend</a></li></ul></aside>
<footer><p>Copyright 2024 Sahel Daily Press. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>"""


def page(n: int, *, dated: bool = True, site_name: bool = True) -> str:
    """Story ``n``: a protest in one of the towns, with navigation, a cookie banner, a
    related-stories box and a footer around it."""
    town = TOWNS[n % len(TOWNS)]
    meta = []
    if site_name:
        meta.append('<meta property="og:site_name" content="Sahel Daily">')
    if dated:
        meta.append(f'<meta property="article:published_time" content="2024-05-{n % 28 + 1:02d}'
                    'T08:30:00+00:00">')
    return f"""<!DOCTYPE html><html lang="en"><head>
<title>Traders protest in {town} over fuel prices (story {n})</title>{''.join(meta)}
</head><body>{NAV}
<main><article><h1>Traders protest in {town} over fuel prices (story {n})</h1>
<p>Hundreds of traders marched through the centre of {town} on Tuesday to protest against
the rising price of fuel, closing shops along the main market road for several hours, in
the report numbered {n}.</p>
<p>Organisers said the demonstration in {town} was peaceful and that they would return to
the streets next week if the regional governor did not answer their demands.</p>
<p>Police officers watched the march from a distance and no arrests were reported by the
local authorities in {town} by the evening.</p>
</article></main>{FOOTER}</body></html>"""


def rss(site: Site, numbers: range, *, title: str = "Sahel Daily - Top stories",
        prefix: str = "/news") -> str:
    items = "".join(
        f"""<item><title>Traders protest (story {n})</title>
<link>{site.url(f"{prefix}/2024/05/{n % 28 + 1:02d}/story-{n}")}</link>
<guid isPermaLink="false">sahel-{prefix}-{n}</guid>
<pubDate>Tue, {n % 28 + 1:02d} May 2024 09:00:00 +0000</pubDate>
<description>Traders marched against fuel prices.</description></item>"""
        for n in numbers)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{title}</title><link>{site.url("/")}</link>
<description>News from the Sahel</description>{items}</channel></rss>"""


def serve_outlet(site: Site, numbers: range, *, prefix: str = "/news",
                 feed_path: str = "/rss.xml", etag: str | None = None) -> None:
    """Routes for an RSS feed of stories ``numbers`` and their pages."""
    headers = {"ETag": etag} if etag else {}
    site.routes[feed_path] = Reply(200, rss(site, numbers, prefix=prefix),
                                   "application/rss+xml; charset=utf-8", headers=headers)
    for n in numbers:
        site.routes[f"{prefix}/2024/05/{n % 28 + 1:02d}/story-{n}"] = Reply(200, page(n))
