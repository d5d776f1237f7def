"""Russian labels of the editor's options and fields, exactly as the task shows them."""

from __future__ import annotations

from emulator.model_enums import DelayUnit, RecipientRule, Timing
from emulator.providers.registry import ADAPTERS

ACTION_WHATSAPP = "whatsapp_message"
ACTION_LABELS: dict[str, str] = {ACTION_WHATSAPP: "Отправить сообщение в WhatsApp"}

TIMING_LABELS: dict[str, str] = {Timing.IMMEDIATE: "Сразу", Timing.DELAYED: "С задержкой"}

DELAY_UNIT_LABELS: dict[str, str] = {
    DelayUnit.MINUTES: "минуты",
    DelayUnit.HOURS: "часы",
    DelayUnit.DAYS: "дни",
}
DELAY_UNIT_MINUTES: dict[str, int] = {DelayUnit.MINUTES: 1, DelayUnit.HOURS: 60, DelayUnit.DAYS: 1440}
MAX_DELAY_MINUTES = 525_600

CHECK_STAGE_LABELS: dict[bool, str] = {True: "Да", False: "Нет"}

RECIPIENT_RULE_LABELS: dict[str, str] = {
    RecipientRule.ALL_CONTACTS_ALL_NUMBERS: "На все контакты и номера",
    RecipientRule.PRIMARY_ALL_NUMBERS: "На основной контакт, все номера",
    RecipientRule.PRIMARY_FIRST_NUMBER: "На основной контакт, первый номер",
    RecipientRule.ALL_CONTACTS_FIRST_NUMBER: "На все контакты, первый номер",
}

# The providers the business processes send through, and the editor's label of each (their adapters say).
MESSAGING_PROVIDERS: tuple[str, ...] = tuple(ADAPTERS)
PROVIDER_LABELS: dict[str, str] = {name: cls.label for name, cls in ADAPTERS.items()}

# The editor's fields, in the editor's order: API name -> label.
FIELD_LABELS: dict[str, str] = {
    "action": "Выберите действие",
    "timing": "Когда выполнить действие",
    "delay_value": "Задержка",
    "delay_unit": "Единица задержки",
    "check_stage": "Проверить, находится ли сделка на выбранном этапе",
    "provider": "Выберите сервис",
    "channel_id": "Выберите название канала",
    "recipient_rule": "Выберите на какие контакты отправлять сообщение",
    "text": "Введите текст сообщения",
    "file_ids": "Добавить файлы",
    "stage_id": "Этап",
}

TIMELINE_BP_TITLE = "Отправка сообщения в WhatsApp из бизнес процесса"

MESSAGE_STATUS_LABELS: dict[str, str] = {
    "pending": "В очереди",
    "sending": "Отправляется",
    "retrying": "Повторная отправка",
    "sent": "Отправлено",
    "delivered": "Доставлено",
    "read": "Прочитано",
    "error": "Ошибка",
}
NOT_SENT_LABEL = "Не отправлено"
CANCELLED_LABEL = "Отменено"

NOT_SELECTED = "Не выбрано"
