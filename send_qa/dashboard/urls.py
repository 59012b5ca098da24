from django.urls import path

from send_qa.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.home, name="home")]
