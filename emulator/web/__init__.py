"""The server-rendered HTML front door of the CRM."""
