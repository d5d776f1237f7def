"""The Russian step DSL: phrases -> calls on the CRM driver, the provider fakes and the clock."""
