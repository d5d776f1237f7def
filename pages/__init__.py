"""Playwright page objects of the CRM's screens and the browser driver built on them (UiDriver)."""
