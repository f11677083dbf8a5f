"""The SKM part of the OpenAPI document: the survey's paths (GET /form, POST /) and the results' (GET /hasil),
each kept beside the module that serves them."""

from __future__ import annotations

from blueprints.api.schema import Fragment
from blueprints.skm import openapi_hasil, openapi_perception, openapi_survey


def fragment() -> Fragment:
    parts = (openapi_survey.fragment(), openapi_hasil.fragment(), openapi_perception.fragment())
    paths: dict = {}
    schemas: dict = {}
    for part in parts:
        paths.update(part.paths)
        schemas.update(part.schemas)
    return Fragment(paths=paths, schemas=schemas)
