"""What the public is shown of the standar pelayanan and the maklumat on a day, the same on the website and
in the service hall (the kiosk): the two differ in layout only, so both pages render these values.

Each function returns its page's values by name: what is in force on the day, and the next version
announced with its date (never shown early).
"""

from __future__ import annotations

from datetime import date

from zi_public.models import Layanan
from zi_public.services.skm import standards
from zi_public.services.skm.layanan_search import MAX_QUERY, search_layanan
from zi_public.services.skm.standards import COMPONENT_LABELS, COMPONENTS


def catalogue_page(query: str | None, page: object, size: int, on: date) -> dict[str, object]:
    """One page of the catalogue matching `query`, with the standards in force on `on` (by layanan id)."""
    return {
        "result": search_layanan(query, page=page, size=size),
        "max_query": MAX_QUERY,
        "in_force": standards.standards_in_force(on),
    }


def standard_page(layanan: Layanan, on: date) -> dict[str, object]:
    """A layanan's standard in force on `on` and the next one, with the components in order and their labels."""
    return {
        "layanan": layanan,
        "standard": standards.current_standard(layanan, on),
        "upcoming": standards.next_standard(layanan, on),
        "components": COMPONENTS,
        "component_labels": COMPONENT_LABELS,
    }


def maklumat_page(on: date) -> dict[str, object]:
    """The maklumat in force on `on` and the next one."""
    return {"maklumat": standards.current_maklumat(on), "upcoming": standards.next_maklumat(on)}
