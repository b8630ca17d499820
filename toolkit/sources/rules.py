"""Rules about sources that several stages apply, each defined once: what an article's name may
be, when two heading texts name the same section, and which URLs are videos."""

from __future__ import annotations

import re

from toolkit.errors import ToolkitError

# Lowercase letters, digits, '-' and '_': a file name and a URL segment on every system.
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_VIDEO_PATTERNS = (
    (
        "youtube",
        re.compile(
            r"(?:youtube(?:-nocookie)?\.com/(?:embed/|watch\?(?:\S*?&)?v=|shorts/|live/)|youtu\.be/)"
            r"([\w-]{11})(?![\w-])"
        ),
    ),
    ("vimeo", re.compile(r"(?:player\.vimeo\.com/video/|vimeo\.com/(?:channels/\w+/)?)(\d{4,12})(?!\w)")),
)


# A footnote's call in a text, `[^label]`: a mark the reader sees only as a number in print.
FOOTNOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")


def is_slug(name: str) -> bool:
    return SLUG.match(name) is not None


def check_slug(slug: str, *, what: str = "slug") -> str:
    if not is_slug(slug):
        raise ToolkitError(
            f"invalid {what} {slug!r}",
            hint="use lowercase letters, digits, '-' and '_' only (no '/', '..' or spaces)",
        )
    return slug


def heading_key(text: str) -> str:
    """Heading texts name the same section ignoring case and spacing: authors type them from
    memory into front matter (slide points, workshop includes)."""
    return " ".join(text.split()).casefold()


def video_from_url(url: str) -> tuple[str, str] | None:
    """(provider, video id) of a YouTube or Vimeo address in any of its forms, else None."""
    for provider, pattern in _VIDEO_PATTERNS:
        m = pattern.search(url)
        if m:
            return provider, m.group(1)
    return None


def video_embed(provider: str, video_id: str) -> str:
    """The embed address of a video, as an `<iframe>` in a source carries it."""
    if provider == "youtube":
        return f"https://www.youtube.com/embed/{video_id}"
    return f"https://player.vimeo.com/video/{video_id}"
