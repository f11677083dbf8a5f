"""Staff downloads of a case's files, the same for every service: a file is always a download (never shown
inline), never cached, never sniffed; an image comes without its metadata unless the original is asked for."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import abort, flash, redirect, send_file
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from zi_public.services import attachments


def send_case_file(fetch: Callable[[], attachments.Download], back_url: str) -> Response:
    """The file `fetch` reads (services.attachments.download or a service's audited wrapper of it).

    A missing, altered or undecryptable file is a 404 (logged by the service); when the metadata-free copy
    cannot be made, the officer goes back to `back_url` with a message naming the way out.
    """
    try:
        download = fetch()
    except attachments.AttachmentNotFound:
        abort(404)
    except attachments.CleanCopyFailed:
        flash(_("Salinan tanpa metadata dari lampiran ini tidak dapat dibuat. Unduh berkas asli bila perlu."), "error")
        return redirect(back_url)
    attachment = download.attachment
    response = send_file(
        io.BytesIO(download.data),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
