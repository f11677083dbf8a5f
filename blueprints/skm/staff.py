"""placeholder"""

from blueprints.skm import staff_bp  # noqa: F401
