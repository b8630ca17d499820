"""Catalogs: articles become translation units, units become gettext catalogs, and catalogs are
kept, merged, checked and counted.

Owns units (`units`), PO reading and writing (`po`), where catalogs live (`files`), the layout
strings as a catalog domain (`layouts`), fuzzy matching (`match`), merging a template into a
catalog without losing a translation (`merge`), the translation memory (`memory`, `tmx`,
`memory_files`), the glossary and the checks (`glossary`, `checks`, `qa`), progress (`status`),
and the commands that write catalogs (`update`, `languages`). Nothing here renders or serves:
the catalog commands start without a template engine, a PDF renderer or a web server.
"""
