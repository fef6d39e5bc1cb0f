"""`make run` checks for the system libraries WeasyPrint needs before it serves.

Pango cannot be uninstalled for a test, so a `weasyprint` module that fails to load
the way the real one does without Pango stands in for it, first on PYTHONPATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def check_system(**env: str) -> subprocess.CompletedProcess[str]:
    """`make check-system` with this interpreter, without (re)making the virtualenv."""
    return subprocess.run(
        [
            "make",
            "-s",
            "-o",
            ".venv/.installed",
            "check-system",
            f"BIN={Path(sys.executable).parent}",
        ],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_check_passes_where_pango_is_installed() -> None:
    result = check_system()

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_without_pango_make_run_says_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "weasyprint.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open "
        'shared object file: No such file or directory")\n'
    )

    result = check_system(PYTHONPATH=str(tmp_path))

    assert result.returncode != 0
    assert "PDF reports need the Pango library" in result.stderr
    assert "libpango-1.0-0" in result.stderr
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
