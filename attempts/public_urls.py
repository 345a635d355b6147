app_name = "selfreport"

urlpatterns = []
