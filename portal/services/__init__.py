"""Use cases for pages, reports and the API: read models, and authorized writes."""
