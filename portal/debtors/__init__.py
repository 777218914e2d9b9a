"""The list of dishonest persons subject to enforcement: identities, the import file, the import,
the lookup and fictional demonstration data."""
