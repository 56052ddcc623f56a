"""Vacancy pages: list, shortlist (ranked, knock-outs, near misses), screening decisions, referrals.

Work coaches match within their caseload and refer; team managers see their team's shortlists
read-only (the coach, who knows the client, confirms every referral); other roles get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caseload import access
from caseload.access_log import AccessAction, log_access
from caseload.selectors import get_client_for_user_or_404

from . import screening, selectors, services
from .forms import AvailabilityForm
from .models import ScreeningDecision, ScreeningFlag
from .protected import protected_parameter_error, shortlist_query_error


def errors_to_messages(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@require_GET
def vacancy_list(request):
    access.check_page(request.user, "vacancies")
    error = protected_parameter_error(request.GET)
    if error:
        return render(request, "matching/bad_request.html", {"message": error}, status=400)
    vacancies = list(selectors.open_vacancies().order_by("open_until", "vacancy_id"))
    fits = selectors.vacancy_fit_counts(request.user, vacancies)
    for vacancy in vacancies:
        # pure text check: no queries, nothing logged yet
        vacancy.flags = screening.screen_vacancy(vacancy)
        vacancy.fit = fits[vacancy.vacancy_id]
    return render(request, "matching/vacancy_list.html", {"vacancies": vacancies})


@require_GET
@access.require_page("workshops")
def workshop_list(request):
    """Upcoming workshops: seats left, what they teach, who of my clients is enrolled."""
    return render(
        request, "matching/workshop_list.html", {"rows": selectors.workshop_overview(request.user)}
    )


@require_GET
def vacancy_detail(request, vacancy_id):
    access.check_page(request.user, "vacancies")
    error = shortlist_query_error(request.GET)
    if error:
        return render(request, "matching/bad_request.html", {"message": error}, status=400)
    vacancy = selectors.get_vacancy_or_404(vacancy_id)
    flags = services.record_screening(vacancy)
    undecided = selectors.undecided_flags(flags)
    context = {
        "vacancy": vacancy,
        "flags": flags,
        "undecided": undecided,
        "can_refer": services.can_refer(request.user),
        "decisions": ScreeningDecision.Decision.choices,
        "proposed": list(selectors.proposed_referrals(request.user, vacancy)),
        "referrals": list(selectors.referrals_for_vacancy(request.user, vacancy)),
    }
    if not undecided:
        shortlist = selectors.shortlist(request.user, vacancy)
        ranked = shortlist.ranked
        if request.GET.get("ordering") == "client_number":
            ranked = sorted(ranked, key=lambda r: r.candidate.client_number)
        context.update(
            shortlist=shortlist,
            ranked=ranked,
            run=services.log_shortlist(request.user, vacancy, shortlist),
        )
        log_access(request, AccessAction.LIST, shortlist.client_numbers)
    return render(request, "matching/vacancy_detail.html", context)


@require_POST
def refer_confirm(request, vacancy_id):
    """Step 1: the coach's selection, listed for confirmation. Nothing is written yet."""
    access.check_page(request.user, "vacancies")
    vacancy = selectors.get_vacancy_or_404(vacancy_id)
    services.require_coach(request.user)
    selected = sorted(set(request.POST.getlist("clients")))
    if not selected:
        messages.error(request, _("Select at least one client."))
        return redirect("vacancy_detail", vacancy_id=vacancy.vacancy_id)
    shortlist = selectors.shortlist(request.user, vacancy)
    chosen = [r for r in shortlist.ranked if r.candidate.client_number in selected]
    log_access(request, AccessAction.LIST, (r.candidate.client_number for r in chosen))
    return render(
        request,
        "matching/refer_confirm.html",
        {"vacancy": vacancy, "chosen": chosen, "missing": len(selected) - len(chosen)},
    )


@require_POST
def refer(request, vacancy_id):
    """Step 2: the confirmed selection becomes `proposed` referrals."""
    vacancy = selectors.get_vacancy_or_404(vacancy_id)
    try:
        created = services.propose_referrals(request.user, vacancy, request.POST.getlist("clients"))
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("%(count)s referral(s) proposed. Confirm below to send them to the employer.")
            % {"count": len(created)},
        )
    return redirect("vacancy_detail", vacancy_id=vacancy.vacancy_id)


@require_POST
def send(request, vacancy_id):
    """Step 3: the coach's explicit confirmation: proposed referrals become `sent`."""
    vacancy = selectors.get_vacancy_or_404(vacancy_id)
    try:
        count = services.send_referrals(request.user, vacancy, request.POST.getlist("referrals"))
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("%(count)s referral(s) sent.") % {"count": count})
    return redirect("vacancy_detail", vacancy_id=vacancy.vacancy_id)


@require_POST
def record_outcome(request, vacancy_id, referral_id):
    """The coach records an outcome (vacancy page or client page: `back=client` returns there)."""
    vacancy = selectors.get_vacancy_or_404(vacancy_id)
    services.require_coach(request.user)  # the write right first: 403 before the referral's 404
    referral = selectors.get_referral_or_404(request.user, vacancy, referral_id)
    try:
        referral = services.record_outcome(request.user, referral, request.POST.get("outcome", ""))
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("Outcome of %(referral)s recorded: %(outcome)s.")
            % {"referral": referral.referral_id, "outcome": referral.get_outcome_display()},
        )
    if request.POST.get("back") == "client":
        return redirect("caseload:client_detail", client_number=referral.client.client_number)
    return redirect("vacancy_detail", vacancy_id=vacancy.vacancy_id)


@require_POST
def record_availability(request, client_number):
    """The coach records a client's available hours a week, from the client page."""
    services.require_coach(request.user)
    get_client_for_user_or_404(
        request.user, client_number=client_number
    )  # out of scope: 404, even for bad input
    form = AvailabilityForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for message in errors:
                messages.error(request, f"{form.fields[name].label}: {message}")
    else:
        try:
            services.record_availability(
                request.user, client_number, form.cleaned_data["available_hours_per_week"]
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Available hours per week recorded."))
    return redirect("caseload:client_detail", client_number=client_number)


@require_POST
def decide(request, vacancy_id, flag_id):
    vacancy = selectors.get_vacancy_or_404(vacancy_id)
    flag = get_object_or_404(ScreeningFlag, pk=flag_id, vacancy=vacancy)
    try:
        services.decide_flag(
            request.user,
            flag,
            request.POST.get("decision", ""),
            request.POST.get("justification", ""),
        )
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(
            request, _("Decision on “%(text)s” recorded.") % {"text": flag.matched_text}
        )
    return redirect("vacancy_detail", vacancy_id=vacancy.vacancy_id)


@require_POST
def enrol(request, vacancy_id):
    vacancy = selectors.get_vacancy_or_404(vacancy_id)
    try:
        enrolment = services.enrol(
            request.user, request.POST.get("client", ""), request.POST.get("workshop", "")
        )
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("%(client)s enrolled in %(workshop)s.")
            % {"client": enrolment.client.client_number, "workshop": enrolment.workshop.title},
        )
    return redirect("vacancy_detail", vacancy_id=vacancy.vacancy_id)
