# Both targets bootstrap .venv on a machine with only Python >= 3.11, pip and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: verify test install report-tools index clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,distributed]'
	touch $(STAMP)

install: $(STAMP)

verify: $(STAMP)
	$(BIN)/mathdl verify --all --report reports

# The report tests open the pages in headless Chromium and compile the LaTeX reports:
# both come from Debian's packages, installed here when missing (as root, with apt-get).
REPORT_PACKAGES := chromium texlive-latex-base texlive-latex-recommended

report-tools:
	@if ! command -v chromium >/dev/null || ! command -v pdflatex >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq $(REPORT_PACKAGES) >/dev/null; \
	  else \
	    echo "make test needs chromium and pdflatex: as root," \
	         "apt-get install $(REPORT_PACKAGES)" >&2; \
	    exit 1; \
	  fi; \
	fi

# -n auto: one pytest worker per core (pytest-xdist)
test: $(STAMP) report-tools
	$(BIN)/python -m pytest -q -n auto

# The catalog's metadata, read by `mathdl list` and id checks without importing a family.
index: $(STAMP)
	$(BIN)/python -c "from theorems.catalog import write_index; print(write_index().name)"

clean:
	rm -rf $(VENV) build *.egg-info
