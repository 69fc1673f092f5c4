"""The ``eventscope`` command: thin over the library API (parse options, call, print)."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

app = typer.Typer(
    help="Turn news reports into a geolocated, sourced database of PLOVER events.\n\n"
    "Try:  eventscope extract article.txt --published 2024-12-16",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
gazetteer_app = typer.Typer(help="Build and inspect the on-disk gazetteer index.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line on stderr naming the input and the problem, then exit non-zero."""
    typer.echo(f"eventscope: error: {message}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"eventscope: warning: {message}", err=True)


# --- extract, ingest, events, export, schema -------------------------------------------


# --- geoparse, gazetteer ----------------------------------------------------------------


# --- eval -------------------------------------------------------------------------------


# --- serve ------------------------------------------------------------------------------


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
