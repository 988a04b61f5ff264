"""OAI-PMH 2.0 at ``/oai/``: the analyses, in each of their languages, as simple Dublin Core
(``oai_dc``), for the repositories and indexes that harvest research output.

What it answers is what ``publications.harvest`` has stored: the records of the analyses that are
public now, and deleted records for those that were public once (``deletedRecord`` is
``persistent``). The six verbs, GET or POST; ``from``/``until`` at day or second granularity, in
UTC; sets by theme, region (with its parts), centre (with its programmes) and type; lists of
``OAI_PAGE_SIZE`` records with resumption tokens. A token is signed and holds where the list
stopped (the last record's id), so a harvest goes on where it was, whatever changes meanwhile: a
record that changes during a harvest is given again in the next one, with its new datestamp.
Each list answer costs the same few queries whatever its length (the records, their sets, the
size of the list).

Identifiers are ``oai:<repository identifier>:<page id>`` (``publications.harvest``): a language
version is a record of its own, as it has its own ISBN and DOI.
"""

import datetime
import re
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.core import signing
from django.db.models import Max, Min, Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale, Page

from publications.harvest import (
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    Vocabulary,
    repository_identifier,
    xml_text,
)
from publications.models import HarvestRecord, HarvestRecordSet
from publications.site_origin import site_root_url

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
METADATA_PREFIX = "oai_dc"
TOKEN_SALT = "publications.oai.resumption"
# The repository identifier of an oai-identifier (oai-identifier.xsd): a domain name.
DOMAIN_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
# What the schema allows as a metadata prefix and as a set spec.
PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")

# verb: (required arguments, optional arguments); a resumption token goes alone.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def page_size():
    return int(getattr(settings, "OAI_PAGE_SIZE", 100))


def base_url():
    return f"{site_root_url()}/oai/"


def utc(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def oai_identifier(page_id):
    return f"oai:{repository_identifier()}:{page_id}"


def page_id_of(identifier):
    """The page id an identifier of this repository names; idDoesNotExist for anything else."""
    prefix = f"oai:{repository_identifier()}:"
    rest = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    if not rest.isdigit() or len(rest) > 18:
        raise OAIError("idDoesNotExist", _("No record has this identifier."))
    return int(rest)


# --- Arguments ----------------------------------------------------------------------------------


def read_arguments(request):
    """(verb, {argument: value}) of a GET or POST request, or an OAIError."""
    query = request.POST if request.method == "POST" else request.GET
    verbs = query.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", _("The verb is missing, repeated or not an OAI-PMH verb."))
    verb = verbs[0]
    arguments = {}
    for name, values in query.lists():
        if name == "verb":
            continue
        if len(values) != 1:
            raise OAIError("badArgument", _("The argument %(name)s is repeated.") % {"name": name})
        arguments[name] = values[0]
    required, optional = VERBS[verb]
    if not PREFIX.match(arguments.get("metadataPrefix", "oai_dc")):
        raise OAIError("badArgument", _("This is not a metadata prefix."))
    if not SET_SPEC.match(arguments.get("set", "theme")):
        raise OAIError("badArgument", _("This is not a set spec."))
    if "resumptionToken" in arguments:
        if verb not in RESUMABLE:
            raise OAIError("badArgument", _("This verb takes no resumption token."))
        if len(arguments) > 1:
            raise OAIError("badArgument", _("A resumption token is the only argument allowed."))
        return verb, arguments
    unknown = set(arguments) - required - optional
    if unknown:
        raise OAIError(
            "badArgument",
            _("Arguments not allowed with %(verb)s: %(names)s.")
            % {"verb": verb, "names": ", ".join(sorted(unknown))},
        )
    missing = required - set(arguments)
    if missing:
        raise OAIError(
            "badArgument",
            _("Arguments missing for %(verb)s: %(names)s.")
            % {"verb": verb, "names": ", ".join(sorted(missing))},
        )
    return verb, arguments


def parse_datestamp(value, end=False):
    """(the instant, "day" or "second") of a ``from`` (``end=False``) or ``until`` argument: a
    day covers all of it; a second, all of that second."""
    try:
        if len(value) == 10:
            day = datetime.date.fromisoformat(value)
            start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
            return (start + datetime.timedelta(days=1) if end else start), "day"
        if len(value) == 20 and value.endswith("Z") and value[10] == "T":
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.UTC
            )
            return (moment + datetime.timedelta(seconds=1) if end else moment), "second"
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        _("%(value)s is not a date in the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")
        % {"value": value},
    )


def check_prefix(prefix):
    if prefix != METADATA_PREFIX:
        raise OAIError(
            "cannotDisseminateFormat",
            _("The only metadata format is oai_dc, not %(prefix)s.") % {"prefix": prefix},
        )


# --- Selecting records --------------------------------------------------------------------------


def list_query(arguments):
    """The records a ListIdentifiers or ListRecords request selects (unpaged)."""
    check_prefix(arguments["metadataPrefix"])
    records = HarvestRecord.objects.all()
    granularities = set()
    if "from" in arguments:
        start, granularity = parse_datestamp(arguments["from"])
        granularities.add(granularity)
        records = records.filter(datestamp__gte=start)
    if "until" in arguments:
        end, granularity = parse_datestamp(arguments["until"], end=True)
        granularities.add(granularity)
        records = records.filter(datestamp__lt=end)
    if len(granularities) > 1:
        raise OAIError("badArgument", _("from and until must have the same granularity."))
    if "from" in arguments and "until" in arguments and start >= end:
        raise OAIError("badArgument", _("from is later than until."))
    if "set" in arguments:
        records = records.filter(sets__spec=arguments["set"])
    return records


def records_page(records, after, with_metadata):
    """One page of records after the record id ``after``, their sets read in one query; and
    whether more follow."""
    fields = ["pk", "page_id", "datestamp", "deleted"] + (["metadata"] if with_metadata else [])
    rows = list(
        records.filter(pk__gt=after)
        .only(*fields)
        .prefetch_related(Prefetch("sets", queryset=HarvestRecordSet.objects.order_by("spec")))
        .order_by("pk")[: page_size() + 1]
    )
    return rows[: page_size()], len(rows) > page_size()


def make_token(verb, arguments, after, cursor):
    return signing.dumps(
        {"verb": verb, "args": arguments, "after": after, "cursor": cursor}, salt=TOKEN_SALT
    )


def read_token(verb, token):
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        if data["verb"] != verb:
            raise ValueError
        return data["args"], int(data["after"]), int(data["cursor"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise OAIError(
            "badResumptionToken", _("The resumption token is invalid or has expired.")
        ) from exc


# --- Writing answers ----------------------------------------------------------------------------


def header(record):
    status = ' status="deleted"' if record.deleted else ""
    specs = "".join(f"<setSpec>{xml_text(s.spec)}</setSpec>" for s in record.sets.all())
    return (
        f"<header{status}><identifier>{xml_text(oai_identifier(record.page_id))}</identifier>"
        f"<datestamp>{utc(record.datestamp)}</datestamp>{specs}</header>"
    )


def record_xml(record):
    if record.deleted:
        return f"<record>{header(record)}</record>"
    return f"<record>{header(record)}<metadata>{record.metadata}</metadata></record>"


def token_xml(token, size, cursor):
    return (
        f'<resumptionToken completeListSize="{size}" cursor="{cursor}">'
        f"{xml_text(token)}</resumptionToken>"
    )


def identify():
    bounds = HarvestRecord.objects.aggregate(earliest=Min("datestamp"), latest=Max("datestamp"))
    earliest = bounds["earliest"] or timezone.now()
    repository = repository_identifier()
    description = ""
    if DOMAIN_NAME.match(repository):
        description = (
            f'<description><oai-identifier xmlns="{OAI_IDENTIFIER_NS}" '
            f'xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{OAI_IDENTIFIER_NS} '
            f'{OAI_IDENTIFIER_SCHEMA}"><scheme>oai</scheme>'
            f"<repositoryIdentifier>{xml_text(repository)}</repositoryIdentifier>"
            "<delimiter>:</delimiter>"
            f"<sampleIdentifier>{xml_text(oai_identifier(1))}</sampleIdentifier>"
            "</oai-identifier></description>"
        )
    return (
        "<Identify>"
        f"<repositoryName>{xml_text(settings.WAGTAIL_SITE_NAME)}</repositoryName>"
        f"<baseURL>{xml_text(base_url())}</baseURL>"
        "<protocolVersion>2.0</protocolVersion>"
        f"<adminEmail>{xml_text(settings.OAI_ADMIN_EMAIL)}</adminEmail>"
        f"<earliestDatestamp>{utc(earliest)}</earliestDatestamp>"
        "<deletedRecord>persistent</deletedRecord>"
        f"<granularity>{GRANULARITY}</granularity>"
        f"{description}</Identify>"
    )


def list_metadata_formats(arguments):
    if "identifier" in arguments:
        page_id = page_id_of(arguments["identifier"])
        if not HarvestRecord.objects.filter(page_id=page_id).exists():
            raise OAIError("idDoesNotExist", _("No record has this identifier."))
    return (
        "<ListMetadataFormats><metadataFormat>"
        f"<metadataPrefix>{METADATA_PREFIX}</metadataPrefix>"
        f"<schema>{OAI_DC_SCHEMA}</schema>"
        f"<metadataNamespace>{OAI_DC_NS}</metadataNamespace>"
        "</metadataFormat></ListMetadataFormats>"
    )


def set_names():
    """{setSpec: setName} of every set some record is in, in the site's default language."""
    specs = sorted(set(HarvestRecordSet.objects.values_list("spec", flat=True).distinct()))
    last = {spec: spec.rsplit(":", 1)[-1] for spec in specs if ":" in spec}
    vocabulary = Vocabulary()
    default_locale = Locale.get_default().pk

    def term_names(kind):
        return {
            identity: vocabulary.name(kind, identity, default_locale)
            for identity in vocabulary.names[kind]
        }

    themes, regions, types = term_names("theme"), term_names("region"), term_names("type")
    keys = {value for spec, value in last.items() if spec.startswith("centre:")}
    units = {}
    for key, title, language in (
        Page.objects.filter(translation_key__in=keys)
        .values_list("translation_key", "title", "locale__language_code")
        .order_by("pk")
    ):
        if str(key) not in units or language == settings.LANGUAGE_CODE:
            units[str(key)] = title
    kinds = {"theme": themes, "region": regions, "type": types, "centre": units}
    with override(settings.LANGUAGE_CODE):
        top = {
            "theme": _("Themes"),
            "region": _("Regions"),
            "centre": _("Research centres and programmes"),
            "type": _("Types of analysis"),
        }
    names = {}
    for spec in specs:
        kind = spec.split(":", 1)[0]
        if spec in top:
            names[spec] = top[spec]
            continue
        ident = last.get(spec, "")
        lookup = kinds.get(kind, {})
        name = lookup.get(int(ident) if ident.isdigit() else ident)
        names[spec] = name or spec
    return names


def list_sets(arguments):
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", _("The list of sets comes in one piece."))
    names = set_names()
    body = "".join(
        f"<set><setSpec>{xml_text(spec)}</setSpec><setName>{xml_text(name)}</setName></set>"
        for spec, name in names.items()
    )
    return f"<ListSets>{body}</ListSets>"


def get_record(arguments):
    check_prefix(arguments["metadataPrefix"])
    page_id = page_id_of(arguments["identifier"])
    record = (
        HarvestRecord.objects.filter(page_id=page_id)
        .prefetch_related(Prefetch("sets", queryset=HarvestRecordSet.objects.order_by("spec")))
        .first()
    )
    if record is None:
        raise OAIError("idDoesNotExist", _("No record has this identifier."))
    return f"<GetRecord>{record_xml(record)}</GetRecord>"


def list_records(verb, arguments):
    """ListIdentifiers and ListRecords, first page or resumed."""
    resumed = "resumptionToken" in arguments
    if resumed:
        arguments, after, cursor = read_token(verb, arguments["resumptionToken"])
    else:
        after, cursor = 0, 0
    try:
        records = list_query(arguments)
    except OAIError as error:
        if resumed:  # a token we signed with arguments that are no longer valid
            raise OAIError("badResumptionToken", error.message) from error
        raise
    with_metadata = verb == "ListRecords"
    rows, more = records_page(records, after, with_metadata)
    if not rows:
        raise OAIError("noRecordsMatch", _("No record matches these arguments."))
    body = "".join(record_xml(row) if with_metadata else header(row) for row in rows)
    if more or resumed:
        size = records.count()
        token = make_token(verb, arguments, rows[-1].pk, cursor + len(rows)) if more else ""
        body += token_xml(token, size, cursor)
    return f"<{verb}>{body}</{verb}>"


# --- The view -----------------------------------------------------------------------------------


def envelope(request_attributes, body):
    attributes = "".join(
        f" {name}={quoteattr(value)}" for name, value in sorted(request_attributes.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">'
        f"<responseDate>{utc(timezone.now())}</responseDate>"
        f"<request{attributes}>{xml_text(base_url())}</request>"
        f"{body}</OAI-PMH>"
    )


def answer(verb, arguments):
    if verb == "Identify":
        return identify()
    if verb == "ListMetadataFormats":
        return list_metadata_formats(arguments)
    if verb == "ListSets":
        return list_sets(arguments)
    if verb == "GetRecord":
        return get_record(arguments)
    return list_records(verb, arguments)


@csrf_exempt  # harvesters POST form data without a session; nothing is written
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request):
    try:
        verb, arguments = read_arguments(request)
    except OAIError as error:
        # badVerb and badArgument: the request element carries no attributes.
        xml = envelope({}, f'<error code="{error.code}">{xml_text(error.message)}</error>')
    else:
        try:
            body = answer(verb, arguments)
        except OAIError as error:
            body = f'<error code="{error.code}">{xml_text(error.message)}</error>'
            if error.code == "badArgument":
                arguments, verb = {}, None
        xml = envelope({"verb": verb, **arguments} if verb else {}, body)
    response = HttpResponse(xml, content_type="text/xml; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
