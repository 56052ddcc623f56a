from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from caseload import views as caseload_views

urlpatterns = [
    path("", caseload_views.home, name="home"),
    path("health/", caseload_views.health, name="health"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language can be chosen before logging in, on the login page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("caseload.urls")),
    path("", include("dashboards.urls")),
    path("", include("quality.urls")),
    path("", include("caseload.matching.urls")),
    path("api/", include("dashboards.api.urls")),
    path("api/", include("quality.api.urls")),
    path("api/", include("caseload.api.urls")),
]

handler404 = "caseload.api.views.not_found"
