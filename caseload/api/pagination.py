from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # a page is a number (the documented range): no "last"

    def query_parameters(self) -> list:
        # Imported here: DRF's generic views import this class while strict imports them.
        from .strict import QueryParameter, integer

        return [
            QueryParameter(
                self.page_query_param,
                integer(1),
                _("Page number, from 1; a page past the last one is a 404."),
            ),
            QueryParameter(
                self.page_size_query_param,
                integer(1, self.max_page_size),
                _("Rows per page (default %(default)s).") % {"default": self.page_size},
            ),
        ]
