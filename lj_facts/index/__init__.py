"""The queries every command asks, answered from an SQLite index of a knowledge base.

The index is built from a checked `KnowledgeBase` and kept in the user's cache folder, so a later
look-up neither parses the TOML nor loads every fact. With no usable cache folder (or
`--no-cache`) the same index is built in memory: one implementation answers both ways.

Its modules, each importing only those before it:
- `rows`: the schema, and a record as a row and back (checked: a damaged row is `Damaged`);
- `building`: writing the index of a base (its tables, the facts' search texts, the word lists);
- `parallel`: a large file indexed by a pool of forked workers, a share each;
- `queries`: `Index`, the read-only queries, each answered again after a rebuild where damage shows;
- `cache`: where an index is kept, when it is trusted, and `open_index`, which returns one.
"""

from __future__ import annotations

from .cache import Unusable, cache_dir, cache_for, open_index, shipped_base, shipped_path, telling
from .queries import Index, Note, holders, holds, quiet
from .rows import CHINESE, FORMAT, ID_FIELD, LABEL_FIELD, TEXT_FIELD, TOPIC_FIELD, UNIT_FIELD, WHOLE_LABEL, Damaged

__all__ = [
    "CHINESE",
    "FORMAT",
    "ID_FIELD",
    "LABEL_FIELD",
    "TEXT_FIELD",
    "TOPIC_FIELD",
    "UNIT_FIELD",
    "WHOLE_LABEL",
    "Damaged",
    "Index",
    "Note",
    "Unusable",
    "cache_dir",
    "cache_for",
    "holders",
    "holds",
    "open_index",
    "quiet",
    "shipped_base",
    "shipped_path",
    "telling",
]
