"""The synthetic demo corpus: Persian news in the seed's layout, with planted topics, entities,
occasions, bursts, republished copies and damaged files, and the ground truth to score them by.

Imports the core and the patterns stage (the recorded copy similarity is the detector's own).
"""

from analysis._core.lazy import lazy_exports

_GENERATOR = ["write_demo_corpus", "write_demo_files", "ensure_demo_corpus", "read_ground_truth",
              "read_ground_truth_events", "GROUND_TRUTH_FILE", "EVENTS_FILE", "AGENCY_DOMAIN", "LEAD_PREFIX",
              "LEADER_CANONICAL", "DAMAGE_KINDS", "COPY_KINDS"]
__all__ = [*_GENERATOR, "generator"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {"generator": _GENERATOR})
