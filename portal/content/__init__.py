"""Content files to validated records: front matter, fields, Markdown, press, cases, statistics."""
