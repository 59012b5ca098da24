from django.urls import path

from benchmarks.views import area, dfe, neighbours

app_name = "benchmarks"
urlpatterns = [
    path("comparators/", dfe.index, name="index"),
    path("comparators/dfe/", dfe.dfe_import, name="dfe_import"),
    path("comparators/imports/<int:pk>/", dfe.import_detail, name="import_detail"),
    path("comparators/imports/<int:pk>/status/", dfe.import_status, name="import_status"),
    path("comparators/neighbours/", neighbours.neighbours_import, name="neighbours_import"),
    path("comparators/group/", area.comparator_group, name="comparator_group"),
    path("comparators/area/", area.own_area, name="own_area"),
]
