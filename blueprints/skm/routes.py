"""placeholder"""

from blueprints.skm import bp  # noqa: F401
