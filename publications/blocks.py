from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class KeyPointsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text=_("Leave empty for “Key points”, in the page's language."),
    )
    points = blocks.ListBlock(blocks.CharBlock(max_length=400), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "components/streamfield/key_points_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "components/streamfield/quote_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "components/streamfield/figure_block.html"


class AnalysisBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=200, form_classname="title", template="components/streamfield/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    key_points = KeyPointsBlock()
    quote = QuoteBlock()
    figure = FigureBlock()
