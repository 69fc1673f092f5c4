"""Scoring the event coder against human-coded gold: the machinery behind ``eventscope eval``.

One module per gold kind, in the formats of ``../shared/data/events/README.md`` and
``../shared/data/newsgold/README.md``:

- :mod:`.plover`: sentences with their coded PLOVER events (``plover_gsr``,
  ``petr2_validation``): recall of the gold type, actor country, false positives.
- :mod:`.acled`: ACLED events with their ``notes``: protests vs violence, place, date,
  actor1.
- :mod:`.news`: ordinary news annotated sentence by sentence: precision and recall of
  (sentence, type) pairs, records per article.

:mod:`.common` holds what they share. Negated records ("did not attack") say that
something did not happen, so they never count as coding an event; hedged ones do. Gold
lines with missing fields or unknown types are reported by line number and skipped
(:attr:`GoldSet.issues`).
"""

from __future__ import annotations

from .acled import (
    ACLED_TO_PLOVER,
    PUBLISHED_AFTER_DAYS,
    THRESHOLD_KM,
    AcledActor,
    AcledNote,
    AcledReport,
    AcledTypeRow,
    acled_articles,
    country_iso3,
    iso3_codes,
    label_acled_events,
    load_acled,
    parse_acled_actor,
    print_acled_report,
    score_acled,
)
from .common import (
    NONE,
    Disagreement,
    GoldIssue,
    GoldSet,
    Ratio,
    Reason,
    confusion_table,
    counted,
    describe,
    reason_tally,
    run_extraction,
    top_event,
    write_disagreements,
)
from .news import (
    NewsArticle,
    NewsReport,
    NewsSentence,
    load_news,
    news_articles,
    news_pairs,
    print_news_report,
    score_news,
    split_sentences,
    trigger_position,
)
from .plover import (
    TRANSNATIONAL_GOLD,
    PloverGoldEvent,
    PloverReport,
    PloverSentence,
    TypeRow,
    country_matches,
    label_plover_events,
    load_plover,
    plover_articles,
    print_plover_report,
    score_plover,
)

GOLD_KINDS: tuple[str, ...] = ("plover", "acled", "news")

__all__ = [
    "ACLED_TO_PLOVER", "GOLD_KINDS", "NONE", "PUBLISHED_AFTER_DAYS", "THRESHOLD_KM",
    "TRANSNATIONAL_GOLD", "AcledActor", "AcledNote", "AcledReport", "AcledTypeRow",
    "Disagreement", "GoldIssue", "GoldSet", "NewsArticle", "NewsReport", "NewsSentence",
    "PloverGoldEvent", "PloverReport", "PloverSentence", "Ratio", "Reason", "TypeRow",
    "acled_articles", "confusion_table", "counted", "country_iso3", "country_matches",
    "describe", "iso3_codes", "label_acled_events", "label_plover_events", "load_acled",
    "load_news", "load_plover", "news_articles", "news_pairs", "parse_acled_actor",
    "plover_articles",
    "print_acled_report", "print_news_report", "print_plover_report", "reason_tally",
    "run_extraction", "score_acled", "score_news", "score_plover", "split_sentences", "top_event",
    "trigger_position", "write_disagreements",
]
