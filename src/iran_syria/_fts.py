"""Full-text search in the SQLite export: an FTS5 index per searchable table.

Each index is an external-content table named `<table>_fts` with `content="<table>"`: it holds
only the index (the text stays in the base table, once), and it is the form Datasette detects
by itself to show a search box on the table (as `sqlite-utils enable-fts` makes it). Triggers
keep an index in step if someone edits the database after the export.
"""

from __future__ import annotations

#: The columns indexed for search, per table: titles, names, descriptions and aliases.
SEARCHABLE: dict[str, tuple[str, ...]] = {
    "events": ("title", "description"),
    "actors": ("name", "description"),
    "actor_aliases": ("alias",),
    "relations": ("description",),
    "sources": ("title",),
}

# unicode61 splits words at every character outside the letter, number and private-use
# categories; adding the marks (M*) keeps a Devanagari or vowelled Arabic name one word
# instead of breaking it at each vowel sign. remove_diacritics 2 folds Latin accents
# (Ḥizbullāh finds Hizbullah).
TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"


def fts_table(table: str) -> str:
    """The name of a table's full-text index."""
    return f"{table}_fts"


def fts_schema() -> str:
    """CREATE statements for every full-text index and the triggers that keep it current."""
    return "\n".join(_index(table, columns) for table, columns in SEARCHABLE.items())


def _index(table: str, columns: tuple[str, ...]) -> str:
    fts = fts_table(table)
    names = ", ".join(f'"{column}"' for column in columns)
    new = ", ".join(f'new."{column}"' for column in columns)
    old = ", ".join(f'old."{column}"' for column in columns)
    add = f'INSERT INTO "{fts}" (rowid, {names}) VALUES (new.rowid, {new});'
    drop = f'INSERT INTO "{fts}" ("{fts}", rowid, {names}) VALUES (\'delete\', old.rowid, {old});'
    return "\n".join(
        [
            f'CREATE VIRTUAL TABLE "{fts}" USING fts5({names}, content="{table}", '
            f'tokenize="{TOKENIZER}");',
            f'CREATE TRIGGER "{table}_ai" AFTER INSERT ON "{table}" BEGIN {add} END;',
            f'CREATE TRIGGER "{table}_ad" AFTER DELETE ON "{table}" BEGIN {drop} END;',
            f'CREATE TRIGGER "{table}_au" AFTER UPDATE ON "{table}" BEGIN {drop} {add} END;',
        ]
    )
