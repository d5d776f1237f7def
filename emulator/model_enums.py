"""The closed vocabularies stored in the models (their Russian labels live in vocabulary.py)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"


class Action(StrEnum):
    WHATSAPP_MESSAGE = "whatsapp_message"


class Timing(StrEnum):
    IMMEDIATE = "immediate"
    DELAYED = "delayed"


class DelayUnit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"


class RecipientRule(StrEnum):
    ALL_CONTACTS_ALL_NUMBERS = "all_contacts_all_numbers"
    PRIMARY_ALL_NUMBERS = "primary_all_numbers"
    PRIMARY_FIRST_NUMBER = "primary_first_number"
    ALL_CONTACTS_FIRST_NUMBER = "all_contacts_first_number"


class RunStatus(StrEnum):
    SCHEDULED = "scheduled"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"


class MessageStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    RETRYING = "retrying"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    ERROR = "error"
