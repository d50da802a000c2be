"""The systemd unit and the Dockerfile say what the README promises (docker and systemd do not
run here): a non-root user, the data folder as the only writable path, restart on failure, a
clean SIGTERM stop, data on a volume, and a healthcheck on the path and port the bot serves."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import httpx

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
