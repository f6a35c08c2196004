from rest_framework.routers import DefaultRouter

from geoportal.municipalities.api.views import (
    CategoryViewSet,
    DepartmentViewSet,
    MunicipalityViewSet,
)

router = DefaultRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("departments", DepartmentViewSet, basename="department")
router.register("categories", CategoryViewSet, basename="category")

urlpatterns = router.urls
