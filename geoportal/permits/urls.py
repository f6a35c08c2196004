"""The permits' public data outside the API and the pages: the public map's layer of
applications under review (/permits/under-review.geojson, no language prefix)."""

from django.urls import path

from geoportal.permits import views

app_name = "permits"

urlpatterns = [
    path("under-review.geojson", views.under_review_geojson, name="under-review"),
]
