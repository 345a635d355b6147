from django.contrib import admin

from litigation import services
from litigation.forms import POLICY_FIELDS
from litigation.models import DefenderReferral, GeneratedDocument, LitigationAction, ReadinessPolicy


@admin.register(ReadinessPolicy)
class ReadinessPolicyAdmin(admin.ModelAdmin):
    """Saving a policy in the admin creates a new version (the edited row is never changed)."""

    list_display = ["version", "organisation", "is_current", "created_at", "created_by", "change_note"]
    list_filter = ["is_current", "organisation"]
    fields = ["organisation", "change_note", *POLICY_FIELDS]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        organisation = obj.organisation
        if organisation is None:
            # The shared default: a new row replaces the current default.
            previous = ReadinessPolicy.objects.filter(organisation__isnull=True, is_current=True).first()
            if previous:
                previous.is_current = False
                previous.save(update_fields=["is_current"])
            top = ReadinessPolicy.objects.order_by("-version").values_list("version", flat=True).first() or 0
            obj.pk = None
            obj.version = top + 1
            obj.is_current = True
            obj.created_by = request.user
            obj.save()
            return
        based_on = ReadinessPolicy.objects.current_for(organisation.pk)
        data = {name: form.cleaned_data[name] for name in POLICY_FIELDS}
        new = services.policy_update(
            organisation=organisation,
            based_on=based_on,
            data=data,
            change_note=obj.change_note,
            user=request.user,
            request=request,
        )
        obj.pk = new.pk


@admin.register(LitigationAction)
class LitigationActionAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "court", "filed_on", "order_on", "outcome", "executed_on"]
    list_filter = ["kind", "outcome"]
    raw_id_fields = ["case"]


@admin.register(DefenderReferral)
class DefenderReferralAdmin(admin.ModelAdmin):
    list_display = ["case", "channel", "sent_on", "outcome"]
    raw_id_fields = ["case"]


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "status", "created_at", "created_by", "sha256"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["case"]
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields]
