def dashboard_panel(user):
    """What this app shows on the dashboard for ``user``: a dict with a
    ``template`` key and its context, or None when there is nothing to show."""
    return None
