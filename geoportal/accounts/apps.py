from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "geoportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from geoportal.accounts.roles import sync_role_groups

        # After every migrate, when Django has created the permissions the roles refer to.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
