"""The FastAPI application: events, articles and counts from the store, article ingest
for the operator, and the analyst's page at ``/``.

    from eventscope.api import create_app
    app = create_app("eventscope.db")                    # read-only
    app = create_app("eventscope.db", token="s3cret")    # POST /api/articles allowed
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..budget import Skipped
from ..record import Article, Event
from ..store import Store
from ..store.filter import Filter
from ..web import INDEX_HTML, STATIC_DIR
from .auth import check_bearer
from .body import DEFAULT_MAX_BODY, Metadata, check_ids, parse_articles, read_body
from .errors import ApiError, install_handlers
from .formats import MEDIA_TYPES, render_page
from .jobs import JOB_BYTES, FairLock, Jobs
from .models import (
    ArticleDetail,
    ErrorBody,
    EventDetail,
    EventPage,
    IngestedArticle,
    IngestResult,
    JobStatus,
    PageConfig,
    Stats,
    WatchlistSummary,
)
from .params import EVENT_PARAMS, FILTER_PARAMS, check_known, event_filter, filter_params
from .security import Guard, allowed_hosts, docs_policy, page_policy

MAX_LIMIT = 5000
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorBody}, 503: {"model": ErrorBody}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS, **{status: {"model": ErrorBody} for status in (401, 403, 409, 413)},
}

DESCRIPTION = """\
PLOVER events extracted from news articles: who did what to whom, where, when, and the
character offsets of the sentence that says so. Filters are the same for `/api/events`
and `/api/stats`; a bad value is refused with 400 naming the parameter. Errors are
`{"error": "..."}`.
"""


def create_app(
    db: str,
    token: str | None = None,
    tiles: str | None = None,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    hosts: Collection[str] | None = None,
) -> FastAPI:
    """The app over the database ``db`` (SQLite path or URL).

    ``token``: the bearer token that allows ``POST /api/articles``; without one the
    database is opened read-only and writes are refused. ``tiles``: a tile URL template
    for the page's map instead of the offline country outlines. ``max_body``: the largest
    request body accepted, in bytes. ``hosts``: the names (Host header) it answers to;
    by default the loopback names (see :func:`eventscope.api.security.allowed_hosts`).
    """
    store = Store(db, create=token is not None, read_only=token is None)
    # One extraction at a time: the NLP pipeline is loaded once and shared.
    extracting = FairLock()
    jobs = Jobs(lambda articles, progress: ingest(articles, progress))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # What imports and startup built lives as long as the server: keep it out of the
        # collector's full passes, which otherwise make the slowest requests (p95) several
        # times slower than the median (measured in benchmarks/bench_api.py).
        gc.collect()
        gc.freeze()
        yield
        jobs.stop()
        store.close()

    # docs_url=None: FastAPI's own /docs loads Swagger UI from a CDN; ours is vendored.
    app = FastAPI(title="eventscope", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    install_handlers(app)

    from .incidents import add_incident_routes

    add_incident_routes(app, store)

    @app.get("/api/events", tags=["events"], response_model=EventPage, responses={
        **ERRORS, 200: {"content": {MEDIA_TYPES["geojson"]: {}, MEDIA_TYPES["csv"]: {}}},
    })
    def list_events(
        request: Request,
        flt: Filter = Depends(event_filter),
        limit: int = Query(100, ge=1, le=MAX_LIMIT, description="Events per page."),
        cursor: str | None = Query(None, description="`next_cursor` of the previous page."),
        format: Literal["json", "geojson", "csv"] = Query(
            "json", description="json (records), geojson (FeatureCollection) or csv (ACLED "
            "columns); the next page's cursor is also in the X-Next-Cursor header."
        ),
        order: Literal["oldest", "newest"] = Query(
            "oldest", description="oldest: by date (undated first) then id; newest: the "
            "latest first (undated last). A cursor belongs to the order it came from."),
    ) -> Response:
        """A page of events matching the filters, ordered by date then id (`order`);
        follow `next_cursor` for the next page."""
        check_known(request, EVENT_PARAMS)
        try:
            page, next_cursor = store.events(flt, limit=limit, cursor=cursor,
                                             newest_first=order == "newest")
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        return render_page(page, next_cursor, format)

    @app.get("/api/events/{event_id}", tags=["events"], response_model=EventDetail,
             responses={404: {"model": ErrorBody}})
    def get_event(event_id: str) -> Response:
        """One event and its article's text, so `text[evidence.start:evidence.end]` can be
        highlighted."""
        event = store.get_event(event_id)
        article = store.get_article(event.article.article_id) if event else None
        if event is None or article is None:
            raise ApiError(404, f"event {event_id!r}: no such event")
        return _json(EventDetail(event=event, article=article).model_dump_json())

    @app.get("/api/articles/{article_id}", tags=["articles"], response_model=ArticleDetail,
             responses={404: {"model": ErrorBody}})
    def get_article(article_id: str) -> Response:
        """One article with its text and its events in text order."""
        article = store.get_article(article_id)
        if article is None:
            raise ApiError(404, f"article {article_id!r}: no such article")
        detail = ArticleDetail(article=article, events=store.article_events(article_id))
        return _json(detail.model_dump_json())

    @app.get("/api/stats", tags=["events"], response_model=Stats, responses=ERRORS)
    def stats(request: Request, flt: Filter = Depends(event_filter)) -> Stats:
        """Counts of the matching events by type, by day and by location country (these
        drive the page's legend and timeline)."""
        check_known(request, FILTER_PARAMS)
        return Stats(**store.stats(flt))

    @app.post("/api/articles", tags=["articles"], status_code=201, response_model=IngestResult,
              responses=WRITE_ERRORS)
    async def post_articles(
        request: Request,
        title: str | None = Query(None, description="Title of a single text/HTML article."),
        url: str | None = Query(None, description="URL of a single text/HTML article."),
        outlet: str | None = Query(None, description="Outlet of a single text/HTML article."),
        published: str | None = Query(
            None, description="Publication date (ISO); overrides the articles' own."
        ),
        authorization: str | None = Header(None, description="Bearer EVENTSCOPE_TOKEN"),
    ) -> Response:
        """Extract and store the events of the posted article(s) and return them.

        The body is one article as `text/plain` (YAML front matter allowed) or
        `text/html`, one JSON object or an array of them, or a JSONL batch
        (`application/x-ndjson`), each record with `text` and optionally `title`, `url`,
        `outlet`, `published`. Needs `Authorization: Bearer <token>`."""
        check_bearer(token, authorization)
        body = await read_body(request, max_body)
        meta = Metadata(title=title, url=url, outlet=outlet, published=published)
        articles = parse_articles(body, request.headers.get("content-type", ""), meta)
        check_ids(articles)
        if len(body) > JOB_BYTES or "respond-async" in request.headers.get("prefer", ""):
            await run_in_threadpool(refuse_taken_ids, articles)
            job = jobs.submit(articles)
            return _json(job.status_model().model_dump_json(), status=202,
                         headers={"Location": f"/api/jobs/{job.id}"})
        result = await run_in_threadpool(ingest, articles)
        return _json(result.model_dump_json(), status=201)

    @app.get("/api/jobs/{job_id}", tags=["articles"], response_model=JobStatus,
             responses={404: {"model": ErrorBody}})
    def get_job(job_id: str) -> Response:
        """A posted batch too large to answer at once (over 256 kB, or sent with
        `Prefer: respond-async`): its status, articles coded so far, and when done the
        result a synchronous post would have given. Jobs are kept in memory."""
        job = jobs.get(job_id)
        if job is None:
            raise ApiError(404, f"job {job_id[:40]!r}: no such job (jobs are forgotten when "
                           "the server restarts)")
        return _json(job.status_model().model_dump_json())

    def refuse_taken_ids(articles: list[Article]) -> None:
        for article in articles:  # refuse before extracting anything
            stored = store.get_article(article.article_id)
            if stored is not None and stored.content_hash != article.content_hash:
                raise ApiError(409, f"article {article.article_id!r}: id already stored "
                               "with a different text; nothing was stored")

    def ingest(articles: list[Article],
               progress: Callable[[int], None] | None = None) -> IngestResult:
        refuse_taken_ids(articles)
        from ..pipeline import process_many  # loads spaCy: only when someone writes

        coded: list[tuple[Article, list[Event]]] = []
        stream = iter(process_many(articles))

        def take() -> bool:
            """Code the next article (a chunk, for the pipeline); False at the end."""
            item = next(stream, None)
            if item is None:
                return False
            article, events = item
            if isinstance(events, Skipped):  # a batch is stored whole or not at all
                raise ApiError(422, f"article {article.article_id!r}: {events.reason}; "
                               "nothing was stored")
            coded.append((article, events))
            return True

        if progress is None:  # a synchronous post is small: it keeps its turn of the lock
            with extracting:
                while take():
                    pass
                # one transaction: a failure partway stores none of the batch
                added = store.add_many(coded)
        else:  # a job lets the posts waiting beside it in between its chunks
            while True:
                with extracting:
                    if not take():
                        break
                progress(len(coded))
            with extracting:
                added = store.add_many(coded)
        return IngestResult(articles=[
            IngestedArticle(article_id=article.article_id, title=article.title,
                            added=new, events=events if new else [])
            for (article, events), new in zip(coded, added, strict=True)])

    @app.get("/api/watchlists", tags=["page"], response_model=list[WatchlistSummary],
             responses=ERRORS)
    def list_watchlists(
        request: Request,
        seen: list[str] = Query([], description="NAME:MARK, the `latest` of a watchlist "
                                "when its matches were last seen; repeat for several."),
    ) -> list[WatchlistSummary]:
        """The watchlists with their filters and how many matches are new to the reader
        (who keeps the marks: the API stays read-only)."""
        check_known(request, frozenset({"seen"}))
        marks: dict[str, int] = {}
        for value in seen:
            name, _, mark = value.rpartition(":")
            if not name or not mark.isdigit():
                raise ApiError(400, f"seen {value!r}: expected NAME:NUMBER")
            marks[name] = int(mark)
        from ..store import watch as tables

        counts = tables.match_counts(store, marks)
        return [WatchlistSummary(
            name=wl.name, params=filter_params(wl.filter), created_at=wl.created_at,
            deliveries=[d.kind for d in wl.deliveries], unseen=counts[wl.name].unseen,
            latest=counts[wl.name].latest) for wl in tables.list_watchlists(store)]

    @app.get("/api/config", tags=["page"], response_model=PageConfig)
    def config() -> PageConfig:
        """What the page needs to know about this server."""
        return PageConfig(tiles=tiles, read_only=token is None)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="openapi.json", title="eventscope API",
            swagger_js_url="static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(INDEX_HTML, media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(
        Guard, hosts=frozenset(hosts) if hosts is not None else allowed_hosts(),
        policy=page_policy(tiles), policies={"/docs": docs_policy(bytes(docs().body))})

    return app


def _json(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    # Records are serialised once by pydantic; no second validation pass on the way out.
    return Response(body, status_code=status, media_type="application/json", headers=headers)

