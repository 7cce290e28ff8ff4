/* events.c — delivering events to a sink (see events.h). */
#include "core/base/events.h"

#include <stdarg.h>
#include <stdio.h>

void ec_emit(const ec_sink *sink, const ec_event *ev)
{
	if (sink && sink->emit)
		sink->emit(sink->ctx, ev);
}

void ec_emitf(const ec_sink *sink, enum ec_event_kind kind, const char *job, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	ec_event ev = {kind, job, msg, 0, 0, 0, NULL, NULL, 0};
	if (!sink || !sink->emit)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sink->emit(sink->ctx, &ev);
}

int ec_cancelled(const ec_sink *sink)
{
	return sink && sink->cancel && atomic_load(sink->cancel);
}
