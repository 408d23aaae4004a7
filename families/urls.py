from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<str:reference>/", views.family_detail, name="detail"),
]
