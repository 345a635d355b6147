from django.contrib import admin

from cases.models import Case, HarmEvent, Person, Prefecture, ResidenceDocument


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department_code", "city", "tribunal_administratif"]
    search_fields = ["code", "name", "city", "department_name"]
    list_filter = ["kind"]


admin.site.register(Person)
admin.site.register(Case)
admin.site.register(ResidenceDocument)
admin.site.register(HarmEvent)
