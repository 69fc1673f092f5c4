"""All network access of eventscope: HTTP(S) fetches behind an address guard, politely.

Every request goes through :class:`Fetcher`, which

- allows only ``http`` and ``https`` URLs;
- resolves the host itself, refuses the request if ANY resolved address is loopback,
  private, link-local, multicast, reserved or unspecified (IPv4, IPv6, IPv4-mapped IPv6)
  unless it lies in a range the operator allowed (``--allow-net``, EVENTSCOPE_ALLOW_NET),
  then connects to that checked address (Host header and TLS SNI keep the name), so a
  second DNS answer cannot swap in an internal address;
- follows redirects itself, at most 5, checking every hop the same way;
- caps the body while streaming (10 MB by default), with connect/read timeouts and a
  total time budget per response, and accepts only HTML, XML and JSON content types;
- names itself (``eventscope/<version> (+<project url>)``), obeys robots.txt for pages,
  makes one request at a time per host with a delay between them, and backs off on 429
  and 5xx honouring Retry-After (bounded);
- sends conditional GETs (ETag, Last-Modified) when asked.

Failures are :class:`FetchError` values whose message names the URL and the problem.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from .. import __version__
from .errors import IngestError

CONTACT_ENV = "EVENTSCOPE_CONTACT"  # an operator's URL or address for site owners
ROBOTS_AGENT = "eventscope"  # the token robots.txt rules name
ALLOW_NET_ENV = "EVENTSCOPE_ALLOW_NET"

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRYABLE = frozenset({429, 500, 502, 503, 504})

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset({"application/xml", "text/xml", "application/rss+xml",
                       "application/atom+xml", "application/rdf+xml"})
JSON_TYPES = frozenset({"application/json", "application/feed+json"})
DOCUMENT_TYPES = HTML_TYPES | XML_TYPES | JSON_TYPES

_NOTHING = ["User-agent: *", "Disallow: /"]  # robots.txt rules that allow nothing
ROBOTS_TTL = 24 * 3600.0  # seconds a site's robots.txt is trusted before it is read again
ROBOTS_RETRY = 600.0  # ... and an unreadable one before it is tried again
# robots.txt is plain text, but sites serve it under many types (or none)
ROBOTS_TYPES = frozenset({"text/plain", "text/html", "application/octet-stream", ""})
Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchError(IngestError):
    """A URL that could not be fetched. ``transient``: worth trying again in a later round
    (timeouts, refused connections, 429, 5xx); otherwise retrying cannot help."""

    problem = "cannot be fetched"

    def __init__(self, source: str, detail: str | None = None, *, transient: bool = False):
        super().__init__(source, detail)
        self.transient = transient


class Blocked(FetchError):
    """Refused before any byte was sent: scheme, address, or robots.txt."""

    problem = "is not allowed"


def user_agent() -> str:
    """``eventscope/<version> (+<contact>)``: the contact is EVENTSCOPE_CONTACT, else the
    project's home page from the package metadata."""
    contact = os.environ.get(CONTACT_ENV, "").strip()
    if not contact:
        from importlib.metadata import PackageNotFoundError, metadata

        try:
            urls = metadata("eventscope").get_all("Project-URL") or []
        except PackageNotFoundError:
            urls = []
        contact = next((u.split(",", 1)[1].strip() for u in urls if "," in u),
                       "https://pypi.org/project/eventscope/")
    return f"eventscope/{__version__} (+{contact})"


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """CIDR ranges (``10.0.0.0/8``, ``fd00::/8``, ``127.0.0.1/32``), comma- or
    space-separated; raises ValueError naming the bad one."""
    nets: list[IPNetwork] = []
    for value in values:
        for part in value.replace(",", " ").split():
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(f"allow-net {part!r}: expected a CIDR range such as "
                                 "10.0.0.0/8") from None
    return tuple(nets)


def env_networks() -> tuple[IPNetwork, ...]:
    return parse_networks([os.environ.get(ALLOW_NET_ENV, "")])


def refusal(address: str, allowed: Sequence[IPNetwork] = ()) -> str | None:
    """Why connecting to ``address`` is refused, or None when it is a public address (or
    one in ``allowed``)."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(ip.version == net.version and ip in net for net in allowed):
        return None
    for kind, flag in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                       ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                       ("reserved", ip.is_reserved), ("private", ip.is_private)):
        if flag:
            return f"{kind} address {ip}"
    if not ip.is_global:  # shared address space (100.64/10) and the like
        return f"non-public address {ip}"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_document_type(mtype: str) -> bool:
    return mtype in DOCUMENT_TYPES or mtype.endswith(("+xml", "+json"))


@dataclass
class Response:
    """A fetched document: ``url`` is the final URL after redirects."""

    url: str
    status: int
    content_type: str
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    charset: str | None = None
    location: str | None = None  # of a redirect
    retry_after: str | None = None  # of a 429 or 5xx

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text: the charset the headers name, else the one the document
        declares, else UTF-8 (undecodable bytes replaced)."""
        for charset in (self.charset, declared_charset(self.body), "utf-8"):
            if not charset:
                continue
            try:
                return self.body.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
        return self.body.decode("utf-8", errors="replace")


_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)"""
                       rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def declared_charset(body: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or an XML declaration names near the start."""
    match = _DECLARED.search(body[:4096])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


@dataclass
class FetchPolicy:
    """The limits of a Fetcher; defaults are the documented ones."""

    allow_nets: tuple[IPNetwork, ...] = ()
    max_bytes: int = MAX_BYTES
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # a trickling server cannot hold a round longer than this
    delay: float = 1.0  # seconds between two requests to one host
    max_redirects: int = MAX_REDIRECTS
    retries: int = 2  # extra attempts after a 429/5xx
    backoff: float = 2.0  # first wait when no Retry-After is given; doubles each time
    max_retry_after: float = 60.0  # a longer Retry-After fails now, to be retried next round
    robots: bool = True
    user_agent: str = field(default_factory=lambda: user_agent())
    ca_file: str | None = None  # certificates to trust instead of the system's (an intranet CA)


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = -1e9
    # A Retry-After too long to wait out now: nothing is sent to the host before then.
    not_before: float = -1e9


class Fetcher:
    """Guarded, polite HTTP GETs (and webhook POSTs). One per process; thread-safe."""

    def __init__(self, policy: FetchPolicy | None = None,
                 resolver: Resolver = system_resolver) -> None:
        self.policy = policy or FetchPolicy()
        self.resolver = resolver
        timeout = httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout)
        # trust_env=False: no proxy from the environment may route around the guard.
        verify: ssl.SSLContext | bool = True
        if self.policy.ca_file:
            verify = ssl.create_default_context(cafile=self.policy.ca_file)
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                                   verify=verify)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        # per site: its robots.txt rules and when they were read
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser, float]] = {}

    # -- public --------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: frozenset[str] | None = None, page: bool = False) -> Response:
        """GET ``url`` following up to 5 redirects; a 304 comes back as ``not_modified``.

        ``page``: check robots.txt first. ``accept``: media types allowed (default HTML,
        XML and JSON).
        """
        if page and self.policy.robots and not self.allowed_by_robots(url):
            raise Blocked(url, "is disallowed by its site's robots.txt")
        headers = {"Accept-Encoding": "gzip, deflate",
                   "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                             "application/json;q=0.9,*/*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow("GET", url, headers, None, accept)

    def post_json(self, url: str, body: bytes, headers: dict[str, str] | None = None) -> int:
        """POST a JSON body to ``url`` (no redirects followed); returns the status, raises
        FetchError for anything but 2xx."""
        sent = {"Content-Type": "application/json", **(headers or {})}
        response = self._request("POST", url, sent, body, frozenset(), read_body=False)
        if not 200 <= response.status < 300:
            raise FetchError(url, f"answered HTTP {response.status}",
                             transient=True)
        return response.status

    def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s site lets eventscope fetch it (read once a
        day per site). No robots.txt (4xx) allows all; an unreachable one (5xx, network
        error) allows nothing for now (RFC 9309), and is asked again ten minutes later."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(origin)
        if cached is None or cached[1] < time.monotonic():
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            keep = ROBOTS_TTL
            try:
                response = self._follow("GET", origin + "/robots.txt", {}, None,
                                        ROBOTS_TYPES, errors_ok=True)
                if response.status >= 500 or response.status == 429:
                    parser.parse(_NOTHING)
                    keep = ROBOTS_RETRY
                elif response.status >= 400:
                    parser.parse([])
                else:
                    parser.parse(response.text().splitlines())
            except Blocked:
                raise
            except FetchError:
                parser.parse(_NOTHING)
                keep = ROBOTS_RETRY
            cached = self._robots[origin] = (parser, time.monotonic() + keep)
        parser = cached[0]
        return parser.can_fetch(ROBOTS_AGENT, url)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals -----------------------------------------------------------------

    def _follow(self, method: str, url: str, headers: dict[str, str], body: bytes | None,
                accept: frozenset[str] | None, errors_ok: bool = False) -> Response:
        seen = {url}
        current = url
        for _ in range(self.policy.max_redirects + 1):
            try:
                response = self._with_retries(method, current, headers, body, accept,
                                              errors_ok)
            except FetchError as exc:
                if current == url:
                    raise
                # name the URL asked for, and the hop that failed
                raise type(exc)(url, f"redirects to {current}, which "
                                f"{exc.detail or exc.problem}", transient=exc.transient
                                ) from None
            if response.status not in REDIRECTS:
                return response
            location = response.location
            if not location:
                raise FetchError(url, f"redirects (HTTP {response.status}) without a Location")
            nxt = urljoin(current, location)
            if nxt in seen:
                raise FetchError(url, f"is a redirect loop (back to {nxt})")
            seen.add(nxt)
            current = nxt
        raise FetchError(url, f"redirects more than {self.policy.max_redirects} times")

    def _with_retries(self, method: str, url: str, headers: dict[str, str],
                      body: bytes | None, accept: frozenset[str] | None,
                      errors_ok: bool) -> Response:
        wait = self.policy.backoff
        for attempt in range(self.policy.retries + 1):
            response = self._request(method, url, headers, body, accept)
            if response.status not in RETRYABLE:
                if response.status >= 400 and not errors_ok:
                    raise FetchError(url, f"answered HTTP {response.status}",
                                     transient=response.status in (408, 425))
                return response
            asked = response.retry_after
            pause = retry_after(asked) if asked is not None else wait
            if attempt == self.policy.retries or pause > self.policy.max_retry_after:
                if asked:  # honoured in later requests to the host, this round or next
                    slot = self._host((urlsplit(url).hostname or "").lower())
                    slot.not_before = max(slot.not_before, time.monotonic() + pause)
                if errors_ok:
                    return response
                later = f" (asks to retry after {pause:.0f} s)" if asked else ""
                raise FetchError(url, f"answered HTTP {response.status}{later}",
                                 transient=True)
            time.sleep(max(0.0, pause))
            wait *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _host(self, key: str) -> _Host:
        with self._hosts_lock:
            return self._hosts.setdefault(key, _Host())

    def _request(self, method: str, url: str, headers: dict[str, str], body: bytes | None,
                 accept: frozenset[str] | None, read_body: bool = True) -> Response:
        """One request, to a checked address; redirects and 429/5xx come back as they are."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise Blocked(url, f"uses the scheme {parts.scheme or '(none)'!r}; "
                          "only http and https are fetched")
        host = parts.hostname
        if not host:
            raise Blocked(url, "has no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise Blocked(url, "has an invalid port") from None
        address = self._checked_address(url, host, port)
        netloc = f"[{address}]" if ":" in address else address
        target = urlunsplit((parts.scheme, f"{netloc}:{port}", parts.path or "/",
                             parts.query, ""))
        sent = {"User-Agent": self.policy.user_agent, **headers,
                "Host": parts.netloc.rsplit("@", 1)[-1]}
        request = self.client.build_request(
            method, target, headers=sent, content=body,
            extensions={"sni_hostname": host} if parts.scheme == "https" else {},
        )
        slot = self._host(host.lower())
        wait = slot.not_before - time.monotonic()
        if wait > 0:
            raise FetchError(url, f"not asked: its host asked for a pause ({wait:.0f} s more, "
                             "Retry-After)", transient=True)
        with slot.lock:
            pause = slot.last + self.policy.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                return self._send(request, url, accept, read_body)
            finally:
                slot.last = time.monotonic()

    def _checked_address(self, url: str, host: str, port: int) -> str:
        try:
            literal = ipaddress.ip_address(host)
            addresses = [str(literal)]
        except ValueError:
            try:
                addresses = self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError(url, f"host {host!r} cannot be resolved ({exc})",
                                 transient=True) from None
        if not addresses:
            raise FetchError(url, f"host {host!r} has no address", transient=True)
        for address in addresses:
            why = refusal(address, self.policy.allow_nets)
            if why:
                raise Blocked(url, f"resolves to a {why} (refused; allow a range with "
                              "--allow-net)")
        return addresses[0]

    def _send(self, request: httpx.Request, url: str, accept: frozenset[str] | None,
              read_body: bool) -> Response:
        started = time.monotonic()
        try:
            response = self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchError(url, "timed out connecting or waiting for an answer",
                             transient=True) from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"cannot be reached ({type(exc).__name__}: {exc})",
                             transient=True) from None
        try:
            status = response.status_code
            mtype = media_type(response.headers.get("content-type"))
            if status in REDIRECTS:
                return Response(url, status, mtype, location=response.headers.get("location"))
            if status in RETRYABLE:
                return Response(url, status, mtype,
                                retry_after=response.headers.get("retry-after"))
            if status == 304 or status >= 400 or not read_body:
                return Response(url, status, mtype)
            allowed = accept if accept is not None else DOCUMENT_TYPES
            if not (mtype in allowed or (accept is None and is_document_type(mtype))):
                raise FetchError(url, f"is {mtype or 'of no stated type'}, not HTML, XML "
                                 "or JSON")
            length = response.headers.get("content-length", "")
            cap = self.policy.max_bytes
            if length.isdigit() and int(length) > cap:
                raise FetchError(url, f"is too large ({int(length) / 2**20:.1f} MB; the "
                                 f"limit is {cap / 2**20:.0f} MB)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > cap:
                    raise FetchError(url, f"is too large (over the {cap / 2**20:.0f} MB "
                                     "limit)")
                if time.monotonic() - started > self.policy.total_timeout:
                    raise FetchError(url, f"took over {self.policy.total_timeout:.0f} s",
                                     transient=True)
                chunks.append(chunk)
            body = _decompress(b"".join(chunks), response, url, cap)
            return Response(url, status, mtype, body, etag=response.headers.get("etag"),
                            last_modified=response.headers.get("last-modified"),
                            charset=response.charset_encoding)
        except httpx.TimeoutException:
            raise FetchError(url, "timed out while reading", transient=True) from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"broke off while reading ({type(exc).__name__})",
                             transient=True) from None
        finally:
            response.close()


def _decompress(raw: bytes, response: httpx.Response, url: str, cap: int) -> bytes:
    """The body without its Content-Encoding; the cap applies to the decoded size too, so
    a small gzip bomb is still too large."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "deflate", "x-gzip"):
        raise FetchError(url, f"uses the content encoding {encoding!r}")
    import zlib

    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
    try:
        out = decoder.decompress(raw, cap + 1)
    except zlib.error:
        raise FetchError(url, f"has a corrupt {encoding} body") from None
    if len(out) > cap:
        raise FetchError(url, f"is too large once decompressed (over {cap / 2**20:.0f} MB)")
    return out


def retry_after(value: str, now: dt.datetime | None = None) -> float:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date)."""
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
