"""The checked URLs of report photos (no language prefix: the same file in every language)."""

from django.urls import path

from geoportal.reports.photo_serving import views

app_name = "photos"

urlpatterns = [
    path("<int:pk>/photo.jpg", views.photo_image, name="photo-image"),
    path("<int:pk>/thumbnail.jpg", views.photo_thumbnail, name="photo-thumbnail"),
]
