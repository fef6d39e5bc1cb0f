"""Install the wheel the way a municipality's IT department would, and run it.

`make run` and the rest of the suite use an editable install, which finds every module
and template in the checkout whether or not the packaging names it. These tests build
the wheel from the files git knows (what a clean clone has), install it into a new
virtualenv outside the checkout, and run the installed `loften` from another working
directory: a package or a template the packaging leaves out fails here, not at a
customer's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parents[2]
ADMIN = "wheel-admin-token-0123456789abcdef"
# Top-level directories of the checkout that are not part of the installed program.
NOT_SHIPPED = {"tests", "bench", "docs"}
# A Python warning in the build log: setuptools' deprecations, data it would not ship, ...
WARNING = re.compile(r"\b[A-Za-z_]*Warning: .*")


@dataclass
class Installed:
    """The built wheel, its build log, and the virtualenv it was installed into."""

    wheel: Path
    build_log: str
    venv: Path
    workdir: Path
    tracked: list[str]

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self, **extra: str) -> dict[str, str]:
        """A user's environment: the new venv first on PATH, nothing of the checkout's."""
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("LOFTEN_", "PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))
        }
        env["PATH"] = f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        env.update(extra)
        return env

    def loften(self) -> str:
        """`loften` as the shell finds it on this PATH."""
        found = shutil.which("loften", path=self.env()["PATH"])
        assert found is not None, "no `loften` on the PATH of the new virtualenv"
        return found


def tracked_files() -> list[str]:
    """The checkout's files a clean clone has: tracked, or new and not ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return sorted(name for name in listed.split("\0") if name and (REPO / name).is_file())


def copy_tree(files: list[str], target: Path) -> None:
    """Copy `files` of the checkout to `target`, so no build/ or egg-info lands in it."""
    buffer = BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name in files:
            archive.add(REPO / name, arcname=name)
    buffer.seek(0)
    with tarfile.open(fileobj=buffer) as archive:
        archive.extractall(target, filter="data")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    assert not root.resolve().is_relative_to(REPO), "the install must be outside the checkout"
    files = tracked_files()
    source = root / "source"
    copy_tree(files, source)
    dist = root / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--verbose", "-w", str(dist), "."],
        cwd=source,
        capture_output=True,
        text=True,
    )
    log = build.stdout + build.stderr
    assert build.returncode == 0, log[-4000:]
    (wheel,) = dist.glob("loftesboken-*.whl")

    venv = root / "venv"
    # A venv without its own pip (ensurepip alone took 30 s on a busy machine); this
    # process's pip installs into it with --python, from pip's cache where it can.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    workdir = root / "elsewhere"
    workdir.mkdir()
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "--no-compile",
            "--disable-pip-version-check",
            str(wheel),
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-4000:]
    return Installed(wheel, log, venv, workdir, files)


def test_the_build_warns_of_nothing(installed: Installed) -> None:
    warnings = WARNING.findall(installed.build_log)
    assert not warnings, "\n".join(warnings)


def test_the_wheel_holds_every_file_of_every_package(installed: Installed) -> None:
    """Every file under a top-level package of the tree, and nothing else at the top."""
    packages = {
        name.split("/")[0]
        for name in installed.tracked
        if "/" in name and name.count("/") == 1 and name.endswith("/__init__.py")
    } - NOT_SHIPPED
    expected = {
        name
        for name in installed.tracked
        if name.split("/")[0] in packages and "/" in name and "__pycache__" not in name
    }
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    assert packages >= {"domain", "workflow", "projections", "api"}
    assert expected - names == set(), "files the wheel leaves out"
    metadata = {name.split("/")[0] for name in names if ".dist-info/" in name}
    assert {name.split("/")[0] for name in names} - metadata == packages, (
        "a top-level directory that is not a package would be installed; "
        "add it to `exclude` in pyproject.toml"
    )
    license_text = next(name for name in names if name.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(installed.wheel) as wheel:
        metadata_text = wheel.read(license_text).decode()
    assert "License-Expression: MIT" in metadata_text


def test_loften_resolves_to_the_new_virtualenv(installed: Installed) -> None:
    assert Path(installed.loften()) == installed.bin / "loften"
    where = subprocess.run(
        [
            str(installed.bin / "python"),
            "-c",
            "import api, domain, projections, workflow; "
            "print('\\n'.join(m.__file__ for m in (api, domain, projections, workflow)))",
        ],
        cwd=installed.workdir,
        env=installed.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    for module_file in where.stdout.split():
        path = Path(module_file).resolve()
        assert path.is_relative_to(installed.venv.resolve()), path
        assert not path.is_relative_to(REPO), path


#: Run by the new virtualenv's Python: import every module of every installed package,
#: and print where each came from (a module that imports something the wheel does not
#: ship, such as `tests` or `bench`, fails here).
IMPORT_EVERY_MODULE = """
import importlib, json, pkgutil, sys
found = {}
for top in sys.argv[1:]:
    package = importlib.import_module(top)
    found[top] = package.__file__
    for info in pkgutil.walk_packages(package.__path__, top + "."):
        found[info.name] = importlib.import_module(info.name).__file__
print(json.dumps(found))
"""


def test_every_module_imports_from_the_installed_package(installed: Installed) -> None:
    """The installed program needs nothing of the checkout: every module of every package
    imports in the new virtualenv from another directory, and from there only."""
    packages = sorted(
        {
            name.split("/")[0]
            for name in installed.tracked
            if name.count("/") == 1 and name.endswith("/__init__.py")
        }
        - NOT_SHIPPED
    )
    done = subprocess.run(
        [str(installed.bin / "python"), "-c", IMPORT_EVERY_MODULE, *packages],
        cwd=installed.workdir,
        env=installed.env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    modules: dict[str, str] = json.loads(done.stdout)
    in_tree = {
        name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for name in installed.tracked
        if name.endswith(".py") and name.split("/")[0] in packages
    }
    assert in_tree - set(modules) == set(), "modules of the checkout the import walk missed"
    for name, module_file in modules.items():
        path = Path(module_file).resolve()
        assert path.is_relative_to(installed.venv.resolve()), (name, path)
        assert not path.is_relative_to(REPO), (name, path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# The server's base URL, the demo's year, and the `loften serve` process.
Served = tuple[str, str, "subprocess.Popen[str]"]


@pytest.fixture
def served(installed: Installed, tmp_path: Path) -> Iterator[Served]:
    """`loften demo` then `loften serve` of the installed wheel, on a temporary store."""
    store = tmp_path / "store" / "loften.sqlite3"
    env = installed.env(LOFTEN_DATABASE_URL=f"sqlite:///{store}", LOFTEN_ADMIN_TOKEN=ADMIN)
    loften = installed.loften()

    helped = subprocess.run(
        [loften, "--help"], cwd=installed.workdir, env=env, capture_output=True, text=True
    )
    assert helped.returncode == 0, helped.stderr
    for command in ("serve", "demo", "report", "verify"):
        assert command in helped.stdout

    demo = subprocess.run(
        [loften, "demo"], cwd=installed.workdir, env=env, capture_output=True, text=True
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert store.is_file()
    year = re.search(r"Demo data for (\d{4})", demo.stdout)
    assert year is not None, demo.stdout

    port = free_port()
    process = subprocess.Popen(
        [loften, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=installed.workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"loften serve exited early:\n{process.stdout.read()}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "loften serve did not answer /healthz in 60 s"
            time.sleep(0.2)
        yield url, year.group(1), process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    # The working directory got nothing: the store is where the URL says.
    assert list(installed.workdir.iterdir()) == []


def test_the_installed_server_serves(served: Served) -> None:
    url, year, process = served
    with httpx.Client(base_url=url, timeout=60) as client:
        health = client.get("/healthz")
        assert health.status_code == 200

        dialogue = {
            "municipality": "1280",
            "kind": "safety_walk",
            "held_on": (date.today() - timedelta(days=1)).isoformat(),
            "title": "Trygghetsvandring i Rosengård",
            "participants": 14,
        }
        refused = client.post("/api/v1/dialogues", json=dialogue)
        assert refused.status_code == 401
        created = client.post(
            "/api/v1/dialogues", json=dialogue, headers={"Authorization": f"Bearer {ADMIN}"}
        )
        assert created.status_code == 201, created.text
        read = client.get(created.headers["Location"])
        assert read.status_code == 200
        assert read.json()["title"] == "Trygghetsvandring i Rosengård"

        start = client.get("/")
        assert start.status_code == 200
        assert start.headers["content-type"].startswith("text/html")
        assert "Löftesboken" in start.text

        for page in ("/docs", "/openapi.json"):
            assert client.get(page).status_code == 200, page

        report = client.get(
            f"/api/v1/reports/annual/1280/{year}", headers={"Accept": "application/pdf"}
        )
        assert report.status_code == 200, report.text
        assert report.headers["content-type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(report.content)).pages)
        assert "Malmö" in text
        assert year in text

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
