"""Access rules of documents, briefings and circulations, registered with
``members.permissions`` from ``BriefingsConfig.ready()``.

Documents restricted to co-chairs exist only for the co-chairs and the
secretariat; to everyone else they answer 404 and never show in a list.
"""

from members import permissions as p

from .models import AccessLevel, Briefing, Circulation, Document, DocumentVersion, Download


def documents_visible(user, queryset):
    if not p.is_member(user):
        return queryset.none()
    if p.can(user, p.VIEW_RESTRICTED):
        return queryset
    return queryset.filter(access_level=AccessLevel.MEMBERS)


def _view_document(user, document) -> bool:
    if not p.is_member(user):
        return False
    return document.access_level == AccessLevel.MEMBERS or p.can(user, p.VIEW_RESTRICTED)


def _author_or_coordinator(author_field: str):
    def rule(user, obj) -> bool:
        if p.is_coordinator(user):
            return True
        return p.is_member(user) and getattr(obj, author_field) == user.pk

    return rule


def downloads_visible(user, queryset):
    """Who downloaded what: coordinators see every download, a member those of the
    documents they uploaded and may still see (``VIEW_DOWNLOADS``)."""
    if p.is_coordinator(user):
        return queryset
    if not p.is_member(user):
        return queryset.none()
    return queryset.filter(
        document__uploaded_by=user, document__in=documents_visible(user, Document.objects.all())
    )


def _members_only(user, queryset):
    return queryset if p.is_member(user) else queryset.none()


def register() -> None:
    p.register(
        Document,
        visible=documents_visible,
        rules={
            p.VIEW: _view_document,
            p.VIEW_DOCUMENT: _view_document,
            p.VIEW_DOWNLOADS: lambda user, doc: _view_document(user, doc)
            and _author_or_coordinator("uploaded_by_id")(user, doc),
            p.EDIT_CONTENT: lambda user, doc: _view_document(user, doc)
            and _author_or_coordinator("uploaded_by_id")(user, doc),
        },
    )
    p.register(
        DocumentVersion,
        visible=lambda user, qs: qs.filter(document__in=documents_visible(user, Document.objects.all())),
    )
    p.register(Download, visible=downloads_visible)
    p.register(
        Briefing,
        visible=_members_only,
        rules={
            p.VIEW: lambda user, briefing: p.is_member(user),
            p.EDIT_CONTENT: _author_or_coordinator("created_by_id"),
        },
    )
    p.register(
        Circulation,
        visible=lambda user, qs: qs if p.is_coordinator(user) else qs.filter(created_by=user)
        if p.is_member(user) else qs.none(),
    )
