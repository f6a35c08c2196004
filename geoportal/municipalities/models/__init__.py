from geoportal.municipalities.models.category import Category
from geoportal.municipalities.models.department import Department, DepartmentMembership
from geoportal.municipalities.models.municipality import Municipality
from geoportal.municipalities.models.non_working_day import NonWorkingDay
from geoportal.municipalities.models.response_template import ResponseTemplate
from geoportal.municipalities.models.routing import RoutingRule

__all__ = [
    "Category",
    "Department",
    "DepartmentMembership",
    "Municipality",
    "NonWorkingDay",
    "ResponseTemplate",
    "RoutingRule",
]
