from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .views import AccessLogView, ActionPlanViewSet, ClientViewSet, ContactViewSet, VacancyViewSet

router = DefaultRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("contacts", ContactViewSet, basename="contact")
router.register("action-plans", ActionPlanViewSet, basename="actionplan")
router.register("vacancies", VacancyViewSet, basename="vacancy")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("access-log/", AccessLogView.as_view(), name="api-access-log"),
    path("", include(router.urls)),
]
