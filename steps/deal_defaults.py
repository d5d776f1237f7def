"""The client a scenario's deal has unless the scenario says otherwise (spelled in the vocabulary)."""

from steps.vocabulary import CLIENT, CLIENT_PHONE

DEFAULT_PHONE = CLIENT_PHONE
__all__ = ["CLIENT", "DEFAULT_PHONE"]
