"""URL converters for organisation codes. A code that cannot be one (a NUL byte, punctuation,
the wrong length) answers 404 at the URL and never reaches a query."""

from django.urls import register_converter


class OdsCodeConverter:
    """An ODS organisation code: 3 to 5 letters and digits (RJ1, G6V2S), in either case."""

    regex = "[A-Za-z0-9]{3,5}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RegionCodeConverter(OdsCodeConverter):
    """An NHS England region code: 3 letters and digits (Y56)."""

    regex = "[A-Za-z0-9]{3}"


register_converter(OdsCodeConverter, "ods")
register_converter(RegionCodeConverter, "region")
