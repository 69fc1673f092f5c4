"""Rounds of `eventscope watch` against real servers on loopback: feeds, pages, a
webhook receiver and an SMTP sink. A stand-in coder (one PROTEST per article) keeps these
tests about polling, storing and alerting."""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eventscope import cli
from eventscope.alerts import SmtpServer, run_alerts
from eventscope.ingest.fetch import Fetcher, FetchPolicy, parse_networks
from eventscope.ingest.run import Processor
from eventscope.ingest.watch import run_round
from eventscope.store import Store
from eventscope.store import watch as tables
from eventscope.store.filter import Filter
from feedsite import page, rss, serve_outlet
from localweb import Reply, Seen, Site, serving
from standins import one_protest_each

BOMB = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title>
</channel></rss>"""


def coder(bias: str | None) -> Processor:
    return one_protest_each


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as s:
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    policy = FetchPolicy(allow_nets=parse_networks(["127.0.0.1/32"]), delay=0, backoff=0.01,
                         retries=1, read_timeout=0.5)
    with Fetcher(policy) as f:
        yield f


@pytest.fixture
def store(db_target: str) -> Iterator[Store]:
    """A store in SQLite and in PostgreSQL (tests/conftest.py)."""
    with Store(db_target) as s:
        yield s


def test_a_round_stores_new_pages_and_reports_each_bad_input_in_one_line(
    site: Site, fetcher: Fetcher, store: Store
) -> None:
    serve_outlet(site, range(1, 4))
    site.routes["/robots.txt"] = Reply(200, "User-agent: *\nDisallow: /news/2024/05/04/",
                                       "text/plain")
    site.routes["/bad.xml"] = Reply(200, "just words", "text/xml")
    site.routes["/bomb.xml"] = Reply(200, BOMB, "application/rss+xml")
    site.routes["/mixed.xml"] = Reply(200, rss(site, range(10, 14), prefix="/m"),
                                      "application/rss+xml")
    site.routes["/m/2024/05/11/story-10"] = Reply(200, page(10))
    site.routes["/m/2024/05/12/story-11"] = Reply(200, b"%PDF-1.4", "application/pdf")
    site.routes["/m/2024/05/13/story-12"] = Reply(301, headers={
        "Location": "http://127.0.0.2/admin"})
    site.routes["/m/2024/05/14/story-13"] = Reply(200, "<p>x</p>" * 300_000)  # 2.4 MB
    for url in ("/rss.xml", "/bad.xml", "/bomb.xml", "/mixed.xml"):
        tables.add_feed(store, site.url(url))
    fetcher.policy.max_bytes = 2**20
    report = run_round(store, fetcher, coder)
    assert (report.feeds, report.new_articles, report.events) == (4, 3, 3)
    assert report.exit_status == 3
    errors = "\n".join(report.errors)
    assert len(report.errors) == 6 == report.failures
    for expected in (f"feed {site.url('/bad.xml')}: is neither XML nor JSON",
                     f"feed {site.url('/bomb.xml')}: declares XML entities",
                     "story-3: is disallowed by its site's robots.txt",
                     "story-11: is application/pdf, not HTML",
                     "story-12: redirects to http://127.0.0.2/admin, which resolves to a loopback",
                     "story-13: is too large"):
        assert expected in errors
    assert store.article_count() == 3
    article_id = next(store.iter_events()).article.article_id
    stored = tables.article_sources_of(store, article_id)
    assert stored[0].published_source == "page" and stored[0].outlet == "Sahel Daily"
    article = store.get_article(article_id)
    assert article and (article.published_source, article.outlet_source) == ("page", "page")
    bad = {f.url: f for f in tables.list_feeds(store)}[site.url("/bad.xml")]
    assert bad.failures == 1 and "neither XML nor JSON" in (bad.last_error or "")


def test_the_next_round_asks_conditionally_and_fetches_nothing_seen(
    site: Site, fetcher: Fetcher, store: Store
) -> None:
    serve_outlet(site, range(1, 4), etag='"a"')
    plain = rss(site, range(1, 4))

    def feed(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"a"':
            return Reply(304, content_type=None)
        return Reply(200, plain, "application/rss+xml", headers={"ETag": '"a"'})

    site.routes["/rss.xml"] = feed
    site.routes["/copy.xml"] = Reply(200, plain, "application/rss+xml")  # no validators
    tables.add_feed(store, site.url("/rss.xml"))
    tables.add_feed(store, site.url("/copy.xml"))
    first = run_round(store, fetcher, coder)
    assert (first.new_articles, first.duplicates, first.failures) == (3, 3, 0)
    before = len(site.seen)
    second = run_round(store, fetcher, coder)
    assert (second.feeds, second.not_modified, second.new_articles) == (2, 1, 0)
    assert sorted(s.path for s in site.seen[before:]) == ["/copy.xml", "/rss.xml"]
    assert store.article_count() == 3 and store.count() == 3
    article_id = store.iter_events().__next__().article.article_id
    assert len(tables.article_sources_of(store, article_id)) == 2  # seen at two feeds


def test_a_passing_failure_is_retried_next_round_a_lasting_one_is_not(
    site: Site, fetcher: Fetcher, store: Store
) -> None:
    serve_outlet(site, range(1, 3))
    slow = "/news/2024/05/02/story-1"
    site.routes[slow] = Reply(200, page(1), delay=1.0)
    site.routes["/news/2024/05/03/story-2"] = Reply(200, "not html", "application/json")
    tables.add_feed(store, site.url("/rss.xml"))
    first = run_round(store, fetcher, coder)
    assert first.failures == 2 and "timed out" in first.errors[0]
    site.routes[slow] = Reply(200, page(1))
    second = run_round(store, fetcher, coder)
    assert (second.new_articles, second.failures) == (1, 0)


# `eventscope watch` in its own process, with the stand-in coder put in its place.
WATCH = (
    "import sys; sys.path.insert(0, {tests!r}); from standins import one_protest_each; "
    "from eventscope import cli; "
    "cli.pipeline_processor = lambda n, m, country_bias=None: one_protest_each; cli.app()"
)


def test_sigterm_lets_the_current_article_finish_and_commit(site: Site, tmp_path: Path) -> None:
    serve_outlet(site, range(1, 9))
    for n in range(1, 9):  # slow pages: the signal arrives mid-round
        site.routes[f"/news/2024/05/{n + 1:02d}/story-{n}"] = Reply(200, page(n), delay=0.3)
    db = tmp_path / "t.db"
    with Store(db) as store:
        tables.add_feed(store, site.url("/rss.xml"))
    code = WATCH.format(tests=str(Path(__file__).resolve().parents[1]))
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "watch", "--db", str(db), "--interval", "60",
         "--delay", "0", "--allow-net", "127.0.0.1/32"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # at most a minute for the first article
            with sqlite3.connect(db) as conn:
                if conn.execute("SELECT count(*) FROM articles").fetchone()[0]:
                    break
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "stopping after the current article" in err
    assert out.startswith("feeds: 1 polled") and out.count("\n") == 1
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        seen = conn.execute("SELECT count(*) FROM feed_items WHERE outcome IN "
                            "('new', 'near-duplicate')").fetchone()[0]
    assert 1 <= stored < 8 and seen == stored  # each stored article's item is marked seen


def test_a_round_where_every_feed_fails_exits_1(
    site: Site, fetcher: Fetcher, store: Store
) -> None:
    tables.add_feed(store, site.url("/missing.xml"))
    report = run_round(store, fetcher, coder)
    assert report.exit_status == 1 and "HTTP 404" in report.errors[0]


def test_stop_lets_the_current_article_finish(site: Site, fetcher: Fetcher,
                                              store: Store) -> None:
    serve_outlet(site, range(1, 6))
    tables.add_feed(store, site.url("/rss.xml"))
    stop = threading.Event()
    report = run_round(store, fetcher, coder, stop=stop, on_article=lambda r: stop.set())
    assert report.stopped and report.new_articles == 1 and store.article_count() == 1
    rest = run_round(store, fetcher, coder)
    assert rest.new_articles == 4


# -- watchlists and alerts ------------------------------------------------------------


def hook_site(site: Site, status: int = 204) -> list[Seen]:
    received: list[Seen] = []

    def hook(seen: Seen) -> Reply:
        received.append(seen)
        return Reply(status, content_type=None)

    site.routes["/hook"] = hook
    return received


def test_webhook_gets_signed_events_once_across_restarts(
    site: Site, fetcher: Fetcher, tmp_path: Path
) -> None:
    db = tmp_path / "w.db"
    serve_outlet(site, range(1, 3))
    received = hook_site(site)
    with Store(db) as store:
        tables.add_feed(store, site.url("/rss.xml"))
        run_round(store, fetcher, coder)  # stored before the watchlist: never alerted
        tables.add_watchlist(store, "sahel", Filter(types=("PROTEST",)), [
            tables.Delivery("webhook", site.url("/hook"), "s3cret")])
        serve_outlet(site, range(1, 5))
        report = run_round(store, fetcher, coder)
    assert (report.new_articles, report.alerts) == (2, 2)
    (post,) = received
    body = json.loads(post.body)
    assert body["watchlist"] == "sahel" and len(body["events"]) == 2
    assert sorted(e["article"]["title"][-9:] for e in body["events"]) == [
        "(story 3)", "(story 4)"]
    expected = hmac.new(b"s3cret", post.body, hashlib.sha256).hexdigest()
    assert post.headers["x-eventscope-signature"] == f"sha256={expected}"
    with Store(db) as again:  # a restart: nothing is sent twice
        assert run_round(again, fetcher, coder).alerts == 0
        assert [a.status for a in tables.alert_log(again)] == ["sent", "sent"]
    assert len(received) == 1


def test_a_failed_delivery_is_kept_and_retried_later(site: Site, fetcher: Fetcher,
                                                     store: Store) -> None:
    received = hook_site(site, status=500)
    tables.add_watchlist(store, "all", Filter(), [
        tables.Delivery("webhook", site.url("/hook"))])
    serve_outlet(site, range(1, 2))
    tables.add_feed(store, site.url("/rss.xml"))
    report = run_round(store, fetcher, coder)
    assert report.alerts == 0 and "answered HTTP 500" in report.errors[-1]
    assert "retry at" in report.errors[-1]
    (alert,) = tables.alert_log(store)
    assert (alert.status, alert.attempts) == ("pending", 1) and alert.next_try
    assert run_alerts(store, fetcher).sent == 0  # not due yet: no request
    tries = len(received)
    site.routes["/hook"] = Reply(204, content_type=None)
    later = run_alerts(store, fetcher, now="2999-01-01T00:00:00+00:00")
    assert later.sent == 1 and len(received) == tries
    assert tables.alert_log(store)[0].status == "sent"


def test_a_watchlist_only_matches_its_filter_and_counts_unseen(
    site: Site, fetcher: Fetcher, store: Store
) -> None:
    tables.add_watchlist(store, "assaults", Filter(types=("ASSAULT",)))
    tables.add_watchlist(store, "protests", Filter(types=("PROTEST",)))
    serve_outlet(site, range(1, 4))
    tables.add_feed(store, site.url("/rss.xml"))
    run_round(store, fetcher, coder)
    counts = tables.match_counts(store)
    assert (counts["assaults"].unseen, counts["protests"].unseen) == (0, 3)
    assert {a.status for a in tables.alert_log(store)} == {"logged"}
    latest = counts["protests"].latest
    assert tables.match_counts(store, {"protests": latest})["protests"].unseen == 0
    assert tables.match_counts(store, {"protests": latest - 1})["protests"].unseen == 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_sink() -> Iterator[tuple[SmtpServer, list[Any]]]:
    from aiosmtpd.controller import Controller

    messages: list[Any] = []

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            messages.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer.parse(f"smtp://127.0.0.1:{port}", "alerts@newsroom.example"), messages
    finally:
        controller.stop()


def test_email_alerts_reach_the_smtp_server(site: Site, fetcher: Fetcher, store: Store,
                                            smtp_sink: tuple[SmtpServer, list[Any]]) -> None:
    server, messages = smtp_sink
    tables.add_watchlist(store, "sahel", Filter(), [tables.Delivery("email", "desk@example.org")])
    serve_outlet(site, range(1, 3))
    tables.add_feed(store, site.url("/rss.xml"))
    assert run_round(store, fetcher, coder, smtp=server).alerts == 2
    (envelope,) = messages
    assert envelope.rcpt_tos == ["desk@example.org"]
    mail = message_from_bytes(envelope.content)
    assert mail["Subject"] == "eventscope: 2 new events for sahel"
    assert "Hundreds of traders marched" in mail.get_payload()


def test_smtp_settings_are_checked() -> None:
    assert SmtpServer.parse("smtps://u:p%40ss@mail.example").port == 465
    assert SmtpServer.parse("smtps://u:p%40ss@mail.example").password == "p@ss"
    with pytest.raises(ValueError, match="EVENTSCOPE_SMTP 'mail.example:25'"):
        SmtpServer.parse("mail.example:25")


# -- the commands -----------------------------------------------------------------------

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(cli.app, list(args), env=env)


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "pipeline_processor",
                        lambda n_process, model, country_bias=None: one_protest_each)


def test_feeds_and_watchlists_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    assert run("feeds", "add", "http://news.example/rss", "--db", db, "--outlet",
               "News", "--country-bias", "mli").stdout == "feed added: http://news.example/rss\n"
    assert "already added" in run("feeds", "add", "http://news.example/rss", "--db", db).stdout
    bad = run("feeds", "add", "file:///etc/passwd", "--db", db)
    assert bad.exit_code == 1 and "not an http(s) URL" in bad.stderr
    listed = run("feeds", "list", "--db", db).stdout
    assert "http://news.example/rss\tNews [MLI]\tnot polled yet" in listed
    added = run("watchlist", "add", "tartus", "--db", db, "--type", "ASSAULT", "--near",
                "34.89,35.89,50", "--webhook", "https://hooks.example/x", "--secret", "k")
    assert added.exit_code == 0, added.stderr
    assert run("watchlist", "add", "tartus", "--db", db).exit_code == 1
    bad_filter = run("watchlist", "add", "x", "--db", db, "--near", "1,2")
    assert bad_filter.exit_code == 1 and "--near '1,2'" in bad_filter.stderr
    assert "tartus\t" in run("watchlist", "list", "--db", db).stdout
    assert run("watchlist", "remove", "tartus", "--db", db).exit_code == 0
    assert run("watchlist", "remove", "tartus", "--db", db).exit_code == 1
    assert run("feeds", "remove", "http://news.example/rss", "--db", db).exit_code == 0
    assert run("alerts", "--db", db).stdout == "no alerts yet\n"


def test_watch_once_prints_one_line_and_exits_by_outcome(
    stand_in: None, site: Site, tmp_path: Path
) -> None:
    db = str(tmp_path / "c.db")
    serve_outlet(site, range(1, 3))
    run("feeds", "add", site.url("/rss.xml"), "--db", db)
    run("watchlist", "add", "all", "--db", db)
    refused = run("watch", "--once", "--db", db, "--delay", "0")
    assert refused.exit_code == 1 and "loopback address 127.0.0.1" in refused.stderr
    result = run("watch", "--once", "--db", db, "--delay", "0",
                 env={"EVENTSCOPE_ALLOW_NET": "127.0.0.1/32"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("feeds: 1 polled, 0 not modified; articles: 2 new; events: 2; "
                             "alerts: 2 new, 0 sent; failures: 0\n")
    run("feeds", "add", site.url("/gone.xml"), "--db", db)
    partial = run("watch", "--once", "--db", db, "--delay", "0", "--allow-net", "127.0.0.1/32")
    assert partial.exit_code == 3 and "HTTP 404" in partial.stderr
    log = run("alerts", "--db", db).stdout.splitlines()
    assert len(log) == 2 and all("\tall\t" in line and "logged" in line for line in log)
