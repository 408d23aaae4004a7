from django.urls import path

from . import views

app_name = "claims"

urlpatterns: list = [
    path("", views.dashboard, name="dashboard"),
    path("batches/new/", views.batch_new, name="batch_new"),
    path("batches/<str:reference>/", views.batch_detail, name="batch_detail"),
    path("batches/<str:reference>/add/", views.claim_add, name="claim_add"),
    path(
        "batches/<str:reference>/claims/<int:pk>/remove/", views.claim_remove, name="claim_remove"
    ),
    path("batches/<str:reference>/sample/", views.batch_sample, name="batch_sample"),
    path("batches/<str:reference>/payment/", views.batch_payment, name="batch_payment"),
    path("batches/<str:reference>/return.csv", views.batch_return_csv, name="batch_return_csv"),
    path("batches/<str:reference>/return.xlsx", views.batch_return_xlsx, name="batch_return_xlsx"),
    path(
        "batches/<str:reference>/evidence-pack.pdf",
        views.batch_evidence_pack,
        name="batch_evidence_pack",
    ),
    path("batches/<str:reference>/<slug:action>/", views.batch_action, name="batch_action"),
    path("audit/", views.audit_queue, name="audit_queue"),
    path("claims/<int:pk>/", views.claim_evidence, name="claim_evidence"),
]
