"""Who is asking: the key rate limits count against."""

from flask import request


def client_key() -> str:
    """The client's address as the proxy in front of us reported it (see ProxyFix in create_app)."""
    return request.remote_addr or "unknown"
