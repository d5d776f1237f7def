"""A browser test's own entry in the Allure results, with its screenshots attached.

allure-pytest-bdd reports only the Gherkin scenarios and the other tests reach Allure as JUnit XML, which
carries no pictures; so a test that shows pages writes its entry itself with allure-commons' file logger.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

import pytest
from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Attachment, Label, Status, StatusDetails, TestResult

SCREENSHOTS_DIR = Path("reports/screenshots")


class ReportEntry:
    def __init__(self, config: pytest.Config, name: str, full_name: str, epic: str) -> None:
        directory = config.getoption("allure_report_dir", default=None)
        self._logger = AllureFileLogger(directory) if directory else None
        digest = hashlib.md5(full_name.encode()).hexdigest()
        self.result = TestResult(
            uuid=str(uuid.uuid4()),
            name=name,
            fullName=full_name,
            historyId=digest,
            testCaseId=digest,
            labels=[Label(name="epic", value=epic), Label(name="framework", value="playwright")],
            start=int(time.time() * 1000),
        )

    def attach_png(self, name: str, png: bytes, copy_as: str) -> None:
        """Attach a screenshot to the entry and keep a copy as reports/screenshots/<copy_as>.png."""
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS_DIR / f"{copy_as}.png").write_bytes(png)
        if self._logger is None:
            return
        source = f"{uuid.uuid4()}-attachment.png"
        self._logger.report_attached_data(body=png, file_name=source)
        self.result.attachments.append(Attachment(name=name, source=source, type="image/png"))

    def finish(self, failure: BaseException | None) -> None:
        self.result.stop = int(time.time() * 1000)
        self.result.status = Status.PASSED if failure is None else Status.FAILED
        if failure is not None:
            self.result.statusDetails = StatusDetails(message=f"{type(failure).__name__}: {failure}")
        if self._logger is not None:
            self._logger.report_result(self.result)
