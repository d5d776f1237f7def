"""The JSON front door of the CRM (OpenAPI at /docs)."""
