"""IATI in and out: the export of a filtered list, and the import of an activities file (upload, preview,
confirm).

The upload is read and checked once; what it holds is kept in the session
(never re-posted by the browser) until the person confirms the preview. The
confirmation plans again against the registry as it is, and applies only if
that is the plan the person saw.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from members import permissions

from .. import selectors
from ..iati.export import activities_xml
from ..iati.forms import IatiImportForm
from ..iati.imports import CREATE, SKIP, UNCHANGED, UPDATE, PlanChanged, import_apply, import_plan, plan_digest
from ..iati.reader import ActivityRecord, IatiFileError, read_activities
from ..selectors import ProjectFilters

SESSION_KEY = "coordination.iati_import"


@permissions.require(permissions.VIEW_PORTAL)
def projects_iati(request):
    """The list's projects, with the list's filters, as IATI activity XML 2.03."""
    rows = selectors.projects_list(request.user, ProjectFilters.from_query(request.GET))
    if not rows.exists():
        # IATI's schema wants at least one activity: an empty file would be invalid.
        messages.info(request, "No project matches these filters, so there is nothing to export.")
        return redirect(reverse("coordination:projects") + ("?" + request.GET.urlencode() if request.GET else ""))
    xml = activities_xml(rows, user=request.user,
                         vocabulary_uri=request.build_absolute_uri(reverse("coordination:projects")))
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="iati-activities-{stamp}.xml"'
    return response


@permissions.require(permissions.CONTRIBUTE)
def iati_import(request):
    form = IatiImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = read_activities(upload.read())
        except IatiFileError as error:
            form.add_error("file", str(error))
        else:
            request.session[SESSION_KEY] = {
                "records": [r.as_json() for r in records],
                "default_activity": form.cleaned_data["default_activity"],
                "filename": upload.name[:200],
            }
            return redirect("coordination:iati_import_preview")
    return render(request, "coordination/iati_import.html", {"form": form})


def _pending(request) -> tuple[list[ActivityRecord], str, str] | None:
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    try:
        records = [ActivityRecord.from_json(row) for row in pending["records"]]
    except (KeyError, TypeError):
        return None
    return records, pending.get("default_activity", ""), pending.get("filename", "")


@permissions.require(permissions.CONTRIBUTE)
def iati_import_preview(request):
    pending = _pending(request)
    if pending is None:
        return render(request, "coordination/iati_import_preview.html", {"items": None})
    records, default_activity, filename = pending
    items = import_plan(records=records, user=request.user, default_activity=default_activity)
    counts = {action: sum(1 for i in items if i.action == action) for action in (CREATE, UPDATE, UNCHANGED, SKIP)}
    return render(request, "coordination/iati_import_preview.html", {
        "items": items, "counts": counts, "filename": filename, "digest": plan_digest(items),
        "to_import": counts[CREATE] + counts[UPDATE],
    })


@require_POST
@permissions.require(permissions.CONTRIBUTE)
def iati_import_confirm(request):
    pending = _pending(request)
    if pending is None:
        messages.error(request, "There is no import waiting for confirmation: upload the file again.")
        return redirect("coordination:iati_import")
    records, default_activity, _ = pending
    try:
        result = import_apply(records=records, user=request.user, default_activity=default_activity,
                              expected_digest=str(request.POST.get("digest", "")))
    except PlanChanged:
        messages.warning(request, "The registry changed since you looked at the preview; here it is again.")
        return redirect("coordination:iati_import_preview")
    request.session.pop(SESSION_KEY, None)
    created = len(result.created)
    messages.success(request, f"IATI import: {created} project{pluralize(created)} created, "
                               f"{len(result.updated)} updated, {result.skipped} skipped.")
    return redirect("coordination:projects")
