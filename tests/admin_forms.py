"""Posting Wagtail's page editor as a browser does: the fields of the form the admin rendered
(inputs, selects, textareas, the inline panels' management forms), with some values changed.
So the tests do not repeat each page model's fields, and keep working when a model gains one."""

from html.parser import HTMLParser

from wagtail.fields import StreamField

EDIT_FORM_ID = "page-edit-form"


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.depth = 0  # >0 while inside the form
        self.in_template = 0
        self.data = {}
        self.textarea = None
        self.select = None

    def _add(self, name, value):
        if not name or "__prefix__" in name or self.in_template:
            return
        self.data.setdefault(name, [])
        self.data[name].append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.depth or attrs.get("id") == self.form_id:
                self.depth += 1
            return
        if not self.depth:
            return
        if tag == "template":
            self.in_template += 1
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(attrs.get("name"), attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self._add(self.select, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "form":
            self.depth -= 1
        elif tag == "template":
            self.in_template -= 1
        elif tag == "textarea" and self.textarea:
            self._add(*self.textarea)
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def form_data(html, form_id=EDIT_FORM_ID):
    """The data the form ``form_id`` of ``html`` would post, as a dict (a list for a name that
    has several values)."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}


def editor_data(response, model, **changes):
    """The page editor's data from a GET of the add/edit (or revert) view, with ``changes``.
    StreamFields are drawn by JavaScript: an empty one is posted as a browser would post it."""
    data = form_data(response.content.decode())
    for field in model._meta.get_fields():
        if isinstance(field, StreamField) and f"{field.name}-count" not in data:
            data[f"{field.name}-count"] = "0"
            data.pop(field.name, None)
    data.update(changes)
    return data
