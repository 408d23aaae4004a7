from django.urls import path

from . import stars, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("stars/", stars.stars_page, name="stars"),
]
