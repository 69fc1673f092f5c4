"""Convert the Phoenix/PETRARCH-2 actor and agent dictionaries (CAMEO text format) into
the TSV files of src/eventscope/coder/data/ that the actor coder reads beneath its
curated dictionary.

The dictionaries are not stored in this repository: fetch openeventdata/petrarch2 (MIT)
and pass its git directory, or pass the dictionary files themselves:

    .venv/bin/python scripts/import_petrarch_dictionaries.py /path/to/petrarch2/.git
    .venv/bin/python scripts/import_petrarch_dictionaries.py \\
        Phoenix.Countries.actors.txt Phoenix.International.actors.txt \\
        Phoenix.MilNonState.actors.txt Phoenix.agents.txt [--out DIR] [--dry-run]

A file whose name ends in ``agents.txt`` is an agent dictionary, any other an actor
dictionary; files are read in the order given and the first row of a name wins. Lines
that do not parse are listed on stderr with their file and line (and left out); the
output files are replaced only when the conversion has finished.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from eventscope.coder.petrarch import (
    ACTORS_FILE,
    AGENTS_FILE,
    ActorRow,
    AgentRow,
    Problem,
    convert_actors,
    convert_agents,
    write_actors,
    write_agents,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "eventscope" / "coder" / "data"
IN_REPO = "petrarch2/data/dictionaries"
DEFAULT_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                 "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt")


def known_countries() -> frozenset[str]:
    """The ISO codes of the curated countries.tsv: a CAMEO country must be one of them."""
    codes = set()
    for line in (DATA / "countries.tsv").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 5 and cells[4] == "country":
            codes.add(cells[2])
    return frozenset(codes)


def read_inputs(paths: Sequence[Path]) -> list[tuple[str, list[str]]]:
    """(label, lines) of every dictionary: files as given, or the default files from a
    git directory (read with ``git show HEAD:...``, nothing written to disk)."""
    out: list[tuple[str, list[str]]] = []
    for path in paths:
        if path.is_dir():
            for name in DEFAULT_FILES:
                shown = subprocess.run(
                    ["git", "--git-dir", str(path), "show", f"HEAD:{IN_REPO}/{name}"],
                    capture_output=True, text=True, encoding="utf-8", errors="replace",
                    check=False)
                if shown.returncode != 0:
                    raise SystemExit(f"{path}: no {IN_REPO}/{name} at HEAD "
                                     f"({shown.stderr.strip()})")
                out.append((name, shown.stdout.splitlines()))
        elif path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            out.append((path.name, text.splitlines()))
        else:
            raise SystemExit(f"{path}: no such file or git directory")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", type=Path,
                        help="PETRARCH-2 git directory or dictionary files")
    parser.add_argument("--out", type=Path, default=DATA, help="output folder")
    parser.add_argument("--dry-run", action="store_true", help="convert, write nothing")
    args = parser.parse_args(argv)
    countries = known_countries()
    problems: list[Problem] = []
    actors: list[ActorRow] = []
    agents: list[AgentRow] = []
    actor_sources: list[str] = []
    agent_sources: list[str] = []
    for label, lines in read_inputs(args.inputs):
        if label.lower().endswith("agents.txt"):
            agents.extend(convert_agents(lines, label, problems))
            agent_sources.append(label)
        else:
            actors.extend(convert_actors(lines, label, countries, problems))
            actor_sources.append(label)
    for problem in problems:
        print(problem, file=sys.stderr)
    # the first row of a term wins, as the coder reads them
    actors = list({row.term: row for row in reversed(actors)}.values())[::-1]
    agents = list({row.term: row for row in reversed(agents)}.values())[::-1]
    kinds = Counter(row.kind for row in actors)
    dated = sum(any(r.dated for r in row.roles) for row in actors)
    print(f"actors: {len(actors)} names ({', '.join(f'{k} {v}' for k, v in kinds.items())}; "
          f"{dated} with dated roles); agents: {len(agents)} names; "
          f"{len(problems)} lines left out")
    if args.dry_run:
        return 0
    today = dt.datetime.now(dt.UTC).date()
    if actor_sources:
        write_actors(args.out / ACTORS_FILE, actors, actor_sources, today)
    if agent_sources:
        write_agents(args.out / AGENTS_FILE, agents, agent_sources, today)
    print(f"wrote {args.out / ACTORS_FILE} and {args.out / AGENTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
