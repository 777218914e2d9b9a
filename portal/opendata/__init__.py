"""The open datasets, their data dictionary and the API's contract (OpenAPI)."""
