"""Pages that gather from every app: the dashboard, mailings, the health check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members import panels as members_panels
from members import permissions
from members.ids import parse_id
from members.navigation import next_url
from notifications import selectors as outbox_selectors
from notifications import services as outbox
from notifications.models import Mailing, Message

from . import audit, panels
from .forms import AuditFilterForm


@permissions.require(permissions.VIEW_PORTAL)
def dashboard(request):
    user = request.user
    return render(request, "wgportal/dashboard.html", {
        **members_panels.dashboard_context(),
        "role": permissions.role_of(user).value,
        "own_panels": panels.own_panels(user),
        "panels": panels.group_panels(user),
    })


def _mailing_for(request, pk) -> Mailing:
    """A mailing the user may follow (a coordinator, or its sender), else 404."""
    mailing = permissions.get_visible_or_404(
        request.user, Mailing.objects.select_related("created_by"), pk=parse_id(pk))
    if not permissions.can(request.user, permissions.VIEW_MAILING, mailing):
        raise Http404("No such mailing")
    return mailing


@permissions.require(permissions.VIEW_PORTAL)
def mailing_detail(request, pk):
    mailing = _mailing_for(request, pk)
    status = request.GET.get("status", "")
    if status not in Message.Status.values:
        status = ""
    rows = outbox_selectors.mailing_messages(mailing, status=status or None)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/mailing_detail.html",
        {"mailing": mailing, "progress": outbox_selectors.mailing_progress(mailing), "page": page, "status": status},
    )


@never_cache
@permissions.require(permissions.VIEW_PORTAL)
def mailing_progress(request, pk):
    mailing = _mailing_for(request, pk)
    return JsonResponse(outbox_selectors.mailing_progress(mailing))


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def mailing_retry(request, pk):
    mailing = _mailing_for(request, pk)
    count = outbox.messages_retry(mailing=mailing)
    if count:
        messages.success(request, f"{count} failed message{pluralize(count)} queued again.")
    else:
        messages.info(request, "No failed messages to retry.")
    return redirect(next_url(request) or reverse("mailing", args=[mailing.pk]))


@login_not_required
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@permissions.require(permissions.VIEW_AUDIT)
def audit_log(request):
    """The audit trail for the secretariat, filtered by object, person and date."""
    form = AuditFilterForm(request.GET or None)
    entries = audit.audit_entries(**form.filters())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    changes = audit.changes_of(page.object_list)
    return render(request, "wgportal/audit_log.html", {
        "form": form, "page": page, "rows": [(entry, changes[entry.pk]) for entry in page.object_list],
        "query": query.urlencode(),
    })
