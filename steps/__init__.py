"""The Russian step DSL: phrases -> calls on the CRM driver, the provider fakes and the clock."""

# Every step module, registered as a pytest plugin by conftest.py and read by tooling.step_catalogue.
STEP_MODULES: tuple[str, ...] = (
    "steps.context",
    "steps.deal_steps",
    "steps.integration_steps",
    "steps.process_steps",
    "steps.time_steps",
    "steps.provider_steps",
    "steps.outcome_steps",
    "steps.stage_steps",
    "steps.availability_steps",
    "steps.run_steps",
    "steps.journal_steps",
    "steps.timeline_steps",
    "steps.webhook_steps",
    "steps.editor_steps",
    "steps.access_steps",
    "steps.crm_process_steps",
    "steps.provider_pace_steps",
)
