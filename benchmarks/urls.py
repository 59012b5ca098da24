from django.urls import path

from benchmarks.views import dfe

app_name = "benchmarks"
urlpatterns = [
    path("comparators/", dfe.index, name="index"),
    path("comparators/dfe/", dfe.dfe_import, name="dfe_import"),
    path("comparators/imports/<int:pk>/", dfe.import_detail, name="import_detail"),
]
