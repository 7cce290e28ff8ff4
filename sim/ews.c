/* ews.c — a stand-in for an Exchange Web Services endpoint at
 * /EWS/Exchange.asmx, so the demo's Exchange profile (whose URL points at the
 * emulator) answers like Exchange to an unauthenticated request: 401 with
 * Negotiate, NTLM and Basic challenges. */
#include "handlers.h"

void ews_handle(struct request *q, struct reply *r)
{
	(void)q;
	r->status = 401;
	reply_header(r, "WWW-Authenticate", "Negotiate");
	reply_header(r, "WWW-Authenticate", "NTLM");
	reply_header(r, "WWW-Authenticate", "Basic realm=\"%s\"", "127.0.0.1");
	reply_header(r, "X-FEServer", "EMAILCFG-SIM");
	r->content_type = NULL;
}
