"""The public standar pelayanan pages (/layanan, /layanan/<code>) and the maklumat."""

from blueprints.public import bp  # noqa: F401
