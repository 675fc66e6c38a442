"""Pages of the review stage: the state office's queue, the review of one application
(checklist, comments, changes since the last submission, start, recommendation), the
confirmation to send it back for changes, and the comments page the municipality answers on."""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from funding import sections
from funding.forms_review import (
    ChecklistForm,
    CommentForm,
    QueueFilterForm,
    RecommendForm,
    RequestChangesForm,
)
from funding.models import ApplicationStatus, Review, Submission
from funding.money import format_euro
from funding.permissions import access_application, is_reviewer, is_state_office
from funding.permissions_review import access_for_review, can_comment
from funding.selectors_review import comments_for, queue_calls, review_queue
from funding.services import review as services
from funding.services.errors import FundingError
from municipalities.models import Regierungsbezirk

QUEUE_PAGE_SIZE = 50
STATUS_LABELS = dict(ApplicationStatus.choices)
BEZIRK_LABELS = dict(Regierungsbezirk.choices)


@require_GET
def queue(request):
    if not is_state_office(request.user):
        raise Http404
    form = QueueFilterForm(request.GET or None, calls=queue_calls())
    rows = review_queue(user=request.user, filters=form.filters())
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("seite"))
    # Labels and links prepared here: a template tag per cell and row would cost more than
    # the query (the page is measured against raw SQL in `make bench`).
    link = reverse("funding:application_review", args=[0]).replace("/0/", "/{}/")
    page.object_list = [
        {
            **row,
            "url": link.format(row["pk"]),
            "status_label": STATUS_LABELS[row["status"]],
            "bezirk_label": BEZIRK_LABELS[row["municipality__regierungsbezirk"]],
            "years_label": ", ".join(map(str, row["years_applied"])) or "–",
            "total_label": format_euro(row["requested_total"]),
            "reviewer_label": row["reviewer__full_name"] or row["reviewer__email"],
        }
        for row in page.object_list
    ]
    return render(
        request,
        "funding/review/queue.html",
        {"form": form, "page": page, "filtered": bool(request.GET.dict().keys() - {"seite"})},
    )


def _changes_since_last_submission(application) -> list | None:
    """The diff of the last two submissions; None before a resubmission."""
    latest = list(Submission.objects.filter(application=application).order_by("-number")[:2])
    if len(latest) < 2:
        return None
    newer, older = latest
    return services.submission_diff(older.snapshot, newer.snapshot)


def _review_page(request, application, status=200, **forms):
    review = Review.objects.filter(application=application).first()
    years = list(application.years.order_by("year"))
    recommended = review.recommended_grants if review else {}
    for plan in years:
        amount = recommended.get(str(plan.year))
        plan.recommended = Decimal(amount) if amount is not None else None
    answers = review.checklist.get("items", {}) if review else {}
    version = {"version": application.version}
    reviewer = is_reviewer(request.user)
    context = {
        "application": application,
        "sections": sections.sections(request, application),
        "review": review,
        "years": years,
        "comments": comments_for(request.user, application),
        "changes": _changes_since_last_submission(application),
        "may_start": reviewer and application.status == ApplicationStatus.SUBMITTED,
        "may_request_changes": reviewer and application.status in services.REQUEST_CHANGES_FROM,
        "in_review": reviewer and application.status == ApplicationStatus.IN_REVIEW,
        "checklist_form": forms.get("checklist_form")
        or ChecklistForm(initial=ChecklistForm.initial_from(review, application.version)),
        "comment_form": forms.get("comment_form") or CommentForm(state_office=True),
        "recommend_form": forms.get("recommend_form")
        or RecommendForm(years=years, initial=version),
        "checklist_rows": [
            (label, answers[key]) for key, label in services.CHECKLIST if key in answers
        ],
    }
    return render(request, "funding/review/application_review.html", context, status=status)


def _post_action(request, application):
    """Run the posted action; the form to show again with its errors, or None on success."""
    action = request.POST.get("aktion")
    if action == "start":
        services.start_review(application=application, actor=request.user)
        messages.success(request, _("Sie prüfen diesen Antrag jetzt."))
        return None
    forms = {
        "checklist": ("checklist_form", ChecklistForm(request.POST)),
        "comment": ("comment_form", CommentForm(request.POST, state_office=True)),
        "recommend": (
            "recommend_form",
            RecommendForm(request.POST, years=list(application.years.order_by("year"))),
        ),
    }
    if action not in forms:
        raise Http404
    name, form = forms[action]
    if not form.is_valid():
        return {name: form}
    data = form.cleaned_data
    try:
        if action == "checklist":
            services.save_checklist(
                application=application,
                actor=request.user,
                checklist=form.checklist(),
                note=data["note"],
                version=data["version"],
            )
            messages.success(request, _("Die Prüfliste ist gespeichert."))
        elif action == "comment":
            services.add_comment(
                application=application,
                actor=request.user,
                text=data["text"],
                visibility=data["visibility"],
            )
            messages.success(request, _("Der Kommentar ist gespeichert."))
        else:
            services.recommend(
                application=application,
                actor=request.user,
                recommendation=data["recommendation"],
                recommended_grants=form.recommended_grants(),
                note=data["note"],
                version=data["version"],
            )
            messages.success(
                request, _("Das Votum ist gespeichert; die Bewilligung ist informiert.")
            )
    except FundingError as error:
        form.add_error(None, error)
        return {name: form}
    return None


@require_http_methods(["GET", "POST"])
def application_review(request, pk):
    application = access_for_review(request.user, pk)
    if request.method == "POST":
        try:
            failed = _post_action(request, application)
        except FundingError as error:
            messages.error(request, " ".join(error.messages))
            failed = None
        if failed is None:
            return redirect("funding:application_review", pk=application.pk)
        application.refresh_from_db()
        return _review_page(request, application, status=400, **failed)
    return _review_page(request, application)


@require_http_methods(["GET", "POST"])
def request_changes(request, pk):
    application = access_for_review(request.user, pk)
    if request.method == "POST":
        form = RequestChangesForm(request.POST)
        if form.is_valid():
            try:
                services.request_changes(
                    application=application,
                    actor=request.user,
                    message=form.cleaned_data["message"],
                    version=form.cleaned_data["version"],
                )
            except FundingError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Der Antrag ist zur Nachbesserung an die Kommune zurückgegangen.")
                )
                return redirect("funding:application_review", pk=application.pk)
    else:
        form = RequestChangesForm(initial={"version": application.version})
    return render(
        request,
        "funding/review/request_changes.html",
        {
            "application": application,
            "sections": sections.sections(request, application),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def application_comments(request, pk):
    application = access_application(request.user, pk)
    writable = can_comment(request.user, application)
    state_office = is_state_office(request.user)
    form = CommentForm(state_office=state_office)
    if request.method == "POST":
        if not writable:
            raise Http404
        form = CommentForm(request.POST, state_office=state_office)
        if form.is_valid():
            try:
                services.add_comment(
                    application=application,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    visibility=form.cleaned_data.get("visibility"),
                )
            except FundingError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Der Kommentar ist gespeichert."))
                return redirect("funding:application_comments", pk=application.pk)
    return render(
        request,
        "funding/review/comments.html",
        {
            "application": application,
            "sections": sections.sections(request, application),
            "comments": comments_for(request.user, application),
            "form": form if writable else None,
            "state_office": state_office,
        },
        status=400 if form.errors else 200,
    )
