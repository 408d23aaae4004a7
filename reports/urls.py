from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("services/", views.services, name="services"),
    path("returns/", views.returns, name="returns"),
]
