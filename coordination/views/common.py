"""What the coordination pages share."""

PAGE_SIZE = 50
