"""Sources: one Markdown file with YAML front matter per article, read into frozen Articles.

Owns the document model (`model`), the parser (`parse`: front matter and markdown-it blocks with
real source lines), reading the project's `sources/` folder (`files`), the rules every stage shares
about sources (`rules`: article names, heading matching, video addresses), a workshop's front matter
(`workshop`), and bringing text from a web page in (`importer`, `importer_rules`, `importing`).
Nothing here knows about catalogs or output formats.
"""
