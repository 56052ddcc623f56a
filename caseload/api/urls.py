from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from caseload.matching.api import CandidatesView, ReferralsView, SendReferralsView

from .views import ActionPlanViewSet, ClientViewSet, ContactViewSet, VacancyViewSet

router = DefaultRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("contacts", ContactViewSet, basename="contact")
router.register("action-plans", ActionPlanViewSet, basename="actionplan")
router.register("vacancies", VacancyViewSet, basename="vacancy")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("vacancies/<str:vacancy_id>/candidates/", CandidatesView.as_view(), name="vacancy-candidates"),
    path("vacancies/<str:vacancy_id>/referrals/", ReferralsView.as_view(), name="vacancy-referrals"),
    path("vacancies/<str:vacancy_id>/referrals/send/", SendReferralsView.as_view(), name="vacancy-referrals-send"),
    path("", include(router.urls)),
]
