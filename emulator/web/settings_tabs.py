"""The two tab rows of the settings, exactly as the task shows them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    href: str


SETTINGS_TABS: tuple[Tab, ...] = (
    Tab("general", "ОБЩИЕ", "/settings"),
    Tab("client", "КЛИЕНТ", "/settings/client"),
    Tab("deal", "СДЕЛКА", "/settings/deal"),
    Tab("payment", "ОПЛАТА", "/settings/payment"),
    Tab("staff", "СОТРУДНИКИ", "/settings/staff"),
    Tab("integrations", "ИНТЕГРАЦИЯ", "/settings/integrations/messengers"),
    Tab("business-processes", "БИЗНЕС-ПРОЦЕССЫ", "/settings/business-processes"),
    Tab("import", "ИМПОРТ", "/settings/import"),
    Tab("security", "БЕЗОПАСНОСТЬ", "/settings/security"),
)

INTEGRATION_TABS: tuple[Tab, ...] = (
    Tab("telephony", "ТЕЛЕФОННАЯ", "/settings/integrations/telephony"),
    Tab("mail", "ПОЧТА", "/settings/integrations/mail"),
    Tab("messengers", "СОЦ. СЕТИ И МЕССЕНДЖЕРЫ", "/settings/integrations/messengers"),
    Tab("mailings", "ПОЧТОВЫЕ РАССЫЛКИ", "/settings/integrations/mailings"),
    Tab("sms", "SMS РАССЫЛКИ", "/settings/integrations/sms"),
    Tab("services", "СЕРВИСЫ", "/settings/integrations/services"),
    Tab("cloud", "ОБЛАЧНОЕ ХРАНИЛИЩЕ", "/settings/integrations/cloud"),
    Tab("api", "API", "/settings/integrations/api"),
    Tab("webhook", "WEBHOOK", "/settings/integrations/webhook"),
    Tab("extensions", "РАСШИРЕНИЯ", "/settings/integrations/extensions"),
)

SETTINGS_TABS_BY_KEY = {t.key: t for t in SETTINGS_TABS}
INTEGRATION_TABS_BY_KEY = {t.key: t for t in INTEGRATION_TABS}
