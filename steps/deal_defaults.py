"""The client a scenario's deal has unless the scenario says otherwise."""

CLIENT = "Иван Клиентов"
DEFAULT_PHONE = "+7(999)888-55-22"
