"""Alerts: watchlists matched against newly stored events, and delivered.

A webhook receives a POST of ``{"watchlist": NAME, "events": [event records], "sent_at":
ISO time}``, signed with ``X-Eventscope-Signature: sha256=<hex HMAC-SHA256 of the body>``
when the watchlist has a secret; it goes through the fetcher's address guard like any
other request. Email goes to the SMTP server named by EVENTSCOPE_SMTP
(``smtp://[user:password@]host[:port]``, ``smtps://`` for TLS from the start,
``smtp+starttls://`` to upgrade); the sender is EVENTSCOPE_SMTP_FROM. A failed delivery is
kept and retried in later rounds with a doubling wait (see ``store.watch``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from .ingest.fetch import Fetcher, FetchError
from .record import Event
from .store import Store
from .store import watch as tables

SMTP_ENV = "EVENTSCOPE_SMTP"
SMTP_FROM_ENV = "EVENTSCOPE_SMTP_FROM"
SIGNATURE_HEADER = "X-Eventscope-Signature"


class DeliveryError(Exception):
    """A delivery that did not go through, with a one-line reason."""


@dataclass
class AlertReport:
    matched: int = 0  # new matches: events newly matched, once per watchlist matching
    sent: int = 0  # alerts delivered in this round
    failed: int = 0  # deliveries that failed (kept for a later round)
    errors: list[str] = field(default_factory=list)


def payload(watchlist: str, found: Sequence[Event], sent_at: str) -> bytes:
    body = {"watchlist": watchlist, "events": [e.model_dump(mode="json") for e in found],
            "sent_at": sent_at}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(body: bytes, secret: str) -> str:
    """The header value a receiver recomputes to check a webhook came from us."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def send_webhook(fetcher: Fetcher, url: str, body: bytes, secret: str | None) -> None:
    headers = {SIGNATURE_HEADER: signature(body, secret)} if secret else {}
    try:
        fetcher.post_json(url, body, headers)
    except FetchError as exc:
        raise DeliveryError(str(exc)) from None


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    security: str  # "plain", "tls" or "starttls"
    user: str | None = None
    password: str | None = None
    sender: str = "eventscope@localhost"

    @classmethod
    def from_env(cls) -> SmtpServer | None:
        value = os.environ.get(SMTP_ENV, "").strip()
        return cls.parse(value, os.environ.get(SMTP_FROM_ENV)) if value else None

    @classmethod
    def parse(cls, value: str, sender: str | None = None) -> SmtpServer:
        parts = urlsplit(value)
        security = {"smtp": "plain", "smtps": "tls", "smtp+starttls": "starttls"}.get(
            parts.scheme)
        if security is None or not parts.hostname:
            raise ValueError(f"{SMTP_ENV} {value!r}: expected smtp://host:port (or smtps://, "
                             "smtp+starttls://)")
        try:
            port = parts.port or (465 if security == "tls" else 25)
        except ValueError:
            raise ValueError(f"{SMTP_ENV} {value!r}: the port is not a number") from None
        return cls(parts.hostname, port, security,
                   unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None,
                   sender or "eventscope@localhost")


def email_message(watchlist: str, found: Sequence[Event], to: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    n = len(found)
    message["Subject"] = f"eventscope: {n} new event{'s' * (n != 1)} for {watchlist}"
    message["From"] = sender
    message["To"] = to
    lines = [f"Watchlist {watchlist!r} matched {n} new event{'s' * (n != 1)}:", ""]
    for event in found:
        who = " -> ".join(a.name or a.text or "?" for a in (event.actor, event.target) if a)
        where = event.location.name or event.location.text if event.location else ""
        lines.append(f"{event.date or 'undated'}  {event.event_type}  {who}  {where}".rstrip())
        lines.append(f"    {event.evidence.sentence}")
        if event.article.url:
            lines.append(f"    {event.article.url}")
        lines.append("")
    message.set_content("\n".join(lines))
    return message


def send_email(server: SmtpServer | None, to: str, message: EmailMessage,
               timeout: float = 20.0) -> None:
    if server is None:
        raise DeliveryError(f"email {to}: no SMTP server ({SMTP_ENV} is not set)")
    try:
        client: smtplib.SMTP
        if server.security == "tls":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=timeout)
        with client:
            if server.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if server.user:
                client.login(server.user, server.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"email {to}: SMTP {server.host}:{server.port} failed "
                            f"({type(exc).__name__}: {exc})") from None


def run_alerts(store: Store, fetcher: Fetcher, smtp: SmtpServer | None = None,
               on_error: Callable[[str], None] | None = None,
               now: str | None = None) -> AlertReport:
    """Match new events against every watchlist, then send every alert that is due (by
    ``now``, an ISO time; default the present)."""
    report = AlertReport(matched=tables.match_new_events(store))
    for batch in tables.due_batches(store, now):
        sent_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        name, delivery = batch.watchlist.name, batch.delivery
        try:
            if delivery.kind == "webhook":
                send_webhook(fetcher, delivery.target, payload(name, batch.events, sent_at),
                             delivery.secret)
            else:
                sender = smtp.sender if smtp else "eventscope@localhost"
                send_email(smtp, delivery.target,
                           email_message(name, batch.events, delivery.target, sender))
        except DeliveryError as exc:
            later = tables.mark_failed(store, batch.alert_ids, str(exc), batch.attempts)
            report.failed += len(batch.alert_ids)
            message = f"watchlist {name!r}: {delivery.label}: {exc} ({later})"
            report.errors.append(message)
            if on_error:
                on_error(message)
            continue
        tables.mark_sent(store, batch.alert_ids, sent_at)
        report.sent += len(batch.alert_ids)
    return report
