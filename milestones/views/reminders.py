"""Each signed-in person's reminder settings: which kinds of email they get and, for programme
staff, the regions and ICBs whose weekly digest they follow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from trusts.selectors import user_sees_all_trusts

from ..forms import ReminderSettingsForm
from ..reminders import CIO_KINDS, ReminderKind
from ..selectors.reminders import reminder_settings_for
from ..services.reminders import reminder_settings_save


@login_required
def reminder_settings(request):
    """Any signed-in person, for their own settings only (there is no id to reach anyone else's)."""
    current = reminder_settings_for(request.user)
    can_follow = user_sees_all_trusts(request.user)
    kinds = [*(CIO_KINDS if request.user.cio_trusts.exists() else ()), *([ReminderKind.DIGEST] if can_follow else [])]
    initial = {"kinds": [kind.value for kind in kinds if kind not in current.opted_out]}
    if can_follow and current.pk:
        initial |= {
            "regions": list(current.regions.values_list("code", flat=True)),
            "icbs": list(current.icbs.values_list("code", flat=True)),
        }
    # Every box unticked posts nothing at all: still a choice to save.
    data = request.POST if request.method == "POST" else None
    form = ReminderSettingsForm(data, initial=initial, kinds=kinds, can_follow=can_follow)
    if request.method == "POST" and form.is_valid():
        reminder_settings_save(
            user=request.user,
            shown=[kind.value for kind in kinds],
            wanted=form.cleaned_data["kinds"],
            region_codes=form.cleaned_data.get("regions") if can_follow else None,
            icb_codes=form.cleaned_data.get("icbs") if can_follow else None,
        )
        messages.success(request, "Your reminder settings are saved.")
        return redirect("milestones:reminder_settings")
    return render(request, "milestones/reminder_settings.jinja", {"form": form, "kinds": kinds})
