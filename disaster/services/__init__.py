"""The only way to change disaster mode's rows (STYLE: every change of state goes through a service)."""

from disaster.services.centres import (
    RegistrationInput,
    VolunteerScan,
    call_up_reply,
    call_ups_due,
    centre_call_up,
    centre_day_quota_set,
    centre_open,
    centre_receive,
    centre_register,
    centre_registration_withdraw,
    insurance_in_force,
    insurance_record_on_the_spot,
    person_from_code,
)
from disaster.services.declarations import (
    disaster_declare,
    disaster_end,
    disaster_renew,
    disaster_special_measure_apply,
    disasters_record_lapses,
)
from disaster.services.dispatch import team_complete, team_member_add, teams_form, work_order_pdf
from disaster.services.households import (
    MemberInput,
    household_set,
    shelter_code_make,
)
from disaster.services.needs import NeedInput, need_post, need_triage
from disaster.services.shelters import (
    Reception,
    shelter_close,
    shelter_open,
    shelter_receive,
    stay_leave,
    stay_transfer,
)
from disaster.services.support import evacuation_support_remove, evacuation_support_set, support_register_read

__all__ = [
    "MemberInput",
    "NeedInput",
    "Reception",
    "RegistrationInput",
    "VolunteerScan",
    "call_up_reply",
    "call_ups_due",
    "centre_call_up",
    "centre_day_quota_set",
    "centre_open",
    "centre_receive",
    "centre_register",
    "centre_registration_withdraw",
    "disaster_declare",
    "disaster_end",
    "disaster_renew",
    "disaster_special_measure_apply",
    "disasters_record_lapses",
    "evacuation_support_remove",
    "evacuation_support_set",
    "household_set",
    "insurance_in_force",
    "insurance_record_on_the_spot",
    "need_post",
    "need_triage",
    "person_from_code",
    "shelter_close",
    "shelter_code_make",
    "shelter_open",
    "shelter_receive",
    "stay_leave",
    "stay_transfer",
    "support_register_read",
    "team_complete",
    "team_member_add",
    "teams_form",
    "work_order_pdf",
]
