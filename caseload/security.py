"""Session hygiene: login time for the 12-hour limit, a session→user index, and
ending every session of a deactivated account. Connected in CaseloadConfig.ready().

Login successes and failures are logged by django-axes (axes.models.AccessLog and
AccessFailureLog, with username, address and time); lockout is per username + address.
"""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User, UserSession

LOGIN_AT_SESSION_KEY = "caseload_login_at"


@receiver(user_logged_in, dispatch_uid="caseload_session_login")
def remember_login(sender, request, user, **kwargs):
    # Django has already rotated the session key (login() calls cycle_key()).
    request.session[LOGIN_AT_SESSION_KEY] = time.time()
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )


@receiver(user_logged_out, dispatch_uid="caseload_session_logout")
def forget_session(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def end_all_sessions(user) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@receiver(post_save, sender=User, dispatch_uid="caseload_end_sessions_of_inactive")
def end_sessions_when_deactivated(sender, instance, **kwargs):
    if not instance.is_active:
        end_all_sessions(instance)
