"""QR codes as inline SVG: no image request, no script, allowed by the CSP; the stylesheet sizes them."""

from __future__ import annotations

import segno


def qr_svg(data: str, *, title: str | None = None) -> str:
    """`data` (a link built by zi_public.links, a TOTP URI) as an inline SVG QR code.

    `title` becomes the SVG's tooltip and accessible name; leave it out when `data` is a secret.
    """
    return segno.make(data, error="m").svg_inline(scale=1, omitsize=True, dark="#111", light="#fff", title=title)
