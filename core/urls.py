from django.urls import path

from . import views

urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("feedback/", views.feedback, name="feedback"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("session/extend/", views.session_extend, name="session_extend"),
]
