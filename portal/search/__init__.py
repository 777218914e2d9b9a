"""Full-text search over press releases and typical cases, in English and Chinese (Whoosh)."""
