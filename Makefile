# One command each for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite lint typecheck pytest bench clean setup system-packages check-system

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# PDF reports are drawn by WeasyPrint, which needs the system's Pango library: say so
# plainly before serving rather than answer every PDF with an error.
define CHECK_SYSTEM
try:
    import weasyprint  # noqa: F401
except OSError as exc:
    raise SystemExit(
        "Löftesboken cannot start: PDF reports need the Pango library, and WeasyPrint "
        f"could not load it ({str(exc).splitlines()[0]}).\n"
        "On Debian or Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
        "libharfbuzz-subset0\n"
        "Elsewhere: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
    ) from None
endef
export CHECK_SYSTEM

check-system: $(STAMP)
	@$(BIN)/python -c "$$CHECK_SYSTEM"

run: $(STAMP) check-system
	$(BIN)/loften demo --if-empty
	$(BIN)/loften serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy domain workflow projections api infra entrypoints demo bench

# The whole suite needs these Debian packages: installed with apt when missing (as root),
# else `make test` stops with one line naming them. Nothing is skipped for want of them.
SYSTEM_PACKAGES := postgresql chromium

system-packages:
	bash .ci/system-packages $(SYSTEM_PACKAGES)

pytest: $(STAMP) system-packages
	$(BIN)/pytest

test: lint typecheck pytest

# Only the SQLite half, by choice (e.g. on a laptop without PostgreSQL): never the default.
test-sqlite: lint typecheck $(STAMP)
	$(BIN)/pytest -m "not postgres"

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
