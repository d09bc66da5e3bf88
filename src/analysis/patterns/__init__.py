"""The publishing-patterns stage: when, where and in which category articles appear, and who republishes whom.

- :mod:`~analysis.patterns.publishing`: volume over Jalali/Gregorian time, category mix, weekday and
  hour profiles, lengths, bursts and silences, occasions;
- :mod:`~analysis.patterns.republication`: near-duplicate copies across sites (MinHash + LSH);
- :mod:`~analysis.patterns.overview`: the corpus at a glance (sources, encodings, dates, rejects).

Imports the core, the text and the corpus stages.
"""

from analysis._core.lazy import lazy_exports

_PUBLISHING = ["FREQS", "CALENDARS", "JALALI_MONTHS", "JALALI_WEEKDAYS", "calendar_table", "volume",
               "spread_over_periods", "category_share", "has_time_of_day", "weekday_profile", "hour_profile",
               "length_summary", "lengths", "activity_scores", "bursts", "title_idf", "top_titles",
               "occasion_calendar", "occasion_volume", "occasion_summary"]
_REPUBLICATION = ["SHINGLE_SIZE", "shingle_set", "shingle_jaccard", "RepublicationDetector", "find_republications",
                  "site_republication", "republication_graph"]
__all__ = [*_PUBLISHING, *_REPUBLICATION, "publishing", "republication", "overview"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {
    "publishing": _PUBLISHING, "republication": _REPUBLICATION, "overview": [],
})
