"""What a web server runs with: the audit Settings plus the server's own limits."""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass

from ledgercheck.app.config import Settings
from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Text

_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|秒|m|min|分钟?|h|小时)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ServeConfig:
    settings: Settings
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 2  # audit worker processes
    queue: int = 8  # audits that may wait for a worker; beyond that the page answers "busy" (HTTP 503)
    max_upload: int = 50 << 20  # bytes of one request's files
    max_files: int = 20  # workbooks in one upload
    time_limit: float = 120.0  # seconds one audit may take in a worker
    keep: float = 3600.0  # seconds an upload and its results are kept
    access_code: str | None = None  # required from every visitor when set
    max_jobs_per_worker: int = 200  # a worker is replaced after this many audits (bounds its memory)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def visitors_host(host: str) -> str | None:
    """The address other computers open when the server listens on `host`: itself, or for every interface (0.0.0.0,
    ::) the one this machine reaches its network through (a UDP socket's route; nothing is sent). None where
    there is no such address (no network)."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    family, probe = (socket.AF_INET6, "2001:db8::1") if host == "::" else (socket.AF_INET, "192.0.2.1")
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, 9))
            found = str(udp.getsockname()[0])
    except OSError:
        return None
    return None if is_loopback(found) or found in ("0.0.0.0", "::") else found


def parse_seconds(text: str) -> float:
    """90s, 30m, 1h (also 30分钟, 1小时); a bare number is seconds."""
    match = _SPAN.match(str(text))
    if not match or float(match.group(1)) <= 0:
        raise UsageError(Text(f"「{text}」不是有效的时长，请写作 90s、30m 或 1h",
                              f"{text!r} is not a duration; write 90s, 30m or 1h"))
    number, unit = float(match.group(1)), (match.group(2) or "s").lower()
    return number * (3600 if unit[0] in "h小" else 60 if unit[0] in "m分" else 1)
