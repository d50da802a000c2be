"""The systemd unit and the Dockerfile say what the README promises (docker and systemd do not
run here): a non-root user, the data folder as the only writable path, restart on failure, a
clean SIGTERM stop, data on a volume, and a healthcheck on the path and port the bot serves."""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
from fnmatch import fnmatch
from pathlib import Path

import httpx
import pytest

from bot.app import STOP_GRACE_SECONDS
from tests.harness import Harness

ROOT = Path(__file__).resolve().parents[2]


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(ROOT / "deploy" / "cumthidua.service", encoding="utf-8")
    return parser


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    steps = [line.split(None, 1) for line in lines if not line.startswith("#")]
    return [(step[0], step[1] if len(step) > 1 else "") for step in steps]


def test_the_systemd_unit_runs_unprivileged_and_restarts_on_failure() -> None:
    service = unit()["Service"]
    assert service["User"] not in ("", "root") and service["Group"] == service["User"]
    environment = [
        line.split("=", 1)[1]
        for line in (ROOT / "deploy" / "cumthidua.service").read_text().splitlines()
        if line.startswith("Environment=")
    ]
    data = dict(e.split("=", 1) for e in environment)
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == data["CUMTHIDUA_DATA_DIR"] == "/var/lib/cumthidua"
    assert data["MPLCONFIGDIR"].startswith(data["CUMTHIDUA_DATA_DIR"] + "/")
    assert service["ProtectHome"] == "true" and service["NoNewPrivileges"] == "true"
    assert service["CapabilityBoundingSet"] == ""
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert int(service["TimeoutStopSec"]) > STOP_GRACE_SECONDS
    program, *arguments = shlex.split(service["ExecStart"])
    assert Path(program).is_absolute() and Path(program).name == "cumthidua"
    assert arguments == ["run"]
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


async def test_the_dockerfile_healthcheck_asks_what_the_bot_serves(bot: Harness) -> None:
    steps = dockerfile()
    instructions = [name for name, _args in steps]
    base = steps[0]
    assert base[0] == "FROM" and re.fullmatch(r"python:3\.1\d-slim", base[1])
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(a for n, a in steps if n == "ENV")))
    assert env["CUMTHIDUA_DATA_DIR"] == "/data" and env["CUMTHIDUA_WEB_HOST"] == "0.0.0.0"
    assert ("VOLUME", '["/data"]') in steps
    user = next(a for n, a in steps if n == "USER")
    assert user not in ("root", "0")
    assert instructions.index("USER") > instructions.index("RUN")  # installs as root, runs not
    assert ("STOPSIGNAL", "SIGTERM") in steps
    for name, args in steps:
        if name == "COPY":
            *sources, _target = args.split()
            assert all((ROOT / source).exists() for source in sources), args
    check = next(a for n, a in steps if n == "HEALTHCHECK")
    [url] = re.findall(r"http://127\.0\.0\.1:(\d+)(/\w+)", check)
    port, path = url
    assert port == env["CUMTHIDUA_WEB_PORT"]
    assert bot.app is not None and bot.app.web is not None
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"http://127.0.0.1:{bot.app.web.port}{path}")
    assert answer.status_code == 200 and answer.json()["status"] == "ok"


VIETNAMESE_LETTERS = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư"
    + "".join(chr(code) for code in range(0x1EA0, 0x1EFA))  # Latin Extended Additional: ạ … ỹ
)


def recipes() -> dict[str, tuple[list[str], list[str]]]:
    """The Makefile's rules: target → (prerequisites, recipe lines)."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[str] = []
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("\t") and current is not None:
            current.append(line.strip())
        elif re.match(r"^[\w$().-]+:(?!=)", line):
            target, prerequisites = line.split(":", 1)
            current = []
            rules[target] = (prerequisites.split(), current)
    return rules


def pip_installs(lines: list[str]) -> list[list[str]]:
    """The arguments of every ``pip install`` in these command lines."""
    found = []
    for line in lines:
        for command in re.split(r"&&|;", line):
            words = shlex.split(command)
            if "pip" in map(lambda w: Path(w).name, words[:1]) and words[1:2] == ["install"]:
                found.append([w for w in words[2:] if not w.startswith("--")])
    return found


def test_a_production_install_has_no_development_extras_and_is_not_editable() -> None:
    rules = recipes()
    [install] = pip_installs(rules["install"][1])[-1:]
    assert install == ["."]  # not `-e`, not `.[dev]`
    stamp = "$(STAMP)"
    assert stamp in rules["test"][0] and stamp in rules["run"][0]
    assert ["-e", ".[dev]"] in pip_installs(rules[stamp][1])  # the checkout's tools stay
    [run] = rules["run"][1]
    assert shlex.split(run)[1:] == ["run", "--demo"]  # `make run` with no token: the demo
    docker = [args for name, args in dockerfile() if name == "RUN"]
    assert pip_installs(docker) == [["/src"]]


def test_the_package_holds_every_file_the_code_reads_at_run_time() -> None:
    """A non-editable install copies only what pyproject.toml names: the catalogs (beside the
    ``bot`` package, where ``bot.i18n`` reads them), migrations, templates, cluster data."""
    import tomllib

    from bot.i18n import LOCALES_DIR

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    packages = config["setuptools"]["packages"]["find"]["include"]
    patterns = config["setuptools"]["package-data"]["*"]
    assert LOCALES_DIR.parent == ROOT
    data = [
        path
        for top in ("bot", "handlers", "storage", LOCALES_DIR.name)
        for path in (ROOT / top).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc", ".pot")
    ]
    assert any(path.suffix == ".po" for path in data)
    for path in data:
        relative = path.relative_to(ROOT)
        assert any(fnmatch(relative.parts[0], p) for p in packages), relative
        assert any(fnmatch(path.name, p) for p in patterns), relative


def test_the_container_makes_pdfs_with_a_vietnamese_serif() -> None:
    steps = dockerfile()
    instructions = [name for name, _args in steps]
    apt = next(args for name, args in steps if name == "RUN" and "apt-get install" in args)
    packages = shlex.split(apt.split("apt-get install", 1)[1].split("&&", 1)[0])
    packages = [p for p in packages if not p.startswith("-")]
    assert {"libreoffice-writer-nogui", "libreoffice-calc-nogui"} <= set(packages)
    assert "rm -rf /var/lib/apt/lists/*" in apt
    assert steps.index(("RUN", apt)) < instructions.index("USER")
    # The templates name Times New Roman: fontconfig must find a metric-compatible serif with
    # every Vietnamese letter in a package the image installs (here: on this machine too).
    from fontTools.ttLib import TTFont

    found = subprocess.run(
        ["fc-match", "--format=%{file}", "Times New Roman"], capture_output=True, text=True
    ).stdout
    owner = subprocess.run(["dpkg-query", "-S", found], capture_output=True, text=True).stdout
    assert owner.split(":", 1)[0] in packages, (found, owner)
    cmap = TTFont(found).getBestCmap()
    assert [letter for letter in VIETNAMESE_LETTERS if ord(letter) not in cmap] == []


def test_a_service_without_a_token_fails_so_systemd_restarts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli.main import main

    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("CUMTHIDUA_TELEGRAM_TOKEN", "CUMTHIDUA_ZALO_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    _program, *arguments = shlex.split(unit()["Service"]["ExecStart"])
    status = main(arguments)
    service = unit()["Service"]
    assert status != 0 and service["Restart"] == "on-failure"
    assert str(status) not in service.get("SuccessExitStatus", "").split()
    assert str(status) not in service.get("RestartPreventExitStatus", "").split()
    assert not (tmp_path / "demo-output").exists(), "a service played the demo"
