"""The Tim SKM's editing of each layanan's standar pelayanan and the maklumat."""

from blueprints.skm import staff_bp  # noqa: F401
