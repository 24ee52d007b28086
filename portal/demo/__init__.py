"""The demo scenario: a believable MLflow registry with two years of history."""
