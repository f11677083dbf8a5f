"""The texts the Tim WBS keeps for the public WBS pages: the office's own regulation and the WBS SOP.

They are settings (zi_public/services/settings.py: wbs_regulation_title, wbs_regulation_text, wbs_sop_text);
each change is audit-logged there (setting.change) with the member who made it.
"""

from __future__ import annotations

from dataclasses import dataclass

from zi_public.models import Role, User
from zi_public.rules.text import is_readable
from zi_public.services.settings import get_setting, set_setting

#: Longest accepted value per text (characters).
LIMITS = {"regulation_title": 300, "regulation_text": 50_000, "sop_text": 50_000}


@dataclass(frozen=True)
class PublicTexts:
    regulation_title: str
    regulation_text: str
    sop_text: str


class InvalidTexts(ValueError):
    """`errors` maps each field to a problem code: "too_long", "unreadable" or "line_break"."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def public_texts() -> PublicTexts:
    """The texts as saved ("" for one never written)."""
    return PublicTexts(
        regulation_title=str(get_setting("wbs_regulation_title") or ""),
        regulation_text=str(get_setting("wbs_regulation_text") or ""),
        sop_text=str(get_setting("wbs_sop_text") or ""),
    )


def save_texts(actor: User, texts: PublicTexts) -> list[str]:
    """Store the texts a member of the Tim WBS edited; returns the fields that changed (each audit-logged)."""
    if not isinstance(actor, User) or actor.role != Role.WBS or not actor.is_active:
        raise PermissionError("only the Tim WBS edits the WBS texts")
    cleaned = PublicTexts(
        regulation_title=(texts.regulation_title or "").strip(),
        regulation_text=(texts.regulation_text or "").strip(),
        sop_text=(texts.sop_text or "").strip(),
    )
    errors: dict[str, str] = {}
    for field, limit in LIMITS.items():
        value = getattr(cleaned, field)
        multiline = field != "regulation_title"
        if len(value) > limit:
            errors[field] = "too_long"
        elif not is_readable(value, multiline=multiline):
            errors[field] = "unreadable" if is_readable(value, multiline=True) is False else "line_break"
    if errors:
        raise InvalidTexts(errors)
    current = public_texts()
    changed = [field for field in LIMITS if getattr(cleaned, field) != getattr(current, field)]
    for field in changed:
        set_setting(actor, f"wbs_{field}", getattr(cleaned, field))
    return changed
