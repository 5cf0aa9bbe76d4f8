def dashboard_panels(user) -> list[dict]:
    """What this app shows on the dashboard for ``user``: dicts with a
    ``template`` key and that template's context; empty when there is nothing."""
    return []
