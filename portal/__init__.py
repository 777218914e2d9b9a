"""The enforcement transparency portal. The web app is built by `portal.web.create_app()`;
the packages beside `web` hold the domain and import no Flask (docs/architecture.md)."""
