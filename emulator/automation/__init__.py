"""The business-process engine: triggers, scheduling, recipients, parameters and the common send method."""
