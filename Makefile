# The two commands a newcomer needs are `make demo` and `make test`; the rest are their parts.
# Python 3.12 (pyenv's or on PATH; a pyenv shim of another version does not count) runs the newest core.
PYTHON ?= $(shell python3 hack/matrix.py --find-python 3.12 2>/dev/null || echo python3)
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: help venv test units sanity integration lint docs changelog build reliability clean demo bench

help:
	@echo "make test   - install everything into $(VENV) and run every gate of hack/run_checks.py, in this order:"
	@echo "              copy units sanity integration shipped lint docs changelog build reliability molecule runner report ee docsite cores"
	@echo "make units | sanity | integration | lint | docs | changelog | build | reliability - one gate"
	@echo "$(VPY) hack/run_checks.py <gate> ... - any gate, e.g. molecule, runner, report, ee or docsite (copy runs first)"
	@echo "make demo   - start the emulator, converge it twice, write a report"
	@echo "make bench  - run the benchmarks (benchmarks/README.md)"

$(STAMP): requirements.txt requirements-dev.txt emulator/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r requirements-dev.txt
	$(VPY) -m pip install --quiet -e emulator
	touch $(STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(VPY) hack/run_checks.py

units sanity integration lint docs changelog build reliability: $(STAMP)
	$(VPY) hack/run_checks.py $@

clean:
	rm -rf build tests/output

# Benchmarks print tables and write benchmarks/results/*.json (gitignored); see benchmarks/README.md.
bench: $(STAMP)
	$(VPY) benchmarks/run_all.py

# Start the emulator, converge it twice (a change, then none), write a report, stop it.
demo: $(STAMP)
	$(VPY) hack/demo.py

.PHONY: matrix release

# Every ansible-core x controller Python of hack/matrix.py (units, sanity, three integration
# targets), one table at the end; venvs under build/matrix/. README's "Tested with" follows it.
matrix: $(STAMP)
	$(VPY) hack/matrix.py

# The integrator cuts a release with `make release VERSION=X.Y.Z` (see hack/release.py); it commits nothing.
release: $(STAMP)
	$(VPY) hack/release.py $(VERSION)
