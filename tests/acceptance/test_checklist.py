"""Every scenario of features/ is a test: the checklist of the Default change, executed."""

from pytest_bdd import scenarios

scenarios(".")
