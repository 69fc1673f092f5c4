"""The one door to the network: the address guard on every hop, limits, politeness.

Everything runs against real HTTP servers on loopback. Invented host names resolve
through a fixed table (like /etc/hosts); only 127.0.0.1/32 is allowed, so 127.0.0.2 (also
loopback, also served) stands for every internal address that must stay unreached.
"""

from __future__ import annotations

import gzip
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventscope.ingest.fetch import (
    Blocked,
    Fetcher,
    FetchError,
    FetchPolicy,
    parse_networks,
    refusal,
    retry_after,
)
from localweb import Reply, Seen, Site, hosts, serving

LOOPBACK_ONLY = parse_networks(["127.0.0.1/32"])


@pytest.fixture
def site() -> Iterator[Site]:
    with serving("127.0.0.1") as s:
        yield s


@pytest.fixture
def internal() -> Iterator[Site]:
    """A service on 127.0.0.2 that no test may reach."""
    with serving("127.0.0.2") as s:
        s.routes["/"] = Reply(200, "<html><body>secret admin panel</body></html>")
        yield s
        assert s.seen == [], "a refused address received a request"


def fetcher(**policy: object) -> Fetcher:
    settings: dict[str, object] = {"allow_nets": LOOPBACK_ONLY, "delay": 0.0, "backoff": 0.01}
    settings.update(policy)
    table = hosts({"news.test": "127.0.0.1", "other.test": "127.0.0.1",
                   "inside.test": "127.0.0.2",
                   "split.test": "127.0.0.1,127.0.0.2", "mapped.test": "::ffff:127.0.0.2"})
    return Fetcher(FetchPolicy(**settings), resolver=table)  # type: ignore[arg-type]


PAGE = "<html><head><title>T</title></head><body><p>Hello</p></body></html>"


@pytest.mark.parametrize("address, expected", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"),
    ("192.168.0.10", "private"), ("172.16.5.4", "private"), ("fd00::5", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"),
    ("::", "unspecified"), ("240.0.0.1", "reserved"), ("100.64.0.1", "non-public"),
    ("::ffff:10.0.0.1", "private"), ("::ffff:127.0.0.1", "loopback"),
])
def test_internal_addresses_are_refused(address: str, expected: str) -> None:
    why = refusal(address)
    assert why is not None and why.startswith(expected)


def test_public_addresses_and_allowed_ranges_pass() -> None:
    assert refusal("93.184.216.34") is None and refusal("2606:4700::1111") is None
    assert refusal("10.9.8.7", parse_networks(["10.0.0.0/8"])) is None
    assert refusal("::ffff:127.0.0.1", LOOPBACK_ONLY) is None
    assert refusal("127.0.0.2", LOOPBACK_ONLY) is not None


def test_a_bad_allow_net_is_named() -> None:
    with pytest.raises(ValueError, match="allow-net '10.0.0/33'"):
        parse_networks(["127.0.0.1/32, 10.0.0/33"])


def test_a_page_is_fetched_by_name_with_host_header_and_user_agent(site: Site) -> None:
    site.routes["/a"] = Reply(200, PAGE)
    with fetcher() as f:
        response = f.get(site.url("/a", host="news.test"))
    assert response.status == 200 and response.text() == PAGE
    seen = site.seen[-1]
    assert seen.headers["host"] == f"news.test:{site.port}"
    assert seen.headers["user-agent"].startswith("eventscope/0.1.0 (+")


def test_addresses_outside_the_allowed_ranges_are_never_contacted(internal: Site) -> None:
    with fetcher() as f:
        for url in (internal.url("/"), internal.url("/", host="inside.test"),
                    internal.url("/", host="split.test"),  # one good, one bad answer
                    internal.url("/", host="mapped.test"),
                    internal.url("/", host="[::ffff:127.0.0.2]")):
            with pytest.raises(Blocked, match="loopback address 127.0.0.2"):
                f.get(url)


def test_a_redirect_to_an_internal_address_is_refused_at_that_hop(
    site: Site, internal: Site
) -> None:
    site.routes["/story"] = Reply(302, headers={"Location": internal.url("/", "inside.test")})
    with fetcher() as f, pytest.raises(Blocked) as caught:
        f.get(site.url("/story", host="news.test"))
    assert "127.0.0.2" in str(caught.value)
    assert site.paths() == ["/story"]


def test_only_http_and_https(site: Site) -> None:
    with fetcher() as f:
        for url in ("file:///etc/passwd", "ftp://news.test/feed", "gopher://news.test/"):
            with pytest.raises(Blocked, match="only http and https"):
                f.get(url)
        with pytest.raises(Blocked, match="invalid port"):
            f.get("http://news.test:99999/")


def test_redirects_are_followed_up_to_five_and_loops_stopped(site: Site) -> None:
    for n in range(7):
        site.routes[f"/r{n}"] = Reply(301, headers={"Location": f"/r{n + 1}"})
    site.routes["/r3"] = Reply(200, PAGE)
    site.routes["/loop"] = Reply(302, headers={"Location": "/loop2"})
    site.routes["/loop2"] = Reply(302, headers={"Location": site.url("/loop")})
    with fetcher() as f:
        assert f.get(site.url("/r0")).url == site.url("/r3")
        site.routes["/r3"] = Reply(301, headers={"Location": "/r4"})
        with pytest.raises(FetchError, match="redirects more than 5 times"):
            f.get(site.url("/r0"))
        with pytest.raises(FetchError, match="redirect loop"):
            f.get(site.url("/loop"))


def test_conditional_get_comes_back_not_modified(site: Site) -> None:
    def feed(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304, content_type=None)
        return Reply(200, "<rss/>", "application/rss+xml",
                     headers={"ETag": '"v1"', "Last-Modified": "Mon, 16 Dec 2024 10:00:00 GMT"})

    site.routes["/feed"] = feed
    with fetcher() as f:
        first = f.get(site.url("/feed"))
        again = f.get(site.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert (first.etag, first.last_modified) == ('"v1"', "Mon, 16 Dec 2024 10:00:00 GMT")
    assert again.not_modified and again.body == b""
    assert site.seen[-1].headers["if-modified-since"] == "Mon, 16 Dec 2024 10:00:00 GMT"


def test_429_is_retried_after_the_wait_it_asks_for(site: Site) -> None:
    answers = iter([Reply(429, "slow down", headers={"Retry-After": "0"}),
                    Reply(503, "busy"), Reply(200, PAGE)])
    site.routes["/busy"] = lambda seen: next(answers)
    with fetcher() as f:
        assert f.get(site.url("/busy")).text() == PAGE
    assert site.paths() == ["/busy"] * 3


def test_a_long_retry_after_or_lasting_5xx_fails_for_a_later_round(site: Site) -> None:
    site.routes["/later"] = Reply(429, headers={"Retry-After": "3600"})
    site.routes["/down"] = Reply(500, "oops")
    with fetcher() as f:
        with pytest.raises(FetchError, match="HTTP 500") as b:
            f.get(site.url("/down"))
        with pytest.raises(FetchError, match="HTTP 429 \\(asks to retry after 3600 s\\)") as a:
            f.get(site.url("/later"))
    assert a.value.transient and b.value.transient
    assert site.paths().count("/later") == 1 and site.paths().count("/down") == 3


def test_retry_after_reads_seconds_and_http_dates() -> None:
    import datetime as dt

    now = dt.datetime(2024, 12, 16, 10, 0, tzinfo=dt.UTC)
    assert retry_after("120") == 120.0
    assert retry_after("Mon, 16 Dec 2024 10:01:30 GMT", now) == 90.0
    assert retry_after("soon") == 0.0


def test_size_cap_while_streaming_and_from_the_declared_length(site: Site) -> None:
    megabyte = b"<p>" + b"x" * (2**20 - 3)
    site.routes["/huge"] = Reply(200, megabyte, repeat=11)  # no Content-Length
    site.routes["/declared"] = Reply(200, b"x" * 2048)
    with fetcher() as f, pytest.raises(FetchError, match="too large \\(over the 10 MB"):
        f.get(site.url("/huge"))
    with fetcher(max_bytes=1024) as f, pytest.raises(FetchError, match="too large \\(0.0 MB"):
        f.get(site.url("/declared"))


def test_a_gzip_bomb_is_too_large_once_decompressed(site: Site) -> None:
    bomb = gzip.compress(b" " * (2 * 2**20))
    site.routes["/bomb"] = Reply(200, bomb, headers={"Content-Encoding": "gzip"})
    site.routes["/small"] = Reply(200, gzip.compress(PAGE.encode()),
                                  headers={"Content-Encoding": "gzip"})
    with fetcher(max_bytes=2**20) as f:
        assert f.get(site.url("/small")).text() == PAGE
        with pytest.raises(FetchError, match="too large once decompressed"):
            f.get(site.url("/bomb"))


def test_a_slow_server_times_out(site: Site) -> None:
    site.routes["/slow"] = Reply(200, PAGE, delay=1.5)
    with fetcher(read_timeout=0.3) as f, pytest.raises(FetchError, match="timed out") as caught:
        f.get(site.url("/slow"))
    assert caught.value.transient


def test_a_host_that_does_not_answer_is_one_line(site: Site) -> None:
    closed = site.port
    site.stop()
    with fetcher(connect_timeout=0.5) as f, pytest.raises(FetchError, match="cannot be reached"):
        f.get(f"http://127.0.0.1:{closed}/")


def test_only_html_xml_and_json(site: Site) -> None:
    site.routes["/img"] = Reply(200, b"\x89PNG....", "image/png")
    site.routes["/bare"] = Reply(200, b"hello", None)
    site.routes["/feed"] = Reply(200, b"{}", "application/feed+json")
    with fetcher() as f:
        with pytest.raises(FetchError, match="is image/png, not HTML, XML or JSON"):
            f.get(site.url("/img"))
        with pytest.raises(FetchError, match="of no stated type"):
            f.get(site.url("/bare"))
        assert f.get(site.url("/feed")).body == b"{}"


def test_robots_txt_is_obeyed_for_pages(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(
        200, "User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\n"
        "Disallow: /no-bots\n", "text/plain")
    site.routes["/news/1"] = Reply(200, PAGE)
    with fetcher() as f:
        assert f.get(site.url("/news/1"), page=True).status == 200
        for path in ("/no-bots/1", "/private/2"):
            with pytest.raises(Blocked, match="disallowed by its site's robots.txt"):
                f.get(site.url(path), page=True)
    assert site.paths() == ["/robots.txt", "/news/1"]  # fetched once, cached


def test_a_site_without_robots_txt_allows_everything(site: Site) -> None:
    site.routes["/a"] = Reply(200, PAGE)
    with fetcher() as f:
        assert f.get(site.url("/a"), page=True).status == 200


def test_one_host_is_not_asked_twice_within_the_delay(site: Site) -> None:
    site.routes["/a"] = Reply(200, PAGE)
    with fetcher(delay=0.3) as f:
        f.get(site.url("/a"))
        f.get(site.url("/a"))
    first, second = site.seen
    assert second.at - first.at >= 0.29


def test_webhook_posts_are_guarded_too(site: Site, internal: Site) -> None:
    site.routes["/hook"] = Reply(204, content_type=None)
    with fetcher() as f:
        assert f.post_json(site.url("/hook"), b'{"a": 1}') == 204
        with pytest.raises(Blocked):
            f.post_json(internal.url("/"), b"{}")
    assert site.seen[-1].body == b'{"a": 1}'
    assert site.seen[-1].headers["content-type"] == "application/json"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test CA and a certificate for news.test signed by it (made with openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=eventscope test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "news.key", "-out", "news.csr",
            "-subj", "/CN=news.test")
    (folder / "ext.cnf").write_text("subjectAltName=DNS:news.test\n")
    openssl("x509", "-req", "-in", "news.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "news.pem", "-days", "2", "-extfile", "ext.cnf")
    return folder


def test_https_connects_to_the_checked_address_and_still_verifies_the_name(
    certificates: Path
) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates / "news.pem", certificates / "news.key")
    with serving("127.0.0.1", tls=context) as secure:
        secure.routes["/a"] = Reply(200, PAGE)
        with fetcher(ca_file=str(certificates / "ca.pem")) as f:
            assert f.get(secure.url("/a", host="news.test")).text() == PAGE
            assert secure.seen[-1].headers["host"] == f"news.test:{secure.port}"
            # the same address under a name the certificate does not carry is refused
            with pytest.raises(FetchError, match="cannot be reached.*certificate"):
                f.get(secure.url("/a", host="other.test"))


def test_a_long_retry_after_pauses_the_whole_host(site: Site) -> None:
    site.routes["/later"] = Reply(503, headers={"Retry-After": "3600"})
    site.routes["/other"] = Reply(200, PAGE)
    with fetcher() as f:
        with pytest.raises(FetchError, match="HTTP 503"):
            f.get(site.url("/later"))
        with pytest.raises(FetchError, match="asked for a pause") as caught:
            f.get(site.url("/other"))
    assert caught.value.transient and site.paths() == ["/later"]


def test_the_charset_comes_from_the_header_else_the_document(site: Site) -> None:
    latin = '<html><head><meta charset="iso-8859-1"></head><body>Se\xf1or Mu\xf1oz</body></html>'
    site.routes["/latin"] = Reply(200, latin.encode("latin-1"), "text/html")
    site.routes["/header"] = Reply(200, "Caf\xe9".encode("cp1252"), "text/html; charset=cp1252")
    with fetcher() as f:
        assert "Señor Muñoz" in f.get(site.url("/latin")).text()
        assert f.get(site.url("/header")).text() == "Café"


def test_robots_txt_of_no_stated_type_is_still_obeyed(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(200, "User-agent: *\nDisallow: /", None)
    with fetcher() as f, pytest.raises(Blocked, match="robots.txt"):
        f.get(site.url("/a"), page=True)
