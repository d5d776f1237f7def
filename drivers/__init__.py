"""How scenarios reach the CRM: one protocol, an API driver and a browser driver (pages/ui_driver.py)."""
