"""Everything that touches SQLite or the file store lives here, and nothing else does."""
