"""What the suite needs around the CRM: the emulator in a thread, the clock, reports."""
