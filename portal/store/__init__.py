"""DuckDB store: connection, migrations, repositories (the only SQL)."""
