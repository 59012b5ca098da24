"""Object permissions (django-guardian) that never outlive their objects.

Guardian stores an object's id as text with no foreign key, so deleting a record would leave
its permission rows behind, ready to apply to a new record that happens to reuse the id.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import post_delete
from guardian.models import GroupObjectPermission, UserObjectPermission


def object_permissions_remove(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    where = {
        "content_type": ContentType.objects.get_for_model(sender),
        "object_pk": str(instance.pk),
    }
    UserObjectPermission.objects.filter(**where).delete()
    GroupObjectPermission.objects.filter(**where).delete()


def remove_permissions_on_delete(model: type[Model]) -> None:
    """Delete a model's object permissions whenever one of its records is deleted (cascades
    included: Django sends post_delete for every record a cascade deletes)."""
    post_delete.connect(
        object_permissions_remove, sender=model, dispatch_uid=f"object-permissions-{model._meta}"
    )
