"""placeholder"""

from blueprints.skm import api_bp  # noqa: F401
