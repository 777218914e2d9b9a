"""The database: models, engines, migrations, the sync of validated content, and read queries."""
