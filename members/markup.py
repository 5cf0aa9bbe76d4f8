"""Markdown written by people, shown as HTML that is safe: one renderer and one
nh3 policy for the whole portal (minutes, briefing summaries, descriptions)."""

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4",
    "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def markdown_to_html(text: str) -> str:
    """Markdown to HTML, rendered then cleaned: no scripts, styles, images or event handlers."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return sanitize_html(html)


def sanitize_html(html: str) -> str:
    """HTML from outside (an email body, a pasted text) cleaned with the same policy."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
