def seed(*, password: str, **_) -> dict:
    """Load the group's briefings (filled by the meetings work)."""
    return {}
