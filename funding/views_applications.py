"""The coordinator's application pages: list, create, overview, edit, financing plan with live
figures, attachments, submit and withdraw. Thin: fetch through funding.permissions (404 for
missing and forbidden alike), call funding.services.applications, render; a refusal becomes a
message on the page and the form keeps what the user typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from funding import sections
from funding.forms_applications import (
    ApplicationForm,
    AttachmentForm,
    ConfirmForm,
    CostLineFormSet,
    CreateForm,
    ListFilterForm,
    SubmitForm,
    WithdrawForm,
    YearPlanForm,
)
from funding.models import (
    ApplicationYear,
    Attachment,
    Call,
    CommentVisibility,
    CostLine,
)
from funding.permissions import access_application, applications_for, can_apply
from funding.services import applications as services
from funding.services.rules import terms_for
from municipalities.models import Municipality
from municipalities.permissions import roles_by_municipality

PAGE_SIZE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _page_context(request, application, **extra) -> dict:
    return {
        "application": application,
        "sections": sections.sections(request, application),
        "writable": can_apply(request.user, application.municipality_id),
        **extra,
    }


def _coordinated_municipalities(user):
    ids = [pk for pk, roles in roles_by_municipality(user).items() if Role.COORDINATOR in roles]
    return Municipality.objects.filter(pk__in=ids).order_by("short_name")


@login_required
def application_list(request):
    form = ListFilterForm(request.GET or None, calls=Call.objects.order_by("-first_year", "title"))
    applications = applications_for(request.user).select_related("municipality", "call")
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            applications = applications.filter(status=data["status"])
        if data["jahr"]:
            applications = applications.filter(years__year=data["jahr"])
        if data["aufruf"]:
            applications = applications.filter(call=data["aufruf"])
        if data["q"]:
            term = data["q"].strip()
            applications = applications.filter(
                Q(number__icontains=term)
                | Q(municipality__short_name__icontains=term)
                | Q(municipality__name__icontains=term)
            )
    applications = applications.order_by("-created_at", "-pk").prefetch_related(
        Prefetch("years", queryset=ApplicationYear.objects.order_by("year"))
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("seite"))
    can_create = (
        _coordinated_municipalities(request.user).exists()
        and services.open_calls(timezone.localdate()).exists()
    )
    return render(
        request,
        "funding/applications/list.html",
        {
            "form": form,
            "page": page,
            "can_create": can_create,
            # Their coverage and Förderbericht pages, linked above the list.
            "member_municipalities": Municipality.objects.filter(
                pk__in=roles_by_municipality(request.user)
            ).order_by("short_name"),
        },
    )


@login_required
def application_create(request):
    municipalities = list(_coordinated_municipalities(request.user))
    if not municipalities:
        raise Http404
    calls = services.open_calls(timezone.localdate()).order_by("closes_on", "title")
    form = CreateForm(
        request.POST or None,
        municipalities=Municipality.objects.filter(pk__in=[m.pk for m in municipalities]),
        calls=calls,
        initial={"municipality": municipalities[0].pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                call=form.cleaned_data["call"],
                municipality=form.cleaned_data["municipality"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Der Antrag %(number)s ist als Entwurf angelegt.")
                % {"number": application.number},
            )
            return redirect("funding:application_edit", pk=application.pk)
    return render(
        request,
        "funding/applications/create.html",
        {"form": form, "has_calls": calls.exists(), "municipalities": municipalities},
    )


def _years_with_figures(application):
    years = list(
        application.years.order_by("year").prefetch_related(
            Prefetch("cost_lines", queryset=CostLine.objects.order_by("position", "pk"))
        )
    )
    return [(plan, services.year_figures(application, plan)) for plan in years]


@login_required
def application_detail(request, pk):
    application = access_application(request.user, pk)
    context = _page_context(
        request,
        application,
        years=_years_with_figures(application),
        attachments=application.attachments.all(),
        comments=application.comments.filter(
            visibility=CommentVisibility.MUNICIPALITY
        ).select_related("author"),
    )
    if context["writable"] and application.is_editable:
        context["gaps"] = services.submission_gaps(application)
    return render(request, "funding/applications/detail.html", context)


@login_required
def application_edit(request, pk):
    application = access_application(request.user, pk, write=True)
    form = ApplicationForm(
        request.POST or None,
        initial={
            "version": application.version,
            "purpose": application.purpose,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "forwarding_requested": application.forwarding_requested,
            "forwarding_recipient": application.forwarding_recipient,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_application(
                application=application,
                actor=request.user,
                expected_version=data["version"],
                purpose=data["purpose"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                forwarding_requested=data["forwarding_requested"],
                forwarding_recipient=data["forwarding_recipient"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Die Angaben zum Antrag sind gespeichert."))
            return redirect("funding:application_detail", pk=application.pk)
    return render(
        request, "funding/applications/edit.html", _page_context(request, application, form=form)
    )


def _plan_year(application, year) -> ApplicationYear:
    return get_object_or_404(ApplicationYear, application=application, year=year)


def _plan_forms(request, application, plan):
    if request.method == "POST":
        form = YearPlanForm(request.POST)
        formset = CostLineFormSet(request.POST, prefix="zeilen")
        return form, formset
    lines = plan.cost_lines.order_by("position", "pk")
    form = YearPlanForm(
        initial={
            "version": application.version,
            "own_funds": plan.own_funds,
            "third_party_funds": plan.third_party_funds,
            "third_party_note": plan.third_party_note,
        }
    )
    initial = [
        {
            "category": line.category,
            "description": line.description,
            "pay_grade": line.pay_grade,
            "fte": line.fte,
            "months": line.months,
            "monthly_cost": line.monthly_cost,
            "amount": line.amount,
        }
        for line in lines
    ] or [{"category": "personnel"}]
    return form, CostLineFormSet(initial=initial, prefix="zeilen")


def _with_extra_row(formset):
    """The same POST with one more empty line, for the no-JavaScript "add a line" button."""
    data = formset.data.copy()
    data["zeilen-TOTAL_FORMS"] = str(int(data.get("zeilen-TOTAL_FORMS", 0)) + 1)
    return CostLineFormSet(data, prefix="zeilen")


def _live_figures(application, plan, form, formset):
    """Figures of what the form holds right now; rows that do not parse yet count as nothing."""
    lines = []
    for line_form in formset.forms:
        if line_form.is_valid() and not line_form.cleaned_data.get("DELETE"):
            lines.append(line_form.cleaned_data)
    income = form.cleaned_data if form.is_valid() else {}
    return services.plan_figures(
        terms=terms_for(application.call.programme, plan.year),
        lines=lines,
        own_funds=income.get("own_funds") or 0,
        third_party_funds=income.get("third_party_funds") or 0,
    )


@login_required
def application_plan(request, pk, year):
    application = access_application(request.user, pk, write=True)
    plan = _plan_year(application, year)
    form, formset = _plan_forms(request, application, plan)
    if request.method == "POST" and "zeile_hinzufuegen" in request.POST:
        formset = _with_extra_row(formset)
        form.is_valid()
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.save_year_plan(
                application=application,
                year=plan.year,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                own_funds=form.cleaned_data["own_funds"],
                third_party_funds=form.cleaned_data["third_party_funds"],
                third_party_note=form.cleaned_data["third_party_note"],
                lines=formset.lines(),
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("Der Finanzierungsplan %(year)s ist gespeichert.") % {"year": plan.year}
            )
            return redirect("funding:application_detail", pk=application.pk)
    if request.method == "POST":
        figures = _live_figures(application, plan, form, formset)
    else:
        figures = services.year_figures(application, plan)
    return render(
        request,
        "funding/applications/plan.html",
        _page_context(request, application, plan=plan, form=form, formset=formset, figures=figures),
    )


@login_required
@require_POST
def application_plan_preview(request, pk, year):
    application = access_application(request.user, pk, write=True)
    plan = _plan_year(application, year)
    form = YearPlanForm(request.POST)
    formset = CostLineFormSet(request.POST, prefix="zeilen")
    return render(
        request,
        "funding/applications/_plan_figures.html",
        {"figures": _live_figures(application, plan, form, formset), "plan": plan},
    )


@login_required
def application_attachments(request, pk):
    application = access_application(request.user, pk)
    writable = can_apply(request.user, application.municipality_id)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not writable:
            raise Http404
        if form.is_valid():
            try:
                attachment = services.add_attachment(
                    application=application,
                    kind=form.cleaned_data["kind"],
                    uploaded_file=form.cleaned_data["file"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error("file", _error_text(error))
            else:
                messages.success(
                    request,
                    _("Die Anlage „%(name)s“ ist hochgeladen.")
                    % {"name": attachment.original_name},
                )
                return redirect("funding:application_attachments", pk=application.pk)
    return render(
        request,
        "funding/applications/attachments.html",
        _page_context(
            request,
            application,
            form=form,
            attachments=application.attachments.all(),
            delete_links=writable and application.is_editable,
        ),
    )


def _attachment(application, attachment_pk) -> Attachment:
    return get_object_or_404(Attachment, pk=attachment_pk, application=application)


@login_required
def attachment_delete(request, pk, attachment_pk):
    application = access_application(request.user, pk, write=True)
    attachment = _attachment(application, attachment_pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_attachment(attachment=attachment, actor=request.user)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Die Anlage „%(name)s“ ist gelöscht.") % {"name": attachment.original_name},
            )
            return redirect("funding:application_attachments", pk=application.pk)
    return render(
        request,
        "funding/applications/attachment_delete.html",
        _page_context(request, application, attachment=attachment, form=form),
    )


@login_required
def attachment_download(request, pk, attachment_pk):
    """Attachments leave the portal only here, after the reader's rights are checked; the
    stored name is random and never published as a media URL."""
    application = access_application(request.user, pk)
    attachment = _attachment(application, attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def application_submit(request, pk):
    application = access_application(request.user, pk, write=True)
    form = SubmitForm(request.POST or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(
                application=application,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "Der Antrag %(number)s ist eingereicht. Die Landeskoordinierungsstelle "
                    "prüft ihn."
                )
                % {"number": application.number},
            )
            return redirect("funding:application_detail", pk=application.pk)
    gaps = services.submission_gaps(application) if application.is_editable else []
    return render(
        request,
        "funding/applications/submit.html",
        _page_context(request, application, form=form, gaps=gaps),
    )


@login_required
def application_withdraw(request, pk):
    application = access_application(request.user, pk, write=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Der Antrag %(number)s ist zurückgezogen.") % {"number": application.number},
            )
            return redirect("funding:application_detail", pk=application.pk)
    return render(
        request,
        "funding/applications/withdraw.html",
        _page_context(
            request,
            application,
            form=form,
            withdrawable=application.status in services.WITHDRAWABLE_STATUSES,
        ),
    )
