from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from digitrack import health
from digitrack.forms import SignInForm

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.jinja", authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("dashboards.urls")),
    path("", include("milestones.urls")),
]

# Plain NHS error pages; a lost database connection answers 503 (digitrack/errors.py).
handler400 = "digitrack.errors.bad_request"
handler403 = "digitrack.errors.permission_denied"
handler404 = "digitrack.errors.page_not_found"
handler500 = "digitrack.errors.server_error"
