app_name = "litigation"

urlpatterns = []
