from django.urls import path

from geoportal.residents import feeds, updates, views

app_name = "residents"

urlpatterns = [
    path("residents/sign-in/", views.signin_page, name="signin"),
    path("residents/sign-in/<str:token>/", views.link_page, name="link"),
    path("residents/reports/", views.my_reports, name="reports"),
    path("residents/account/delete/", views.account_delete, name="account-delete"),
    path("residents/alerts/", views.alerts_page, name="alerts"),
    path("residents/alerts/<int:pk>/delete/", views.alert_delete, name="alert-delete"),
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert-unsubscribe"),
    path("reports/<int:pk>/updates/", updates.add_update, name="report-update"),
    path("feeds/reports/", feeds.AreaFeed(), name="feed-area"),
    path("feeds/m/<slug:slug>/", feeds.HromadaFeed(), name="feed-hromada"),
    path("feeds/m/<slug:slug>/categories/<slug:code>/", feeds.CategoryFeed(), name="feed-category"),
]
