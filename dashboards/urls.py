from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.coach_dashboard, name="coach_dashboard"),
    path("saved-views/", views.saved_view_save, name="saved_view_save"),
    path("saved-views/<int:pk>/", views.saved_view_open, name="saved_view_open"),
    path("saved-views/<int:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
]
