"""UiDriver and the editor page object speak exactly the driver protocol the steps use."""

from __future__ import annotations

import inspect

import pytest

from drivers.protocol import CrmDriver, Editor
from pages.process_editor_page import ProcessEditorPage
from pages.ui_driver import UiDriver


def _methods(protocol: type) -> list[str]:
    return [name for name, value in vars(protocol).items() if inspect.isfunction(value) and not name.startswith("_")]


@pytest.mark.parametrize(("protocol", "implementation"), [(CrmDriver, UiDriver), (Editor, ProcessEditorPage)])
def test_every_protocol_method_exists_with_the_same_parameters(protocol: type, implementation: type) -> None:
    for name in _methods(protocol):
        expected = inspect.signature(getattr(protocol, name))
        actual = inspect.signature(getattr(implementation, name))
        assert list(actual.parameters) == list(expected.parameters), name
        assert [p.kind for p in actual.parameters.values()] == [p.kind for p in expected.parameters.values()], name
        assert str(actual.return_annotation) in (str(expected.return_annotation), "ProcessEditorPage"), name
