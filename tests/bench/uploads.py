"""Worst cases of the upload check: time and peak memory of the largest accepted images and of refused bombs.

    python -m tests.bench.uploads            # or: make bench

Each case runs in a fresh child process, so its peak RSS (VmHWM, reset first) is its own: the check of one
submission (all its files against one pixel budget, as the complaint form does), and the metadata-free
copy staff download. The files are made beforehand and handed over as bytes; the child starts measuring
after imports, and prints its growth over that baseline.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import struct
import sys
import time
import zlib
from pathlib import Path
from tempfile import TemporaryDirectory

from PIL import Image

from zi_public.config import DefaultConfig
from zi_public.security.uploads import DECODE_WEIGHT, PixelBudget, UploadRejected, store_upload, strip_image_metadata

PER_FILE = DefaultConfig.UPLOAD_MAX_PIXELS
BUDGET = DefaultConfig.UPLOAD_PIXEL_BUDGET
MAX_BYTES = DefaultConfig.UPLOAD_MAX_BYTES


def _image(fmt: str, width: int, height: int) -> bytes:
    """A flat picture: tiny on disk, as costly as any other to decode (the bomb's trick)."""
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    options = {"quality": 10} if fmt in ("WEBP", "JPEG") else {}
    Image.new(mode, (width, height), 3 if mode == "P" else (10, 120, 200)).save(out, format=fmt, **options)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A 100-byte PNG whose header announces width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def _side(pixels: int) -> int:
    return int(pixels**0.5)


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise LookupError(field)


def _baseline_mb() -> float:
    """The current RSS, after resetting the peak (ru_maxrss survives fork and exec; VmHWM can be reset)."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS")


def _rss_mb() -> float:
    return _status_mb("VmHWM")


def _check(files: list[bytes], queue: multiprocessing.Queue) -> None:
    from werkzeug.datastructures import FileStorage

    base = _baseline_mb()
    budget = PixelBudget(BUDGET)
    started = time.perf_counter()
    outcome = "accepted"
    with TemporaryDirectory() as tmp:
        try:
            for data in files:
                store_upload(
                    FileStorage(io.BytesIO(data), filename="bukti"),
                    upload_dir=Path(tmp),
                    allowed={"image", "pdf"},
                    max_bytes=MAX_BYTES,
                    max_pixels=PER_FILE,
                    budget=budget,
                )
        except UploadRejected as exc:
            outcome = f"refused ({exc.code})"
    queue.put((outcome, time.perf_counter() - started, _rss_mb() - base))


def _strip(files: list[bytes], queue: multiprocessing.Queue) -> None:
    base = _baseline_mb()
    started = time.perf_counter()
    for data in files:
        strip_image_metadata(data, max_pixels=PER_FILE)
    queue.put(("copy made", time.perf_counter() - started, _rss_mb() - base))


def _run(target, files: list[bytes]) -> tuple[str, float, float]:  # noqa: ANN001
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=target, args=(files, queue))
    child.start()
    result = queue.get(timeout=300)
    child.join()
    return result


def main() -> None:
    side_budget = _side(BUDGET)
    side_file = _side(PER_FILE)
    side_webp = _side(BUDGET // DECODE_WEIGHT["WEBP"])
    jpeg_full = _image("JPEG", 8160, 6120)  # a 50 MP phone photo
    cases = {
        "worst accepted: one WebP of the whole budget": ("check", [_image("WEBP", side_webp, side_webp)]),
        "worst accepted: one PNG of the whole budget": ("check", [_image("PNG", side_budget, side_budget)]),
        "worst accepted: one GIF of the whole budget": ("check", [_image("GIF", side_budget, side_budget)]),
        "phone: five 50 MP JPEGs (8160x6120)": ("check", [jpeg_full] * 5),
        "bomb refused: 7000x7000 WebP": ("check", [_image("WEBP", 7000, 7000)]),
        "bomb refused: five 7000x7000 WebPs": ("check", [_image("WEBP", 7000, 7000)] * 5),
        "bomb refused: WebP just over the per-file cap": ("check", [_image("WEBP", side_file + 1, side_file + 1)]),
        "bomb refused: 100000x100000 PNG header": ("check", [_png_claiming(100_000, 100_000)]),
        "staff copy: one 50 MP JPEG without metadata": ("strip", [jpeg_full]),
        "staff copy: one WebP of the whole budget": ("strip", [_image("WEBP", side_webp, side_webp)]),
    }
    print(f"uploads: per file {PER_FILE / 1e6:g} MP, per submission {BUDGET / 1e6:g} MP decoded")
    results = {}
    for name, (kind, files) in cases.items():
        outcome, seconds, rss = _run(_check if kind == "check" else _strip, files)
        size = sum(len(f) for f in files)
        results[name] = {"outcome": outcome, "seconds": round(seconds, 3), "peak_rss_growth_mb": round(rss, 1)}
        print(f"  {name:52} {size / 1024:9.1f} KB  {outcome:20} {seconds:6.2f} s  +{rss:6.1f} MB peak RSS")
    if "--json" in sys.argv:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
