from django.urls import path

from governance import views

app_name = "governance"
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/forward-plan/", views.forward_plan_view, name="forward_plan"),
    path("meetings/forward-plan/draw/", views.forward_plan_draw_view, name="forward_plan_draw"),
    path("meetings/forward-plan/new/", views.plan_item_new, name="plan_item_new"),
    path(
        "meetings/forward-plan/<uuid:item_uuid>/edit/", views.plan_item_edit, name="plan_item_edit"
    ),
    path(
        "meetings/forward-plan/<uuid:item_uuid>/remove/",
        views.plan_item_remove,
        name="plan_item_remove",
    ),
    path("meetings/<uuid:meeting_uuid>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:meeting_uuid>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:meeting_uuid>/papers/add/", views.paper_add, name="paper_add"),
    path("meetings/<uuid:meeting_uuid>/record/", views.decision_new, name="decision_new"),
]
