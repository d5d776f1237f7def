"""The CRM's wording the suite expects, in one place: a CRM that words things otherwise needs one change here.

Every Russian text a step compares against (titles, prefixes, buttons, editor labels and defaults) is
spelled here as the task (``docs/TASK.txt``, a copy of the task) shows it. The feature files hold
only what a scenario itself is about (a status reason, a message text); the steps add the rest from here.
"""

from __future__ import annotations

# -- the deal's log «Детально» ------------------------------------------------------------------------
BP_TITLE = "Отправка сообщения в WhatsApp из бизнес процесса"
STATUS_PREFIX = "Статус: "
SENT = "Отправлено"
STAGE_CHANGE = "Смена этапа с {old} на {new}"
NO_AUTHOR = "—"

# -- the integrations page «СОЦ. СЕТИ И МЕССЕНДЖЕРЫ» -----------------------------------------------------
CONNECT = "ПОДКЛЮЧИТЬ"
CONFIGURE = "НАСТРОИТЬ"
DISCONNECT = "ОТКЛЮЧИТЬ"
CONNECTED_ACTIONS = [CONFIGURE, DISCONNECT]
DISCONNECTED_ACTIONS = [CONNECT]

# -- the editor «Настройки бизнес-процесса»: its labels, in its order ----------------------------------
ACTION = "Выберите действие"
TIMING = "Когда выполнить действие"
DELAY = "Задержка"
UNIT = "Единица задержки"
STAGE_CHECK = "Проверить, находится ли сделка на выбранном этапе"
SERVICE = "Выберите сервис"
CHANNEL = "Выберите название канала"
RECIPIENTS = "Выберите на какие контакты отправлять сообщение"
TEXT = "Введите текст сообщения"
FILES = "Добавить файлы"

# -- the editor's options and defaults ---------------------------------------------------------------
WHATSAPP_ACTION = "Отправить сообщение в WhatsApp"
IMMEDIATELY = "Сразу"
DELAYED = "С задержкой"
YES = "Да"
NO = "Нет"
ALL_CONTACTS_ALL_NUMBERS = "На все контакты и номера"
DELAY_UNITS = {"минуты": ("минута", "минуты", "минут", "минуту"), "часы": ("час", "часа", "часов"),
               "дни": ("день", "дня", "дней")}  # fmt: skip
UNAVAILABLE_MARK = "(недоступен)"

# -- the client a scenario's deal has unless it says otherwise ---------------------------------------
CLIENT = "Иван Клиентов"
CLIENT_PHONE = "+7(999)888-55-22"
ADMIN = "Ксения Администратор"
MANAGER = "Иван Менеджер"
ADMIN_LOGIN = ("admin", "admin")
FORBIDDEN = "Недостаточно прав: доступно только администратору"
