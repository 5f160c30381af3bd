"""The settings table: every setting alaune reads, declared once.

`Settings` is a frozen dataclass whose fields are the table (name, type, default, help, secret).
Values come, in increasing priority, from the defaults, an optional TOML file (`ALAUNE_CONFIG` or
`--config`), `ALAUNE_*` environment variables and explicit overrides given by the caller (the
CLI's flags, the demo, tests). docs/config.md is generated from this table (`alaune config --doc`)
and a test fails when the two differ. This module reads no file or variable except through
`load_settings`, and imports nothing from alaune but `errors`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alaune.errors import ConfigError

ENV_PREFIX = "ALAUNE_"


def _setting(default: Any, help: str, *, secret: bool = False) -> Any:
    if isinstance(default, list):
        return dataclasses.field(
            default_factory=lambda: list(default), metadata={"help": help, "secret": secret}
        )
    return dataclasses.field(default=default, metadata={"help": help, "secret": secret})


@dataclasses.dataclass(frozen=True)
class Settings:
    """Effective settings. Field order is the order of docs/config.md."""

    database_url: str = _setting(
        "sqlite:///alaune.db",
        "SQLAlchemy URL of the database: `sqlite:///path.db` (default, one machine) or "
        "`postgresql+psycopg://user@host/db`.",
    )
    db_pool_size: int = _setting(
        10,
        "Connections each process keeps open to the database. Budget on PostgreSQL: (web "
        "processes + workers) × (`db_pool_size` + `db_max_overflow`) must stay below the "
        "server's `max_connections` (see docs/deploy.md).",
    )
    db_max_overflow: int = _setting(
        5, "Connections a process may open beyond `db_pool_size` under load, closed after use."
    )
    db_pool_timeout: float = _setting(
        5.0,
        "Seconds a request waits for a free database connection; after it the site answers "
        "503 (busy, retry) instead of queueing further.",
    )
    request_slots: int = _setting(
        0,
        "Uncached reads (GET, HEAD) one web process renders at once; the next wait their "
        "turn, first come first served, up to `db_pool_timeout`, then get 503. Writes take no "
        "slot. 0: automatic, 2 on SQLite (reading and rendering share the process's CPU, and "
        "more pages at once only share it unfairly: the slowest answers doubled) and as many "
        "as the process's database connections on PostgreSQL (pages wait on the server, and "
        "overlapping them is what keeps up).",
    )
    host: str = _setting("127.0.0.1", "Address the web server listens on.")
    port: int = _setting(8000, "Port the web server listens on.")
    site_url: str = _setting(
        "", "Public base URL of the site (for links in feeds); empty means http://host:port."
    )
    timezone: str = _setting("Africa/Casablanca", "Time zone in which dates are shown.")
    secret_key: str = _setting(
        "", "Key for signed tokens and sessions; empty means a random key per process.", secret=True
    )
    fetch_allow: list[str] = _setting(
        [],
        "Loopback or private `address:port` pairs the fetcher may reach, by exact match. "
        "Only the demo and the tests set it; every other non-public address is refused.",
    )
    fetch_timeout: float = _setting(
        30.0, "Overall deadline of one fetch in seconds, redirects and body included."
    )
    fetch_connect_timeout: float = _setting(10.0, "Deadline to open one connection, in seconds.")
    fetch_max_bytes: int = _setting(
        10 * 1024 * 1024, "Largest decoded body the fetcher accepts, in bytes."
    )
    fetch_max_redirects: int = _setting(5, "Redirects followed before a fetch fails.")
    contact_url: str = _setting(
        "https://github.com/alaune/alaune",
        "URL named in the User-Agent so that site owners can reach the operator.",
    )
    crawl_interval: float = _setting(
        900.0,
        "Seconds between two polls of a new feed; the scheduler then learns each feed's own "
        "interval between `poll_interval_min` and `poll_interval_max`.",
    )
    crawl_concurrency: int = _setting(8, "Fetches in flight at once across all outlets.")
    placement_interval: float = _setting(
        30.0,
        "Seconds between two placements of stored articles into their stories while a crawl "
        "round is still polling (thousands of feeds make rounds of minutes). A shorter round "
        "places once, at its end, in publication order: the order clustering scores best in.",
    )
    origin_connections: int = _setting(2, "Fetches in flight at once to one origin.")
    log_level: str = _setting("info", "Log level: debug, info, warning or error.")
    log_format: str = _setting(
        "text",
        "Log lines as `text` (for a terminal) or `json` (one object per line, with the outlet, "
        "feed and article ids a message is bound to).",
    )
    origin_gap: float = _setting(
        5.0,
        "Minimum seconds between the starts of two requests to one origin (scheme, host, "
        "port); a robots.txt Crawl-delay raises it for its origin.",
    )
    origin_gap_local: float = _setting(
        0.0,
        "The same minimum gap for origins whose address:port is listed in `fetch_allow` (the "
        "demo outlets and test servers: your own machines, not someone else's).",
    )
    robots_ttl: float = _setting(
        86400.0, "Seconds a fetched robots.txt is trusted before it is fetched again (RFC 9309)."
    )
    poll_interval_min: float = _setting(
        300.0, "Shortest interval in seconds between two polls of one feed."
    )
    poll_interval_max: float = _setting(
        14400.0,
        "Longest interval in seconds between two polls of a healthy feed that rarely changes.",
    )
    backoff_cap: float = _setting(
        21600.0,
        "Longest wait in seconds after failed polls; a failing feed is retried at this "
        "interval, never dropped.",
    )
    retry_after_max: float = _setting(
        21600.0, "Longest Retry-After in seconds alaune honours; longer requests are clamped."
    )
    failing_after: int = _setting(
        5, "Consecutive failed polls after which a feed's status becomes `failing`."
    )
    retention_raw_html_days: float = _setting(
        30.0, "Days the fetched HTML of an article is kept for re-extraction; 0 keeps it forever."
    )
    retention_articles_days: float = _setting(
        0.0,
        "Days an article is kept; older ones are removed and tombstoned so that they are not "
        "fetched again. 0 keeps articles forever.",
    )
    retention_polls_days: float = _setting(
        30.0, "Days the history of polls (what health and scheduling read) is kept."
    )
    broker_url: str = _setting(
        "redis://127.0.0.1:6379/0",
        "Scale-out only (`alaune worker`, `alaune scheduler`): URL of the Celery broker that "
        "carries the work, Redis (`redis://host:6379/0`) or RabbitMQ (`amqp://user@host//`).",
        secret=True,
    )
    broker_prefix: str = _setting(
        "alaune",
        "Prefix of alaune's queue names and, on Redis, of every key it writes, so that several "
        "installations (or test runs) can share one broker.",
    )
    broker_visibility_timeout: float = _setting(
        3600.0,
        "Redis only: seconds after which a task taken by a worker that vanished (killed, "
        "powered off) is handed to another worker; keep it above `task_time_limit`. RabbitMQ "
        "hands it over as soon as the worker's connection drops.",
    )
    task_time_limit: float = _setting(
        600.0, "Seconds a worker task may run before it is stopped and retried."
    )
    task_retries: int = _setting(
        5,
        "Retries of a failing worker task, with exponential backoff and jitter (2 s, 4 s, … "
        "up to 10 minutes), before it is recorded in the `dead_letters` table.",
    )
    task_deliveries_max: int = _setting(
        3,
        "Times a worker task may be handed out again after its worker died while running it "
        "(killed, out of memory, crashed) before it is recorded in `dead_letters` instead: "
        "a page or image that kills the process must not kill workers forever.",
    )
    scheduler_tick: float = _setting(
        5.0, "Seconds between two looks for due feeds by `alaune scheduler`."
    )
    scheduler_claim: float = _setting(
        1200.0,
        "Seconds a feed handed to the workers stays off the due list while its poll is not "
        "recorded; a poll lost with its worker is handed out again after it.",
    )
    lease_seconds: float = _setting(
        30.0,
        "Seconds a lease in the `locks` table lasts: the one active scheduler, the one worker "
        "placing stories, the one downloading images. Renewed while held; another process "
        "takes over once it has expired.",
    )
    trusted_proxies: list[str] = _setting(
        [],
        "Addresses or networks (CIDR) of the reverse proxies in front of the site. Only their "
        "`X-Forwarded-For` hops are believed, read from the right; empty trusts none.",
    )
    metrics_allow: list[str] = _setting(
        [],
        "Addresses or networks (CIDR) besides loopback that may read `/metrics`; every other "
        "client gets 403. A request through a proxy counts as its forwarded client.",
    )
    report_window_days: float = _setting(
        7.0, "Days a counting window of image reports lasts; its hashing key is deleted after."
    )
    report_min_reporters: int = _setting(
        3, "Distinct reporters within a window after which an image is hidden automatically."
    )
    report_min_networks: int = _setting(
        2, "Distinct networks (/24 for IPv4, /48 for IPv6) those reporters must come from."
    )
    report_rate_per_hour: int = _setting(
        10, "Reports one reporter, or one network, may send per hour; more get HTTP 429."
    )
    report_global_per_hour: int = _setting(
        2000, "Reports the whole site accepts per hour; more get HTTP 429."
    )
    breaker_hides_per_hour: int = _setting(
        10,
        "Automatic hides per hour after which the circuit breaker stops hiding and sends "
        "further reported images to the admin queue.",
    )
    breaker_outlet_hides_per_hour: int = _setting(
        5, "The same limit for the images of one outlet (a brigade against one source)."
    )
    phash_max_distance: int = _setting(
        10, "Hamming distance between perceptual hashes at which two images count as the same."
    )
    session_hours: float = _setting(12.0, "Hours an admin session lasts.")
    login_attempts_per_hour: int = _setting(
        10, "Failed logins per hour allowed for one admin name, and for one network."
    )


SETTING_FIELDS: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(Settings)
_BY_NAME = {f.name: f for f in SETTING_FIELDS}


def _type_name(field: dataclasses.Field[Any]) -> str:
    return str(field.type)


def _coerce(name: str, raw: Any, *, origin: str) -> Any:
    kind = _type_name(_BY_NAME[name])
    try:
        if kind == "list[str]":
            if isinstance(raw, str):
                return [part.strip() for part in raw.split(",") if part.strip()]
            if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
                return list(raw)
            raise ValueError("expected a list of strings")
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            lowered = str(raw).strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError("expected true or false")
        if kind == "int":
            if isinstance(raw, bool):
                raise ValueError("expected an integer")
            return int(raw)
        if kind == "float":
            if isinstance(raw, bool):
                raise ValueError("expected a number")
            return float(raw)
        if not isinstance(raw, str):
            raise ValueError("expected a string")
        return raw
    except ValueError as exc:
        raise ConfigError(
            f"setting {name!r} from {origin}: {raw!r} is not a valid {kind} ({exc})"
        ) from None


def load_settings(
    *,
    env: Mapping[str, str] | None = None,
    config_file: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the effective settings from defaults, a TOML file, the environment and overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = config_file or env.get(ENV_PREFIX + "CONFIG")
    if path:
        values.update(_read_file(Path(path)))
    for name in _BY_NAME:
        key = ENV_PREFIX + name.upper()
        if key in env:
            values[name] = _coerce(name, env[key], origin=f"${key}")
    for name, raw in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigError(f"unknown setting {name!r}; `alaune config` lists them")
        values[name] = _coerce(name, raw, origin="the command line")
    return Settings(**values)


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist; fix ALAUNE_CONFIG") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in _BY_NAME:
            raise ConfigError(f"config file {path}: unknown setting {name!r}")
        values[name] = _coerce(name, raw, origin=str(path))
    return values


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """(name, type, shown value) for each setting, secrets masked."""
    rows = []
    for field in SETTING_FIELDS:
        value = getattr(settings, field.name)
        shown = "********" if field.metadata["secret"] and value else repr(value)
        rows.append((field.name, _type_name(field), shown))
    return rows


def reference_markdown() -> str:
    """docs/config.md, generated from the table."""
    lines = [
        "# Settings",
        "",
        "Generated by `alaune config --doc` from `src/alaune/config.py`; do not edit by hand.",
        "",
        "Each setting is read, in increasing priority, from its default, the TOML file named by",
        "`ALAUNE_CONFIG` (or `alaune --config FILE`), the environment variable `ALAUNE_<NAME>` and",
        "the command line. Lists are comma-separated in the environment. `alaune config` prints",
        "the effective values with secrets masked.",
        "",
        "| name | environment | type | default | secret | what it does |",
        "|---|---|---|---|---|---|",
    ]
    defaults = Settings()
    for field in SETTING_FIELDS:
        default = getattr(defaults, field.name)
        secret = "yes" if field.metadata["secret"] else ""
        lines.append(
            f"| `{field.name}` | `{ENV_PREFIX}{field.name.upper()}` | {_type_name(field)} "
            f"| `{default!r}` | {secret} | {field.metadata['help']} |"
        )
    return "\n".join(lines) + "\n"
