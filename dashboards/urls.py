from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.coach_dashboard, name="coach_dashboard"),
]
