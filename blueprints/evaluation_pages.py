"""The writes of a period evaluation's page (services/evaluations.py) and what the page says when one is refused
(EvaluationWrites), the same for the semester monev (blueprints/internal/monev.py), the UPG's quarterly evaluation
(blueprints/gratifikasi/staff_evaluation.py) and the Tim WBS's (blueprints/wbs/staff_evaluation.py), each page in
its own words (PageWords); and what the two quarterly pages show of the evaluation (quarter_page, for
templates/_evaluation_sections.html)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from zi_public.forms import evaluation as evaluation_forms
from zi_public.forms import place_errors
from zi_public.forms.evaluation import ItemUpdateForm, NewVersionForm, with_version
from zi_public.i18n import period_name
from zi_public.localtime import today_jakarta
from zi_public.models import FollowUpItem, PeriodEvaluation
from zi_public.rules.periods import Period, parse_period
from zi_public.services import evaluation_versions, evaluations
from zi_public.services.evaluations import EvaluationConflict, EvaluationLocked, EvaluationRefused


@dataclass(frozen=True)
class Refused:
    """A write refused: the status to show the page again with."""

    status: int


def refused_write(
    form: FlaskForm,
    write: Callable[[], object],
    *,
    field: str,
    stale: str | None = None,
    current_version: Callable[[], str] | None = None,
    refused: int = 400,
) -> object:
    """Run `write` (one evaluations service call with what `form` holds): what it wrote, or Refused with the
    status to show the page again with `form`, what was typed kept and the messages placed.

    The service's refusal goes on the fields it names (else on `field`): 409 for what a final version locks,
    `refused` for any other (400 for the input; 409 where the refusal is about the evaluation's state). A save
    over a colleague's newer one (for a write that checks the version: `stale` says so) is a 409 with `stale` on
    `field`; with `current_version` the form then carries the current version, so that sending it again saves
    over the colleague's knowingly.
    """
    try:
        return write()
    except EvaluationRefused as exc:
        place_errors(form, exc.errors, fallback=field)
        return Refused(409 if isinstance(exc, EvaluationLocked) else refused)
    except EvaluationConflict:
        if stale is None:
            raise
        if current_version is not None:
            form.version.data = current_version()
        form[field].errors = [stale]
        return Refused(409)


#: What a save over a colleague's newer text says.
STALE_TEXT = _l("Petugas lain baru saja menyimpan evaluasi ini. Periksa teksnya lalu simpan lagi.")


def refused_text_save(form: FlaskForm, scope: str, period: Period) -> object:
    """Save the evaluation text `form` holds (a text_form) as the current user: refused_write's outcome."""
    return refused_write(
        form,
        lambda: evaluations.save_evaluation(
            current_user, scope, period, form.text.data or "", version=form.version.data
        ),
        field="text",
        stale=str(STALE_TEXT),
        current_version=lambda: evaluations.evaluation_version(evaluations.get_evaluation(scope, period)),
    )


def refused_item_add(form: FlaskForm, scope: str, period: Period) -> object:
    """Add the follow-up item `form` holds (an item_form) to `period`'s evaluation: refused_write's outcome."""
    data = evaluations.ItemInput(form.item.data or "", form.owner.data or "", form.due_on.data)
    return refused_write(form, lambda: evaluations.add_item(current_user, scope, period, data), field="item")


def refused_item_update(form: ItemUpdateForm, item: FollowUpItem) -> object:
    """Record where `item` stands as `form` says (status, evidence; marked done today, Jakarta time), as the
    current user: refused_write's outcome."""
    return refused_write(
        form,
        lambda: evaluations.update_item(
            current_user,
            item,
            status=form.status.data,
            evidence=form.evidence.data or "",
            today=today_jakarta(),
            version=form.version.data,
        ),
        field="evidence",
        stale=_("Petugas lain baru saja menyimpan butir ini. Periksa isiannya lalu simpan lagi."),
        current_version=lambda: evaluations.item_version(item),
    )


def refused_item_edit(form: FlaskForm, item: FollowUpItem, *, stale: str) -> object:
    """Change what `item` says, its owner and due date as `form` (an item form with a version) holds, as the
    current user: refused_write's outcome, `stale` for an item a colleague saved since the page was opened."""
    data = evaluations.ItemInput(form.item.data or "", form.owner.data or "", form.due_on.data)
    return refused_write(
        form,
        lambda: evaluations.edit_item(current_user, item, data, version=form.version.data),
        field="item",
        stale=stale,
        current_version=lambda: evaluations.item_version(item),
    )


def refused_mark_final(form: FlaskForm, scope: str, period: Period) -> object:
    """Mark `period`'s current version final as `form` (a final_form, its box ticked) asks, as the current user:
    refused_write's outcome (a version a colleague changed since the page was opened is a 409)."""
    return refused_write(
        form,
        lambda: evaluation_versions.mark_final(current_user, scope, period, version=form.version.data),
        field="confirm",
        stale=str(STALE_TEXT),
    )


def refused_new_version(form: FlaskForm, scope: str, period: Period, *, stale: str) -> object:
    """Archive `period`'s final version and open the next one as a draft, as the current user: refused_write's
    outcome (the evaluation, at its new version), 409 for a version that is not final (the refusal is about the
    state) and `stale` for one a colleague changed since the page was opened."""
    return refused_write(
        form,
        lambda: evaluation_versions.new_version(current_user, scope, period, version=form.version.data),
        field="version",
        stale=stale,
        refused=409,
    )


def render_archived(template: str, scope: str, period: Period, number: int, /, **context: object) -> str:
    """The page of `period`'s earlier final version `number` (404 when there is none), read-only: `template` gets
    the version (`archived`), its items and the status labels, with `context`."""
    archived = evaluation_versions.get_archived_version(scope, period, number) or abort(404)
    return render_template(
        template,
        archived=archived,
        items=evaluation_versions.archived_items(archived),
        status_labels=evaluations.STATUS_LABELS,
        **context,
    )


#: A quarterly team evaluation's forms, in the words both the UPG's and the Tim WBS's pages use.
QuarterTextForm = evaluation_forms.text_form(_l("Evaluasi triwulan"))
QuarterItemForm = evaluation_forms.item_form(_l("Tindak lanjut"), _l("Tambah tindak lanjut"))
QuarterFinalForm = evaluation_forms.final_form(
    _l(
        "Saya mengerti: setelah final, evaluasi tidak dapat diubah dan tindak lanjut baru tidak dapat "
        "ditambahkan kecuali dengan versi baru."
    )
)


@dataclass(frozen=True)
class PageWords:
    """What an evaluation's page calls its parts: the forms of its text, of a new item and of marking final (each
    labelled in its words), and what it says when an item is added, when `%(period)s` is marked final, and when a
    colleague changed the version a new one was asked of."""

    text_form: type[FlaskForm]
    item_form: type[FlaskForm]
    final_form: type[FlaskForm]
    item_added: str
    marked_final: str
    stale_version: str


#: The words of both quarterly pages.
QUARTER_WORDS = PageWords(
    QuarterTextForm,
    QuarterItemForm,
    QuarterFinalForm,
    item_added=_l("Tindak lanjut ditambahkan."),
    marked_final=_l("Evaluasi %(period)s ditetapkan final."),
    stale_version=_l("Petugas lain baru saja mengubah evaluasi ini. Periksa halamannya lalu coba lagi."),
)


@dataclass(frozen=True)
class QuarterPage:
    """What templates/_evaluation_sections.html shows of a quarter's evaluation: the text, the items and the
    version forms, each either the one posted (with what was typed and its messages) or a fresh one."""

    period: Period
    written: PeriodEvaluation | None
    is_final: bool
    archived: list
    can_write: bool
    text_form: FlaskForm
    item_form: FlaskForm
    final_form: FlaskForm
    version_form: FlaskForm
    items: list[FollowUpItem]
    carried: frozenset[int]
    item_periods: dict[int, Period]
    versions: dict[int, str]
    update_id: int | None
    update_form: ItemUpdateForm | None
    status_labels: dict = field(default_factory=lambda: evaluations.STATUS_LABELS)


def quarter_page(
    scope: str,
    quarter: Period,
    *,
    text_form: FlaskForm | None = None,
    item_form: FlaskForm | None = None,
    update: tuple[FollowUpItem, ItemUpdateForm] | None = None,
    final_form: FlaskForm | None = None,
    version_form: FlaskForm | None = None,
) -> QuarterPage:
    """`scope`'s evaluation of `quarter` as its page shows it, with the posted form given (if any)."""
    written = evaluations.get_evaluation(scope, quarter)
    page_version = evaluations.evaluation_version(written)
    items = evaluations.items_for(scope, quarter)
    return QuarterPage(
        period=quarter,
        written=written,
        is_final=bool(written and written.is_final),
        archived=evaluation_versions.archived_versions(scope, quarter),
        can_write=evaluations.can_write(scope, current_user),
        text_form=text_form or with_version(QuarterTextForm(formdata=None, obj=written), page_version),
        item_form=item_form or QuarterItemForm(formdata=None),
        final_form=final_form or with_version(QuarterFinalForm(formdata=None), page_version),
        version_form=version_form or with_version(NewVersionForm(formdata=None), page_version),
        items=items,
        carried=frozenset(item.id for item in items if evaluations.is_carried(scope, item, quarter)),
        item_periods={item.id: parse_period(item.period) for item in items},
        versions={item.id: evaluations.item_version(item) for item in items},
        update_id=update[0].id if update else None,
        update_form=update[1] if update else None,
    )


@dataclass(frozen=True)
class EvaluationWrites:
    """The writes of an evaluation's page (the semester monev, the UPG's and the Tim WBS's quarterly ones), one
    method each: it checks the posted form, makes one service call through the refused_* helpers above, and
    either shows the page again with the form, what was typed kept (`render(period, status=..., <form's
    keyword>=...)`: text_form, item_form, update, final_form, version_form), or flashes what was saved in the
    page's `words` and goes back to the page (`page_url(period, anchor)`, at `anchor` when the view gives one).
    Each blueprint keeps its own routes, URLs and role checks; its views call these."""

    scope: str
    words: PageWords
    render: Callable[..., tuple[str, int]]
    page_url: Callable[[Period, str | None], str]

    def write(
        self,
        period: Period,
        form: FlaskForm,
        posted: dict[str, object],
        save: Callable[[], object],
        done: Callable[[Any], str],
        *,
        anchor: str | None = None,
    ) -> ResponseReturnValue:
        """`save` (a refused_* helper with `form`) once `form` is valid: the page again with `posted` when either
        refuses it, else `done(what was saved)` flashed and back to the page."""
        if not form.validate_on_submit():
            return self.render(period, status=400, **posted)
        saved = save()
        if isinstance(saved, Refused):
            return self.render(period, status=saved.status, **posted)
        flash(done(saved), "success")
        return redirect(self.page_url(period, anchor))

    def save_text(self, period: Period, *, anchor: str | None = None) -> ResponseReturnValue:
        """Save the team's text, refusing a save over a colleague's newer one."""
        form = self.words.text_form()
        return self.write(
            period,
            form,
            {"text_form": form},
            lambda: refused_text_save(form, self.scope, period),
            lambda saved: _("Evaluasi %(period)s disimpan.", period=period_name(period)),
            anchor=anchor,
        )

    def add_item(self, period: Period, *, anchor: str | None = None) -> ResponseReturnValue:
        """Add a follow-up item to the period's evaluation."""
        form = self.words.item_form()
        return self.write(
            period,
            form,
            {"item_form": form},
            lambda: refused_item_add(form, self.scope, period),
            lambda saved: str(self.words.item_added),
            anchor=anchor,
        )

    def update_item(
        self, period: Period, item: FollowUpItem, *, prefix: str = "", anchor: str | None = None
    ) -> ResponseReturnValue:
        """Record where a follow-up item stands (status, evidence; the form's fields named with `prefix`); the
        page of `period` is shown."""
        form = ItemUpdateForm(prefix=prefix)
        return self.write(
            period,
            form,
            {"update": (item, form)},
            lambda: refused_item_update(form, item),
            lambda saved: _("Tindak lanjut disimpan."),
            anchor=anchor,
        )

    def mark_final(self, period: Period) -> ResponseReturnValue:
        """Mark the current version final (after the confirmation): its text and items' wording are locked."""
        form = self.words.final_form()
        return self.write(
            period,
            form,
            {"final_form": form},
            lambda: refused_mark_final(form, self.scope, period),
            lambda saved: str(self.words.marked_final) % {"period": period_name(period)},
        )

    def new_version(self, period: Period) -> ResponseReturnValue:
        """Keep the final version as it is and open the next one as a draft."""
        form = NewVersionForm()
        return self.write(
            period,
            form,
            {"version_form": form},
            lambda: refused_new_version(form, self.scope, period, stale=str(self.words.stale_version)),
            lambda opened: _(
                "Versi %(n)d dibuka sebagai draf; versi final sebelumnya tetap tersimpan.", n=opened.version_no
            ),
        )
