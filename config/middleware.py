def french_first(get_response):
    """Ignore the browser's Accept-Language: the interface is French unless the user picks
    another language with the switcher (cookie). Volunteers often share laptops set up in
    another language, and a French legal vocabulary must not flip unexpectedly."""

    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
