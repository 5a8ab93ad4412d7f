"""SQLite adapters for the embedded local stack."""
