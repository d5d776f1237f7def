"""Input field types of the JSON API with the bounds the CRM can store and show.

- :data:`Text`: any string but one holding NUL (PostgreSQL's text cannot store it, and no person types it);
- :data:`RowId`: an id some row could have, 1..2^31-1 (PostgreSQL's ``integer``; see ``emulator.row_ids``);
- :data:`TaskDue`: a task's due moment, with its time zone, within 2000..2099.

A refusal is a 422 naming the field, with a Russian message (``emulator.api.error_handlers``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from emulator.row_ids import MAX_ROW_ID, MIN_ROW_ID

NO_NUL_PATTERN = r"^[^\x00]*$"
FIRST_DUE_YEAR = 2000
LAST_DUE_YEAR = 2099
# Our own refusals: their messages are Russian already (the handler translates pydantic's others).
OWN_ERROR_TYPES = frozenset({"nul_character", "due_out_of_range", "naive_moment"})


def _without_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "недопустимый символ NUL (\\0)")
    return value


def _due_within_years(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise PydanticCustomError("naive_moment", "укажите часовой пояс срока")
    if not FIRST_DUE_YEAR <= value.year <= LAST_DUE_YEAR:
        raise PydanticCustomError(
            "due_out_of_range", f"срок — с {FIRST_DUE_YEAR} по {LAST_DUE_YEAR} год (указан {value.year})"
        )
    return value


Text = Annotated[str, AfterValidator(_without_nul), Field(json_schema_extra={"pattern": NO_NUL_PATTERN})]
RowId = Annotated[int, Field(ge=MIN_ROW_ID, le=MAX_ROW_ID)]
TaskDue = Annotated[
    dt.datetime,
    AfterValidator(_due_within_years),
    Field(description=f"с часовым поясом; с {FIRST_DUE_YEAR} по {LAST_DUE_YEAR} год"),
]
