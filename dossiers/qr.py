"""QR codes drawn on the server as inline SVG (segno): no image files, no external service."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, title: str | None = None) -> SafeString:
    """An <svg> element encoding `text` (e.g. the public look-up link printed on the receipt slip).

    Medium error correction survives a creased or smudged paper slip. The SVG has a viewBox and
    no fixed size, so CSS decides how large it prints. segno writes only its own markup and
    escapes the title, so the result is safe to place in a template as it is.
    """
    code = segno.make(text, error="m", micro=False)
    markup = code.svg_inline(
        border=2, dark="#000", light="#fff", title=title, svgclass="qr-code", omitsize=True
    )
    return mark_safe(markup)
