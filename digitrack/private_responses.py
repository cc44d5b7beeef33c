"""Responses to a signed-in user (pages, CSV exports, the API, downloads) are private and never
stored by a browser or proxy cache: on a shared workstation the next user could read them back."""

from django.utils.cache import patch_cache_control


class PrivateResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            # Merged into what a view set (the admin's never_cache), dropping any "public".
            patch_cache_control(response, private=True, no_store=True)
        return response
