"""The demo state ``python -m mocks --demo`` starts with: the provider accounts the CRM's demo data uses.

The keys, numbers and channel ids come from ``emulator.demo_accounts``, so the channels the CRM's
demo integrations hold are the very channels these fakes know.
"""

from __future__ import annotations

from emulator import demo_accounts
from mocks.interface import FakeProviders

DEMO_WAZZUP_KEY = demo_accounts.WAZZUP_API_KEY
DEMO_I2CRM_TOKEN = demo_accounts.I2CRM_TOKEN
DEMO_DEFAULT_KEY = demo_accounts.DEFAULT_API_KEY
DEMO_WAZZUP_PHONE = "+7(937)000-00-01"
DEMO_I2CRM_PHONE = "+7(937)000-00-02"
DEMO_DEFAULT_PHONE = "+7(937)000-00-03"
DEMO_DEFAULT_INACTIVE_PHONE = "+7(937)000-00-04"


def seed_demo(fakes: FakeProviders) -> None:
    """Keys and channels of the demo (in-process or remote fakes alike); expects empty fakes."""
    accounts = (
        (fakes.wazzup, DEMO_WAZZUP_KEY, demo_accounts.WAZZUP_CHANNELS),
        (fakes.i2crm, DEMO_I2CRM_TOKEN, demo_accounts.I2CRM_CHANNELS),
        (fakes.default, DEMO_DEFAULT_KEY, demo_accounts.DEFAULT_CHANNELS),
    )
    for fake, key, channels in accounts:
        fake.add_api_key(key)
        for channel in channels:
            fake.add_channel(
                channel.phone,
                channel.state,
                name=channel.name or channel.phone,
                channel_id=channel.fake_id,
                key=channel.send_key,
            )
