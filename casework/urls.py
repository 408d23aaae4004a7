from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("families/<str:reference>/assessment/", views.assessment_edit, name="assessment"),
    path("families/<str:reference>/goals/add/", views.goal_add, name="goal_add"),
    path(
        "families/<str:reference>/goals/<int:goal_pk>/actions/add/",
        views.action_add,
        name="action_add",
    ),
    path("families/<str:reference>/actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("families/<str:reference>/review-date/", views.review_date, name="review_date"),
    path("families/<str:reference>/reviews/add/", views.review_add, name="review_add"),
    path(
        "families/<str:reference>/stars/<int:definition_pk>/add/",
        views.star_reading_add,
        name="star_reading_add",
    ),
]
