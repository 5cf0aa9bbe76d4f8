def organization_panel(request, organization):
    return None
