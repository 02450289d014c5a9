"""Where a webhook may send: an http(s) address on the public internet, never the portal's own
network. A unit's leader types the URL, and the portal's worker then POSTs to it from inside
the deployment: without this guard the URL could reach the database, Redis, the cloud metadata
service or an admin page on the internal network (server-side request forgery).

The name is resolved and every address it resolves to is checked, when the webhook is added
and again at each delivery, and the delivery connects to the very address that was checked (a
name re-pointed between the check and the call, "DNS rebinding", changes nothing). Redirects
are not followed, since they would lead to an unchecked address.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from portal.errors import RuleViolation

SCHEMES = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str  # the checked address the delivery connects to
    path: str  # with its query string


def _refused(reason: str) -> RuleViolation:
    return RuleViolation(f"Địa chỉ nhận webhook không được chấp nhận: {reason}", code="ssrf")


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback and settings.WEBHOOK_ALLOW_LOOPBACK:
        return True  # the tests' local receiver only (settings: never in a deployment)
    return address.is_global and not address.is_multicast


def check_target(url: str) -> Target:
    """The URL's parts and one checked address, or a Vietnamese refusal."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise _refused("URL không hợp lệ.") from error
    if parts.scheme not in SCHEMES:
        raise _refused("chỉ dùng http:// hoặc https://.")
    host = parts.hostname
    if not host:
        raise _refused("thiếu tên máy chủ.")
    if parts.username or parts.password:
        raise _refused("không ghi tên đăng nhập, mật khẩu trong URL.")
    port = port or SCHEMES[parts.scheme]
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _refused(
            f"không tìm thấy máy chủ “{host}” (tên miền không phân giải được)."
        ) from error
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found]
    refused = [str(a) for a in addresses if not _allowed(a)]
    if not addresses or refused:
        raise _refused(
            f"“{host}” trỏ tới địa chỉ nội bộ hoặc dành riêng ({', '.join(refused)}); "
            "chỉ gửi tới máy chủ trên Internet công cộng."
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, str(addresses[0]), path)


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    """A connection to the checked address that still names the host (Host header, TLS SNI
    and certificate check)."""
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def pinned(address, *args, **kwargs):
        return socket.create_connection((target.address, address[1]), *args, **kwargs)

    connection._create_connection = pinned
    return connection


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST to a checked target; the HTTP status (RuleViolation if the target is refused,
    OSError or http.client.HTTPException if the call fails)."""
    target = check_target(url)
    connection = _connection(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
