"""toolkit: one Markdown source per article, gettext catalogs, and PDFs in every language."""

__version__ = "0.1.0"
