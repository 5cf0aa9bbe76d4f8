"""Validators shared by the apps for text that goes into emails and headers."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Bidirectional embeddings, overrides and isolates can make a name read as another;
# other format characters (the zero-width joiners of Persian or Indic names) are fine.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@deconstructible
class NoControlCharacters:
    """Refuse control characters (line breaks, tabs, NUL, bidirectional overrides...)
    in a one-line value such as a name or a title: a line break in a name ends up
    in the "To:" header of every email to that person and breaks it."""

    message = "Use letters, digits and punctuation only: no line breaks, tabs or other control characters."
    code = "control_characters"

    def __call__(self, value):
        if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} or ch in BIDI_CONTROLS for ch in str(value or "")):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters)


no_control_characters = NoControlCharacters()
