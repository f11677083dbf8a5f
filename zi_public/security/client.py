"""Who is asking: the key rate limits count against."""

from flask import g, request


def client_key() -> str:
    """The client's address as the proxy in front of us reported it (see ProxyFix in create_app)."""
    return request.remote_addr or "unknown"


def kiosk_key() -> str:
    """The registered kiosk device: the whole service hall shares one address, so count per device.

    The kiosk blueprint sets `g.kiosk_device_id` before any kiosk view runs; without it (never
    expected) every such request shares one bucket rather than escaping the limit.
    """
    return f"kiosk:{g.get('kiosk_device_id') or 'unregistered'}"
