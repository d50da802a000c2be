"""``cumthidua run``: a service without a token refuses and says what to set, in the operator's
language; the checkout's ``make run`` (``run --demo``) still plays the offline demonstration."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import main


@pytest.fixture
def no_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env from the working folder
    for name in ("CUMTHIDUA_TELEGRAM_TOKEN", "CUMTHIDUA_ZALO_TOKEN", "CUMTHIDUA_CLUSTER_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "Chưa cấu hình kênh nhắn tin nào: anh/chị đặt CUMTHIDUA_TELEGRAM_TOKEN hoặc"),
        ("en", "No messaging channel is configured: set CUMTHIDUA_TELEGRAM_TOKEN or"),
    ],
)
@pytest.mark.parametrize("arguments", [["run"], []])
def test_run_without_a_token_refuses_and_says_what_to_set(
    no_token: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    expected: str,
    arguments: list[str],
) -> None:
    monkeypatch.setenv("CUMTHIDUA_DEFAULT_LANGUAGE", language)
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert error.startswith(expected) and "cumthidua demo" in error
    assert not (no_token / "demo-output").exists() and not (no_token / "data").exists()


def test_make_run_without_a_token_plays_the_demo(
    no_token: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--demo"]) == 0
    [transcript] = (no_token / "demo-output").glob("*/transcript.txt")
    assert "Trưởng Cụm" in transcript.read_text(encoding="utf-8")
    assert "Kết thúc" in capsys.readouterr().out
