/* profile_text.h — how a server profile's type and endpoints read, for
 * every front end alike: the type as the organization names it, an EWS URL
 * as the URL, host:port only for a host name with a port. Pure functions
 * over the model. */
#ifndef EMAILCFG_PROFILE_TEXT_H
#define EMAILCFG_PROFILE_TEXT_H

#include <stddef.h>

#include "core/model/model.h"

/* The type's name: emailservertypename when the organization sent one,
 * else the option's translated label ("7 (unknown)" for a newer value,
 * "" for none), written into buf when needed. */
const char *profile_type_text(const ec_profile *p, char *buf, size_t size);

/* "host:port" for a host name with a port; the location alone for a URL
 * (its port, if any, is in it), a host without a port, or "" for none. */
const char *profile_endpoint_text(const char *location, int port, char *buf, size_t size);

#endif
