app_name = "attempts"

urlpatterns = []
