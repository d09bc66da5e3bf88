# Two commands do all the set-up on a fresh machine:
#   make report   build .venv, write the demo corpus, render the full HTML report into reports/
#   make test     build .venv (and a headless browser where one can be installed), run the tests
.DEFAULT_GOAL := help
SHELL := /bin/sh

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
DEMO_DIR  := data/demo
DEMO_N    ?= 600
DEMO_SEED ?= 7
REPORT_DIR ?= reports
PYTEST_ARGS ?=
# evaluations (quality against the real corpora beside the repository, ../shared): bench/eval/
BENCH_EVAL  := $(sort $(wildcard bench/eval/*.py))
# speed, memory and scaling, as ratios against a named baseline in one run (long: a quiet machine): bench/speed/
BENCH_SPEED := $(sort $(wildcard bench/speed/*.py))

.PHONY: help setup demo report test bench bench-eval bench-speed browser clean

help:
	@echo "make report   set up .venv, write the demo corpus, render reports/index.html"
	@echo "make test     set up .venv and run the test suite"
	@echo "make bench        every bench script: bench-eval, then bench-speed (results in bench/results/)"
	@echo "make bench-eval   evaluations on the real corpora in ../shared (bench/eval/)"
	@echo "make bench-speed  speed, memory and scaling on demo corpora up to 1,000,000 articles (bench/speed/; long)"

setup: $(STAMP)

$(STAMP): pyproject.toml setup.py src/analysis/text/_speedups.pyx
	@set -e; \
	if [ ! -x "$(PY)" ]; then \
		python=$$(scripts/find-python); \
		echo "creating $(VENV) with $$python"; \
		"$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@$(PY) -c "from analysis import text; print('text passes:', 'compiled' if text.COMPILED_PASSES else 'pure Python, about half as fast: no C compiler or Python headers at install (install gcc and the python3-dev headers, then run $(PY) -m pip install -e .)')"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

demo: $(DEMO_DIR)/.complete

$(DEMO_DIR)/.complete: $(STAMP)
	$(PY) -m analysis demo-corpus $(DEMO_DIR) --n $(DEMO_N) --seed $(DEMO_SEED)
	@touch $@

report: $(STAMP) demo
	$(PY) -m analysis report --corpus $(DEMO_DIR) --out $(REPORT_DIR)

browser:
	@scripts/install-browser || echo "no headless Chromium: the browser tests will be skipped"

test: $(STAMP) browser
	$(PY) -m pytest $(PYTEST_ARGS)

bench: bench-eval bench-speed

bench-eval: $(STAMP)
	@set -e; for script in $(BENCH_EVAL); do echo "== $$script"; $(PY) $$script; done

bench-speed: $(STAMP)
	@set -e; for script in $(BENCH_SPEED); do echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf $(VENV) $(DEMO_DIR) data/processed/cache
