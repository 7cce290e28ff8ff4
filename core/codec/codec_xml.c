/* codec_xml.c — the organization's defaultemailsettings XML
 * (docs/dataverse.md): the default incoming, outgoing and
 * ACT delivery methods of new users' and queues' mailboxes. A small reader
 * for exactly this shape (root <EmailSettings>, one level of elements with
 * numbers), tolerant of whitespace, order, a declaration, comments,
 * attributes and unknown elements; and the writer of the canonical form.
 * Pure functions (see codec.h). */
#include "core/codec/codec.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/options.h"

#define XML_MAX_DEPTH 32

/* The three elements, in the order they are written. */
static const struct xml_field {
	const char *element;
	const ec_optset *set;
} xml_fields[] = {
    {"IncomingEmailDeliveryMethod", &opt_incoming},
    {"OutgoingEmailDeliveryMethod", &opt_outgoing},
    {"ACTDeliveryMethod", &opt_act},
};
#define XML_NFIELDS ((int)(sizeof xml_fields / sizeof xml_fields[0]))

typedef struct xml_reader {
	const char *start, *p;
	ec_error *err;
} xml_reader;

static int xml_malformed(xml_reader *x, const char *what)
{
	return ec_fail(x->err, EC_USAGE,
	               "the organization's defaultemailsettings is not well-formed XML: %s at "
	               "byte %ld",
	               what, (long)(x->p - x->start));
}

static bool xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool xml_name_char(char c, bool first)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':')
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

/* Skips past the terminator of a comment, declaration or CDATA section. */
static int xml_skip_to(xml_reader *x, const char *terminator, const char *what)
{
	const char *end = strstr(x->p, terminator);
	if (!end)
		return xml_malformed(x, what);
	x->p = end + strlen(terminator);
	return EC_OK;
}

/* Whitespace, comments and processing instructions. */
static int xml_skip_misc(xml_reader *x)
{
	for (;;) {
		int rc = EC_OK;
		while (xml_space(*x->p))
			x->p++;
		if (strncmp(x->p, "<!--", 4) == 0)
			rc = xml_skip_to(x, "-->", "an unterminated comment");
		else if (strncmp(x->p, "<?", 2) == 0)
			rc = xml_skip_to(x, "?>", "an unterminated declaration");
		else
			return EC_OK;
		if (rc)
			return rc;
	}
}

static int xml_read_name(xml_reader *x, char *name, size_t size)
{
	size_t n = 0;
	if (!xml_name_char(*x->p, true))
		return xml_malformed(x, "an element name was expected");
	while (xml_name_char(*x->p, false)) {
		if (n + 1 >= size)
			return xml_malformed(x, "an element name is too long");
		name[n++] = *x->p++;
	}
	name[n] = '\0';
	return EC_OK;
}

/* At '<': reads the name and skips attributes; *empty for <x/>. */
static int xml_open_tag(xml_reader *x, char *name, size_t size, bool *empty)
{
	int rc;
	x->p++;
	if ((rc = xml_read_name(x, name, size)))
		return rc;
	for (char quote = 0; *x->p; x->p++) {
		if (quote) {
			quote = *x->p == quote ? 0 : quote;
		} else if (*x->p == '"' || *x->p == '\'') {
			quote = *x->p;
		} else if (*x->p == '>' || (x->p[0] == '/' && x->p[1] == '>')) {
			*empty = *x->p == '/';
			x->p += *empty ? 2 : 1;
			return EC_OK;
		} else if (*x->p == '<') {
			break;
		}
	}
	return xml_malformed(x, "an unterminated start tag");
}

/* At "</": the end tag of name. */
static int xml_close_tag(xml_reader *x, const char *name)
{
	char got[64];
	int rc;
	x->p += 2;
	if ((rc = xml_read_name(x, got, sizeof got)))
		return rc;
	if (strcmp(got, name) != 0) {
		char what[160];
		snprintf(what, sizeof what, "</%s> closes <%s>", got, name);
		return xml_malformed(x, what);
	}
	while (xml_space(*x->p))
		x->p++;
	if (*x->p != '>')
		return xml_malformed(x, "an unterminated end tag");
	x->p++;
	return EC_OK;
}

/* The content of an element we do not know, up to and with its end tag. */
static int xml_skip_content(xml_reader *x, const char *name, int depth)
{
	char child[64];
	bool empty;
	int rc;
	if (depth > XML_MAX_DEPTH)
		return xml_malformed(x, "elements are nested too deeply");
	for (;;) {
		while (*x->p && *x->p != '<')
			x->p++;
		if (*x->p == '\0')
			return xml_malformed(x, "the document ends inside an element");
		if (x->p[1] == '/')
			return xml_close_tag(x, name);
		if (strncmp(x->p, "<!--", 4) == 0)
			rc = xml_skip_to(x, "-->", "an unterminated comment");
		else if (strncmp(x->p, "<![CDATA[", 9) == 0)
			rc = xml_skip_to(x, "]]>", "an unterminated CDATA section");
		else if (strncmp(x->p, "<?", 2) == 0)
			rc = xml_skip_to(x, "?>", "an unterminated processing instruction");
		else if ((rc = xml_open_tag(x, child, sizeof child, &empty)) == EC_OK && !empty)
			rc = xml_skip_content(x, child, depth + 1);
		if (rc)
			return rc;
	}
}

/* "0 none, 1 outlook, ..." for error messages. */
static const char *xml_known(const ec_optset *set, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < set->count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%d %s", i ? ", " : "",
		                         set->opts[i].wire, set->opts[i].slug);
	return buf;
}

/* The number inside one of the three elements, checked against its set. */
static int xml_read_value(xml_reader *x, const struct xml_field *f, int *out)
{
	char text[32], quoted[80], known[256];
	const char *begin = x->p, *end;
	ec_error why;
	size_t n;
	char *stop;
	long v;
	while (*x->p && *x->p != '<')
		x->p++;
	if (strncmp(x->p, "</", 2) != 0)
		return xml_malformed(x, "a number was expected inside an element");
	for (end = x->p; begin < end && xml_space(*begin); begin++)
		;
	while (end > begin && xml_space(end[-1]))
		end--;
	n = (size_t)(end - begin);
	snprintf(text, sizeof text, "%.*s", (int)(n < sizeof text ? n : sizeof text - 1), begin);
	if (n == 0) {
		*out = EC_NULL;
		return xml_close_tag(x, f->element);
	}
	v = strtol(text, &stop, 10);
	if (n >= sizeof text || *stop != '\0' ||
	    !(text[0] == '-' || (text[0] >= '0' && text[0] <= '9')))
		return ec_fail(
		    x->err, EC_USAGE,
		    "the organization's defaultemailsettings <%s> should be a number, got "
		    "'%s'",
		    f->element, codec_quote(text, quoted, sizeof quoted));
	if (v < INT_MIN || v > INT_MAX || opt_check_wire(f->set, (int)v, &why))
		return ec_fail(
		    x->err, EC_USAGE,
		    "the organization's defaultemailsettings <%s> value %s is out of range "
		    "(known: %s)",
		    f->element, text, xml_known(f->set, known, sizeof known));
	*out = (int)v;
	return xml_close_tag(x, f->element);
}

static const struct xml_field *xml_find_field(const char *name)
{
	for (int i = 0; i < XML_NFIELDS; i++)
		if (strcmp(xml_fields[i].element, name) == 0)
			return &xml_fields[i];
	return NULL;
}

/* One child of <EmailSettings>: a known element into values[], or skipped. */
static int xml_read_child(xml_reader *x, int values[], bool seen[])
{
	char name[64];
	bool empty;
	const struct xml_field *f;
	int rc = xml_open_tag(x, name, sizeof name, &empty);
	if (rc)
		return rc;
	f = xml_find_field(name);
	if (!f)
		return empty ? EC_OK : xml_skip_content(x, name, 1);
	if (seen[f - xml_fields])
		return ec_fail(x->err, EC_USAGE,
		               "the organization's defaultemailsettings has <%s> twice", name);
	seen[f - xml_fields] = true;
	if (empty)
		return EC_OK;
	return xml_read_value(x, f, &values[f - xml_fields]);
}

static int xml_read_root(xml_reader *x, int values[])
{
	char name[64], quoted[80];
	bool empty, seen[XML_NFIELDS] = {false};
	int rc;
	if ((rc = xml_skip_misc(x)))
		return rc;
	if (*x->p != '<')
		return xml_malformed(x, "the document does not start with an element");
	if ((rc = xml_open_tag(x, name, sizeof name, &empty)))
		return rc;
	if (strcmp(name, "EmailSettings") != 0)
		return ec_fail(
		    x->err, EC_USAGE,
		    "the organization's defaultemailsettings should be an <EmailSettings> "
		    "element, got <%s>",
		    codec_quote(name, quoted, sizeof quoted));
	while (!empty) {
		if ((rc = xml_skip_misc(x)))
			return rc;
		if (strncmp(x->p, "</", 2) == 0)
			return xml_close_tag(x, name);
		if (*x->p != '<')
			return xml_malformed(x,
			                     *x->p ? "unexpected text" : "the document ends early");
		if ((rc = xml_read_child(x, values, seen)))
			return rc;
	}
	return EC_OK;
}

int codec_default_settings_parse(const char *xml, int *incoming, int *outgoing, int *act,
                                 ec_error *err)
{
	int values[XML_NFIELDS] = {EC_NULL, EC_NULL, EC_NULL};
	xml_reader x = {xml, xml, err};
	int rc;
	*incoming = *outgoing = *act = EC_NULL;
	if (!xml)
		return EC_OK;
	if ((rc = xml_skip_misc(&x)))
		return rc;
	if (*x.p == '\0')
		return EC_OK; /* empty: no defaults */
	if ((rc = xml_read_root(&x, values)) || (rc = xml_skip_misc(&x)))
		return rc;
	if (*x.p != '\0')
		return xml_malformed(&x, "unexpected data after </EmailSettings>");
	*incoming = values[0];
	*outgoing = values[1];
	*act = values[2];
	return EC_OK;
}

char *codec_default_settings_xml(int incoming, int outgoing, int act)
{
	int values[XML_NFIELDS] = {incoming, outgoing, act};
	char buf[512];
	size_t used = (size_t)snprintf(buf, sizeof buf, "<EmailSettings>");
	for (int i = 0; i < XML_NFIELDS; i++)
		if (values[i] != EC_NULL)
			used += (size_t)snprintf(buf + used, sizeof buf - used, "<%s>%d</%s>",
			                         xml_fields[i].element, values[i],
			                         xml_fields[i].element);
	snprintf(buf + used, sizeof buf - used, "</EmailSettings>");
	return ec_strdup(buf);
}
