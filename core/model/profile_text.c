/* profile_text.c — the type and endpoints of a server profile as text (see
 * profile_text.h). Touches only the buffers it is given. */
#include "core/model/profile_text.h"

#include <stdio.h>
#include <string.h>

#include "core/model/options.h"

const char *profile_type_text(const ec_profile *p, char *buf, size_t size)
{
	const char *s;
	if (p->server_type_name && p->server_type_name[0])
		return p->server_type_name;
	s = opt_show_label(&opt_server_type, p->server_type, buf, size);
	return s ? s : "";
}

const char *profile_endpoint_text(const char *location, int port, char *buf, size_t size)
{
	/* A URL carries its own port; appending one would make it wrong. */
	if (!location)
		return "";
	if (port == EC_NULL || strstr(location, "://"))
		return location;
	snprintf(buf, size, "%s:%d", location, port);
	return buf;
}
