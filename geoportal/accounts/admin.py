from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Municipality"), {"fields": ("municipality",)}),
    )
    list_display = ("username", "email", "municipality", "is_staff", "is_active")
    list_filter = ("municipality", "groups", "is_staff", "is_active")
