from django.contrib.auth import views as auth_views
from django.urls import path

from frontend import permit_register, report_pages, two_factor, views
from frontend.lockout import LoginView
from frontend.permits import tracking as permit_tracking
from frontend.permits import views as permit_pages
from frontend.staff import audit, updates
from frontend.staff import views as staff
from frontend.staff.permits import views as permits

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("investors/", views.investors, name="investors-list"),
    path("m/<slug:slug>/", views.municipality_map, name="map-detail"),
    path("m/<slug:slug>/investors/", views.investors, name="investors-detail"),
    path("reports/<int:pk>/", report_pages.report_detail, name="report-detail"),
    path("reports/track/<str:code>/", report_pages.report_track, name="report-track"),
    path(
        "reports/unsubscribe/<str:token>/",
        report_pages.follow_unsubscribe,
        name="follow-unsubscribe",
    ),
    path("permits/register/", permit_register.permit_register, name="permit-register"),
    path("report/", views.report_new, name="report-new"),
    path("m/<slug:slug>/report/", views.report_new, name="report-new-in"),
    path("permits/", permit_pages.permits_list, name="permits-list"),
    path("permits/mine/", permit_pages.permits_mine, name="permits-mine"),
    path("permits/apply/<slug:kind>/", permit_pages.permit_apply, name="permit-apply"),
    path("permits/a/<str:code>/", permit_tracking.permit_track, name="permit-track"),
    path("permits/a/<str:code>/withdraw/", permit_tracking.permit_withdraw, name="permit-withdraw"),
    path(
        "permits/a/<str:code>/installation/",
        permit_tracking.permit_installation,
        name="permit-installation",
    ),
    path("login/", LoginView.as_view(), name="login"),
    path("login/code/", two_factor.login_code, name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", staff.staff_home, name="staff-home"),
    path("staff/moderation/", staff.moderation_queue, name="staff-moderation"),
    path("staff/department/", staff.department_queue, name="staff-department"),
    path("staff/tasks/", staff.my_tasks, name="staff-tasks"),
    path("staff/updates/", updates.updates_queue, name="staff-updates"),
    path("staff/updates/<int:pk>/", updates.update_decide, name="staff-update-decide"),
    path("staff/reports/<int:pk>/", staff.report_console, name="staff-report"),
    path("staff/dashboard/", staff.dashboard, name="staff-dashboard"),
    path("staff/layers/", staff.layers_page, name="staff-layers"),
    path("staff/audit/", audit.audit_log, name="staff-audit"),
    path("staff/permits/", permits.permits_queue, name="staff-permits"),
    path("staff/permits/<int:pk>/", permits.permit_console, name="staff-permit"),
    path(
        "staff/permits/<int:pk>/documents/<int:document>/",
        permits.permit_document,
        name="staff-permit-document",
    ),
    path("staff/permits/<int:pk>/<slug:action>/", permits.permit_act, name="staff-permit-act"),
    path("staff/two-factor/", two_factor.two_factor_settings, name="staff-two-factor"),
]
