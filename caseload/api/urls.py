from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .matching import (
    CandidatesView,
    ReferralOutcomeView,
    ReferralsView,
    SendReferralsView,
)
from .views import (
    AccessLogView,
    ActionPlanViewSet,
    APIRootView,
    ClientViewSet,
    ContactViewSet,
    VacancyViewSet,
)

SWAGGER_UI_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"

router = DefaultRouter()
router.APIRootView = APIRootView
router.register("clients", ClientViewSet, basename="client")
router.register("contacts", ContactViewSet, basename="contact")
router.register("action-plans", ActionPlanViewSet, basename="actionplan")
router.register("vacancies", VacancyViewSet, basename="vacancy")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL: no inline script (CSP). Swagger UI
    # injects one fixed stylesheet; its hash is allowed on this page only.
    path(
        "docs/",
        csp_update({"style-src": [SWAGGER_UI_STYLE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("access-log/", AccessLogView.as_view(), name="api-access-log"),
    path(
        "vacancies/<key:vacancy_id>/candidates/",
        CandidatesView.as_view(),
        name="vacancy-candidates",
    ),
    path(
        "vacancies/<key:vacancy_id>/referrals/", ReferralsView.as_view(), name="vacancy-referrals"
    ),
    path(
        "vacancies/<key:vacancy_id>/referrals/send/",
        SendReferralsView.as_view(),
        name="vacancy-referrals-send",
    ),
    path(
        "vacancies/<key:vacancy_id>/referrals/<key:referral_id>/outcome/",
        ReferralOutcomeView.as_view(),
        name="vacancy-referral-outcome",
    ),
    path("", include(router.urls)),
]
