"""Settings from the environment (prefix ``CUMTHIDUA_``) and an optional ``.env``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["BUNDLED_CLUSTER", "Settings"]

BUNDLED_CLUSTER = Path(__file__).resolve().parent / "data" / "clusters" / "dien-bien-vung-thap-2022"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CUMTHIDUA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("data")
    cluster_dir: Path | None = None
    """The cluster folder imported on the first start; none imports nothing (the bundled demo
    cluster, ``BUNDLED_CLUSTER``, goes only into the demonstration)."""
    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    telegram_poll_timeout: int = Field(default=30, ge=0, le=50)
    telegram_timeout: float = Field(default=10, gt=0)
    telegram_username: str | None = Field(default=None, pattern=r"^@?[A-Za-z][A-Za-z0-9_]{4,31}$")
    """The bot's Telegram username, for invitation links and QR codes made before the bot has
    connected (otherwise asked of Telegram with the token, or remembered from the last start)."""
    zalo_token: SecretStr | None = None
    zalo_base_url: str = "https://bot-api.zaloplatforms.com/bot"
    zalo_mode: str = "polling"
    zalo_webhook_secret: SecretStr | None = None
    zalo_poll_timeout: int = Field(default=30, ge=1, le=60)
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=0, le=65535)
    public_base_url: str = ""
    """How people reach the web server (upload links); empty means http://<host>:<port>."""
    link_valid_hours: float = Field(default=24, gt=0)
    default_language: str = "vi"
    conversation_ttl_hours: float = Field(default=24, gt=0)
    option_lifetime_days: float = Field(default=30, gt=0)
    retention_outbox_days: float = Field(default=90, gt=0)
    """Sent, failed, unreachable and cancelled messages are forgotten this long after."""
    retention_draft_days: float = Field(default=30, gt=0)
    """Drafts are forgotten this long after they expired (they are offered back until then)."""
    retention_link_days: float = Field(default=30, gt=0)
    """One-time links, web sign-in links, ended sessions and revoked calendar tokens."""
    log_level: str = "INFO"
    max_file_mb: float = Field(default=50, gt=0)
    file_check_seconds: float = Field(default=10, gt=0)
    plan_read_seconds: float = Field(default=30, gt=0)
    file_check_memory_mb: float = Field(default=256, gt=0)
    web_keepalive_seconds: float = Field(default=15, gt=0)
    web_read_timeout_seconds: float = Field(default=30, gt=0)
    web_max_connections: int = Field(default=512, ge=1)
    """Connections the web server keeps open at most (and at most half the process's file
    descriptor limit); one more is answered 503 and closed. An upload waiting its turn holds
    one: the uploads waiting are at most half of them."""
    upload_timeout_seconds: float = Field(default=900, gt=0)
    upload_max_mb: float = Field(default=100, gt=0)
    upload_max_parts: int = Field(default=12, ge=2)
    uploads_per_link: int = Field(default=2, ge=1)
    """Uploads under way at once on one link; one more is answered 429 with Retry-After."""
    uploads_at_once: int = Field(default=16, ge=1)
    """Uploads under way at once in all; one more waits its turn (its body unread)."""
    uploads_waiting: int = Field(default=256, ge=0)
    """Uploads waiting their turn at most (and at most half the connection cap); one more is
    answered 503 with Retry-After."""
    upload_wait_seconds: float = Field(default=120, gt=0)
    """How long an upload waits its turn at most before it is answered 503 with Retry-After."""
    upload_link_attempts: int = Field(default=5, ge=1)
    """Uploads an upload link takes (junk, cut off or refused ones too) before it is used up."""
    chat_downloads_mb: float = Field(default=64, gt=0)
    """Files downloaded from the chat apps held in memory at once (an event whose file does not
    fit waits for room)."""
    invite_valid_days: float = Field(default=7, gt=0)
    join_max_failures: int = Field(default=5, ge=1)
    join_failure_window_minutes: float = Field(default=10, gt=0)
    join_lockout_minutes: float = Field(default=15, gt=0)
    reminder_tick_seconds: float = Field(default=60, gt=0)
    progress_tick_seconds: float = Field(default=2, gt=0)
    reminder_staleness_hours: float = Field(default=12, gt=0)
    send_per_second: float = Field(default=30, gt=0)
    send_chat_interval: float = Field(default=1.0, ge=0)
    send_group_interval: float = Field(default=3.0, ge=0)
    send_max_attempts: int = Field(default=5, ge=1)
    send_backoff_seconds: float = Field(default=1.0, ge=0)
    notice_gather_seconds: float = Field(default=60, ge=0)
    """At most one message of gathered notices (the chair's notices of submissions) a chat in
    this many seconds; the first after a quiet spell goes at once. 0: each on its own."""
    database_busy_seconds: float = Field(default=5.0, gt=0)
    """How long a statement waits for another process's lock (a backup, the CLI)."""
    health_max_pending_minutes: float = Field(default=15, gt=0)
    """``/healthz`` answers 503 when a due outbox row has waited longer than this."""
    log_format: str = "text"
    metrics_token: SecretStr | None = None
    """When set, ``/metrics`` asks for ``Authorization: Bearer <token>``."""
    backup_dir: Path | None = None
    """Where the nightly backup goes; none means no nightly backup."""
    backup_keep: int = Field(default=7, ge=1)
    backup_hour: int = Field(default=2, ge=0, le=23)
    """The local hour (the cluster's time zone) from which the nightly backup is due."""
    zalo_monthly_quota: int = Field(default=3000, ge=1)
    """Messages a month on Zalo's free plan (reported, not verified: check your plan)."""
    zalo_quota_warn_share: float = Field(default=0.8, gt=0, le=1)
    flood_burst: int = Field(default=20, ge=1)
    flood_per_minute: float = Field(default=60, gt=0)
    flood_chat_pending: int = Field(default=8, ge=1)
    flood_stranger_burst: int = Field(default=10, ge=1)
    flood_stranger_per_minute: float = Field(default=20, gt=0)
    flood_strangers_per_minute: float = Field(default=120, gt=0)
    """What all unregistered senders together may send a minute."""
    flood_strangers_burst: int = Field(default=20, ge=1)
    """... and at once (keep it under the platform's 30 messages a second)."""
    cache_entries: int = Field(default=10_000, ge=1)
    """Chats (conversations), users (languages) and senders (rates) kept in memory each."""
    web_signin_minutes: float = Field(default=10, gt=0)
    """How long a sign-in link of ``/web`` can be used (once)."""
    web_session_idle_hours: float = Field(default=8, gt=0)
    """A web session unused this long is ended."""

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("vi", "en"):
            raise ValueError("must be 'vi' or 'en'")
        return value

    @field_validator("zalo_mode")
    @classmethod
    def _known_mode(cls, value: str) -> str:
        if value not in ("polling", "webhook"):
            raise ValueError("must be 'polling' or 'webhook'")
        return value

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError("must be 'text' or 'json'")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value

    @property
    def database_path(self) -> Path:
        return self.data_dir / "cumthidua.sqlite3"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def seals_dir(self) -> Path:
        """The keys of the open rounds' ballots: never in the database nor its backups."""
        return self.data_dir / "ballot-seals"

    @property
    def upgrade_backup_dir(self) -> Path:
        """Where the automatic backup before a schema migration goes."""
        return self.backup_dir or self.data_dir / "backups"
