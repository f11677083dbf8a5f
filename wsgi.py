"""WSGI entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`."""

from zi_public import create_app

app = create_app()
