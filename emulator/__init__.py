"""Reference CRM emulator: deals, funnels, integrations and WhatsApp business processes."""
