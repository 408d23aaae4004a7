from django.urls import path

from . import calculator_views, case_study_views, stars, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("services/", views.services, name="services"),
    path("returns/", views.returns, name="returns"),
    path("projections/", calculator_views.projections, name="projections"),
    path("cost-savings/", calculator_views.cost_savings_page, name="cost_savings"),
    path(
        "families/<str:reference>/case-study/",
        case_study_views.family_case_study,
        name="case_study",
    ),
    path("stars/", stars.stars_page, name="stars"),
]
