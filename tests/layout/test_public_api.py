"""The public surface: lazy stage exports, names users reach, a cheap CLI, and cache keys that cover
everything that shapes a result."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import analysis
from analysis._core.cache import package_fingerprint

PACKAGE = Path(analysis.__file__).resolve().parent
STAGES = ["corpus", "text", "patterns", "topics", "entities", "plots", "scale", "report", "demo"]


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_import_analysis_imports_no_stage():
    loaded = json.loads(run_python(
        "import json, sys, analysis; print(json.dumps(sorted(m for m in sys.modules if m.startswith('analysis'))))"))
    assert loaded == ["analysis", "analysis._core", "analysis._core.lazy"]


def test_a_stage_is_there_straight_after_import_analysis():
    out = run_python("import analysis; print(analysis.corpus.rejects_table.__name__, analysis.load_corpus.__name__)")
    assert out.split() == ["rejects_table", "load_corpus"]


@pytest.mark.parametrize("stage", STAGES)
def test_every_exported_name_resolves_and_is_listed(stage):
    package = importlib.import_module(f"analysis.{stage}")
    assert package.__doc__ and len(package.__doc__.strip()) > 40, "a stage's __init__ says its job"
    for name in package.__all__:
        assert getattr(package, name) is not None, f"analysis.{stage}.{name}"
    assert set(package.__all__) <= set(dir(package))


@pytest.mark.parametrize("name", [
    "analysis.load_corpus", "analysis.corpus.rejects_table", "analysis.corpus.normalize_articles",
    "analysis.patterns.volume", "analysis.patterns.find_republications", "analysis.topics.TopicModel",
    "analysis.entities.entities", "analysis.entities.top_entities", "analysis.entities.quotes.quotes",
    "analysis.text.add_tokens", "analysis.text.normalize", "analysis.scale.engine.run",
    "analysis.republication.find_republications", "analysis.terms.collocations", "analysis.quotes.speakers",
    "analysis.engine.volume_reduction", "analysis.dataset.ingest_dataset", "analysis.overview.sites",
])
def test_names_users_reach_keep_working(name):
    obj = analysis
    for part in name.split(".")[1:]:
        obj = getattr(obj, part)
    assert callable(obj)


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        analysis.corpus.nothing_here  # noqa: B018


def test_cli_help_imports_no_analysis_stage():
    loaded = json.loads(run_python(
        "import json, sys\nfrom analysis.cli import build_parser\nbuild_parser().format_help()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('analysis.'))))"))
    stages = {m.split(".")[1] for m in loaded} - {"_core", "cli"}
    assert not stages, loaded


def test_a_command_imports_only_its_own_group():
    loaded = json.loads(run_python(
        "import json, sys\nfrom analysis.cli import build_parser\nbuild_parser('normalize')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('analysis.'))))"))
    assert "analysis.cli.text" in loaded and not any(m.startswith(("analysis.entities", "analysis.topics",
                                                                   "analysis.report")) for m in loaded)


def test_every_registered_command_has_its_configure_function():
    from analysis.cli import COMMANDS

    for name, (group, _) in COMMANDS.items():
        module = importlib.import_module(f"analysis.cli.{group}")
        assert callable(getattr(module, "configure_" + name.replace("-", "_")))


def copy_of_package(tmp_path) -> Path:
    root = tmp_path / "analysis"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c"))
    return root


def test_editing_a_gazetteer_changes_the_cache_key(tmp_path):
    root = copy_of_package(tmp_path)
    before = package_fingerprint(root)
    assert package_fingerprint(root) == before  # stable
    gazetteer = root / "data" / "gazetteers" / "countries.txt"
    gazetteer.write_text(gazetteer.read_text(encoding="utf-8") + "کشور تازه\n", encoding="utf-8")
    package_fingerprint.cache_clear()
    assert package_fingerprint(root) != before


def test_retraining_the_model_changes_the_cache_key(tmp_path):
    root = copy_of_package(tmp_path)
    before = package_fingerprint(root)
    model = next((root / "data" / "models").glob("*.crfsuite"))
    data = model.read_bytes()
    model.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # another model file in place of the shipped one
    package_fingerprint.cache_clear()
    assert package_fingerprint(root) != before


def test_cached_entity_results_are_keyed_by_the_package(demo_dir, tmp_path, monkeypatch):
    from analysis.scale import engine
    from analysis.scale.dataset import ingest_dataset

    files = sorted(p for p in demo_dir.rglob("*.txt") if not p.name.startswith("."))[:6]
    source = tmp_path / "few"
    source.mkdir()
    for path in files:
        shutil.copy(path, source / path.name)
    ingest_dataset(source, tmp_path / "ds", workers=1, progress=False)
    first = engine.run(engine.entities_reduction(), tmp_path / "ds", progress=False)
    monkeypatch.setattr(engine, "package_fingerprint", lambda: "a retrained model")
    again = engine.run(engine.entities_reduction(), tmp_path / "ds", progress=False)
    stores = sorted(p.name for p in (tmp_path / "ds" / "cache" / "engine").iterdir())
    assert len(stores) == 2  # the second run did not read the first one's cached partials
    assert again.equals(first)
