"""``IngestionStatusStore`` backends: SQLite (local) and DynamoDB (AWS)."""
