"""Forms shared by several blueprints."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A bare button still carries a CSRF token."""
