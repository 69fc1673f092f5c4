"""What every response carries and every request must show (issue 12): the Host header
checked against the names the server answers to (against DNS rebinding), and headers
that keep the page's content its own."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventscope.api import create_app
from eventscope.api.security import allowed_hosts, normalise_host, tile_source


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000",
                                  "[::1]:8000", "LOCALHOST."])
def test_the_loopback_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/stats", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example", ""])
def test_another_host_is_refused_in_one_line(client: TestClient, host: str) -> None:
    response = client.get("/api/events", headers={"Host": host})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith(f"host {host!r} is not served here") and "\n" not in error
    assert "--allow-host" in error
    assert response.headers["x-frame-options"] == "DENY"


def test_extra_names_are_served_and_a_star_serves_any(db: Path) -> None:
    hosts = allowed_hosts("192.0.2.7", ["events.example.org"])
    assert hosts == {"127.0.0.1", "localhost", "::1", "192.0.2.7", "events.example.org"}
    assert allowed_hosts("0.0.0.0") == allowed_hosts()  # noqa: S104 - every interface
    with TestClient(create_app(str(db), hosts=hosts), base_url="http://localhost") as c:
        assert c.get("/api/stats", headers={"Host": "events.example.org"}).status_code == 200
        assert c.get("/api/stats", headers={"Host": "other.example"}).status_code == 400
    with TestClient(create_app(str(db), hosts={"*"}), base_url="http://localhost") as c:
        assert c.get("/api/stats", headers={"Host": "other.example"}).status_code == 200


@pytest.mark.parametrize("value", ["[::1]:80", "[::1]", "::1"])
def test_ipv6_hosts_lose_their_brackets_and_port(value: str) -> None:
    assert normalise_host(value) == "::1"


@pytest.mark.parametrize("path", ["/", "/api/events", "/api/stats", "/static/style.css",
                                  "/api/nowhere", "/docs"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "'unsafe-eval'" not in policy


def test_the_page_may_run_only_its_own_scripts_and_styles(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "'unsafe-inline'" not in policy


def test_the_docs_page_runs_its_one_inline_script_by_hash(client: TestClient) -> None:
    response = client.get("/docs")
    [script] = re.findall(rb"<script>(.*?)</script>", response.content, re.S)
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["content-security-policy"]


def test_map_tiles_may_come_from_the_tile_server(db: Path) -> None:
    tiles = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    assert tile_source(tiles) == "https://*.tiles.example.org"
    assert tile_source("javascript:alert(1)") == ""
    with TestClient(create_app(str(db), tiles=tiles), base_url="http://localhost") as c:
        policy = c.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tiles.example.org;" in policy


@pytest.mark.parametrize(("query", "name"), [("q=%00", "q"), ("q=a%00b", "q"),
                                             ("actor=%00", "actor")])
def test_a_nul_in_a_text_parameter_is_400(client: TestClient, query: str, name: str) -> None:
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"{name} ")
    assert "control character (U+0000)" in response.json()["error"]
