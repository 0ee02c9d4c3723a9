import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangji.settings")
application = get_wsgi_application()
# Load every app's pages now, while gunicorn starts the worker, instead of in the first
# request it serves: the URLconf imports every view module (about a second), which a user
# opening the indicator page of a fresh worker would otherwise wait for.
get_resolver().url_patterns  # noqa: B018
