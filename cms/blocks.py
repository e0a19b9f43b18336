"""StreamField blocks for information pages. Templates live in templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    link_text = blocks.CharBlock(label=_("Link text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an address"), required=False)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "blocks/call_to_action_block.html"

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        result = super().clean(value)
        if not result.get("page") and not result.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or give an address."))}
            )
        return result


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(
        label=_("Answer"), features=["bold", "italic", "link", "ul", "ol"]
    )


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("Questions and answers")
        template = "blocks/faq_block.html"


class ContactCardBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name or office"), max_length=120)
    role = blocks.CharBlock(label=_("Role"), required=False, max_length=120)
    email = blocks.EmailBlock(label=_("Email"), required=False)
    phone = blocks.CharBlock(label=_("Phone"), required=False, max_length=40)
    opening_hours = blocks.CharBlock(label=_("Opening hours"), required=False, max_length=120)
    address = blocks.TextBlock(label=_("Visiting address"), required=False)

    class Meta:
        icon = "user"
        label = _("Contact card")
        template = "blocks/contact_card_block.html"


class InformationStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        template="blocks/paragraph_block.html",
    )
    call_to_action = CallToActionBlock()
    faq = FAQBlock()
    contact = ContactCardBlock()
