"""Incidents: reports of one shooting grouped whatever the order, look-alikes kept apart,
exact copies counted as sources, and every change in the edit log."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from shootings import TOLEDO, shooting_reports

from dbtargets import execute, incident_box_table
from eventscope.record import Article, Event
from eventscope.store import Store
from eventscope.store.changes import read_changes
from eventscope.store.incidents import (
    assign_unassigned,
    get_incident,
    iter_incidents,
    page_incidents,
    unassigned,
)
from eventscope.store.matching import article_keys, default_rules, profile_of, same_incident


@pytest.fixture
def reports(make_event) -> dict[str, tuple[Article, list[Event]]]:
    return shooting_reports(make_event)


def _partition(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for event in store.iter_events():
        assert event.incident_id is not None
        groups.setdefault(event.incident_id, set()).add(event.article.article_id)
    return {frozenset(g) for g in groups.values()}


def test_reports_of_one_shooting_are_one_incident_and_a_look_alike_is_not(
        db_target: str, reports) -> None:
    store = Store(db_target)
    for article, found in reports.values():
        assert store.add(article, found)
    ids = {name: article.article_id for name, (article, _) in reports.items()}
    assert _partition(store) == {frozenset({ids["first"], ids["second"], ids["third"]}),
                                 frozenset({ids["other"]})}
    shooting = next(i for i in iter_incidents(store) if i.n_articles == 3)
    assert shooting.n_sources == 3 and shooting.n_events == 3
    assert shooting.event_type == "ASSAULT"
    assert (shooting.first_seen, shooting.last_seen) == ("2024-05-05", "2024-05-06")
    # the incident's id is its smallest event id
    assert shooting.id == min(e for name in ("first", "second", "third")
                              for e in (ev.event_id for ev in reports[name][1]))


def test_incidents_do_not_depend_on_order_or_batches(tmp_path: Path, reports) -> None:
    """The second report is the bridge between the first and the third: stored last, it
    merges their incidents; the end is the same in every order and batching."""
    results = set()
    for n, order in enumerate(itertools.permutations(reports)):
        store = Store(tmp_path / f"{n}.db")
        items = [reports[name] for name in order]
        if n % 2:
            store.add_many(items[:2])
            store.close()
            store = Store(tmp_path / f"{n}.db")  # a second run
            store.add_many(items[2:])
        else:
            for article, found in items:
                store.add(article, found)
        results.add(frozenset((e.event_id, e.incident_id) for e in store.iter_events()))
        store.close()
    assert len(results) == 1


def test_a_bridge_merges_two_incidents_and_the_log_says_so(db_target: str, reports) -> None:
    store = Store(db_target)
    for name in ("third", "other", "first"):
        store.add(*reports[name])
    with store.engine.connect() as conn:
        before = max(c.version for c in read_changes(conn, 0))
    # the first and the third share names but are two days apart: only the second,
    # placed between them, joins them... or they joined already through strong words
    store.add(*reports["second"])
    with store.engine.connect() as conn:
        after = read_changes(conn, before)
    assert after and all(c.version == before + 1 for c in after)
    ops = {(c.kind, c.op) for c in after}
    assert ("event", "added") in ops
    assert ("incident", "changed") in ops or ("incident", "merged") in ops
    assert len(_partition(store)) == 2


def test_an_exact_copy_elsewhere_is_another_source(db_target: str, reports) -> None:
    store = Store(db_target)
    article, found = reports["first"]
    store.add(article, found)
    copy = Article(text=article.text, title=article.title, outlet="syndicate.example",
                   url="https://syndicate.example/wire/88", published="2024-05-06")
    assert store.add(copy, found) is False  # not another article
    assert store.article_count() == 1
    incident = next(iter_incidents(store))
    assert incident.n_sources == 2 and incident.n_articles == 1
    detail = get_incident(store, incident.id)
    assert detail is not None
    assert [s.outlet for s in detail.articles[0].sources] == ["daytondaily.example",
                                                               "syndicate.example"]
    assert detail.events[0].article.sources[1].url == "https://syndicate.example/wire/88"
    assert store.add(copy, found) is False  # seen again: nothing new
    assert next(iter_incidents(store)).n_sources == 2


def test_events_without_place_or_date_are_incidents_of_their_own(
        db_target: str, reports, make_event) -> None:
    store = Store(db_target)
    article, found = reports["first"]
    vague = [found[0], make_event(article, "ASSAULT", 1, date=None, date_precision=None),
             make_event(article, "ASSAULT", 2, location=None)]
    assert store.add(article, vague)
    events = {e.event_id: e for e in store.iter_events()}
    assert events[vague[1].event_id].incident_id == vague[1].event_id  # undated: alone
    # no place but the same day and article: joins the located report
    assert events[vague[2].event_id].incident_id == events[vague[0].event_id].incident_id
    empty = Article(text="Nothing happened in town today, the council said.",
                    published="2024-05-07")
    assert store.add(empty, [])  # an article with no events stores fine
    assert unassigned(store) == 0


def test_filters_and_min_sources(db_target: str, reports) -> None:
    from eventscope.store.filter import Filter

    store = Store(db_target)
    for article, found in reports.values():
        store.add(article, found)
    assert [i.n_articles for i in iter_incidents(store, min_sources=2)] == [3]
    assert len(list(iter_incidents(store, Filter(types=("COERCE",))))) == 1
    page, cursor = page_incidents(store, limit=1)
    assert len(page) == 1 and cursor is not None
    rest, end = page_incidents(store, limit=5, cursor=cursor)
    assert end is None and {i.id for i in page + rest} == {i.id for i in iter_incidents(store)}


def test_a_store_from_before_incidents_gets_them(db_target: str, reports) -> None:
    path = db_target
    store = Store(path)
    for article, found in reports.values():
        store.add(article, found)
    expected = _partition(store)
    store.close()
    execute(path, "DROP INDEX ix_events_incident",  # as schema 2 left it
            "ALTER TABLE events DROP COLUMN incident_id",
            *(f"DROP TABLE {table}" for table in ("incidents", "article_keys", "changes",
                                                  incident_box_table(path))),
            "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    reader = Store(path, read_only=True)
    assert all(e.incident_id is None for e in reader.iter_events())
    reader.close()
    store = Store(path)
    assert unassigned(store) == len(reports)
    assert assign_unassigned(store) == len(reports)
    assert _partition(store) == expected


def test_article_keys_are_names_and_figures_not_title_words() -> None:
    keys = article_keys(
        "Police Say Man Shot In Dayton", "Police said Marcus Whitfield, 19, was shot. The man said "
        "police came. He told Dayton Daily he saw a gunman.", 1500, outlet="Dayton Daily")
    assert {"marcus", "whitfield", "#19"} <= keys
    assert not keys & {"police", "man", "shot", "the", "daily"}


def test_matching_is_symmetric(reports) -> None:
    rules = default_rules()
    profiles = []
    for article, found in reports.values():
        keys = article_keys(article.title, article.text, rules.key_chars, article.outlet,
                            article.url)
        profiles += [profile_of(len(profiles), e, keys) for e in found]
    for a, b in itertools.permutations(profiles, 2):
        assert same_incident(a, b, rules) == same_incident(b, a, rules)
    toledo = profiles[0].__class__(**{**profiles[0].__dict__, "pk": 99,
                                      "lat": TOLEDO.lat, "lon": TOLEDO.lon})
    assert not same_incident(profiles[1], toledo, rules)  # 200 km away
