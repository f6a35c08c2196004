from django.urls import path

from frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("investors/", views.investors, name="investors-list"),
    path("m/<slug:slug>/", views.municipality_map, name="map-detail"),
    path("m/<slug:slug>/investors/", views.investors, name="investors-detail"),
]
