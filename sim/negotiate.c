/* negotiate.c — the emulator's SPNEGO/Kerberos check for auth = windows
 * (RFC 4559), with MIT GSS-API: when EMAILCFG_SIM_GSS_KEYTAB names a
 * keytab, "Authorization: Negotiate <base64>" goes through
 * gss_accept_sec_context against that keytab's keys (the test puts
 * HTTP/<host> there, as the domain admin would with setspn and ktpass),
 * so a wrong SPN, a skewed authenticator or a forged token fail in the
 * library, not in code of ours. The client principal then decides the
 * user: EMAILCFG_SIM_GSS_USERS lists the principals that are CRM users
 * ("user@REALM,..."; unset: every principal the realm vouches for). Like
 * IIS (authPersistNonNTLM), a connection that signed in stays signed in.
 * Touches only its per-connection state and the GSS library. */
#include "negotiate.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ntlm.h"

/* Decoded bytes: Windows' MaxTokenSize of old (a ticket with a large PAC
 * fits), and under libmicrohttpd's own 32 KB for all headers, so this
 * bound is the one a long token meets. */
#define NEGOTIATE_MAX_TOKEN 12000

static __thread bool conn_authed;
static pthread_once_t keytab_once = PTHREAD_ONCE_INIT;

bool negotiate_enabled(void)
{
	const char *k = getenv("EMAILCFG_SIM_GSS_KEYTAB");
	return k && *k;
}

bool negotiate_conn_authed(void)
{
	return conn_authed;
}

static void keytab_register(void)
{
	/* Process-wide: the acceptor reads this keytab, not /etc/krb5.keytab. */
	gsskrb5_register_acceptor_identity(getenv("EMAILCFG_SIM_GSS_KEYTAB"));
}

/* Why the library refused, on the emulator's stderr (tests read it). */
static void negotiate_log_status(const char *what, OM_uint32 major, OM_uint32 minor)
{
	OM_uint32 ctx = 0, m;
	gss_buffer_desc text;
	fprintf(stderr, "emailcfg-sim: Negotiate refused (%s):", what);
	do {
		if (gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text))
			break;
		fprintf(stderr, " %.*s;", (int)text.length, (const char *)text.value);
		gss_release_buffer(&m, &text);
	} while (ctx);
	ctx = 0;
	do {
		if (gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &text))
			break;
		fprintf(stderr, " %.*s", (int)text.length, (const char *)text.value);
		gss_release_buffer(&m, &text);
	} while (ctx);
	fputc('\n', stderr);
}

/* Whether principal is in the comma-separated EMAILCFG_SIM_GSS_USERS. */
static bool negotiate_user_known(const char *principal)
{
	const char *list = getenv("EMAILCFG_SIM_GSS_USERS");
	size_t n = strlen(principal);
	if (!list || !*list)
		return true;
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncasecmp(p, principal, n))
			return true;
		p += len + (end ? 1 : 0);
	}
	return false;
}

static void negotiate_name(gss_name_t name, char *who, size_t who_size)
{
	OM_uint32 minor;
	gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
	who[0] = '\0';
	if (gss_display_name(&minor, name, &text, NULL) == GSS_S_COMPLETE)
		snprintf(who, who_size, "%.*s", (int)text.length, (const char *)text.value);
	gss_release_buffer(&minor, &text);
}

static void negotiate_answer(gss_buffer_t out, struct buf *reply_out)
{
	if (!out->length)
		return;
	buf_puts(reply_out, "Negotiate ");
	ntlm_b64_encode(reply_out, out->value, out->length);
}

int negotiate_step(const char *b64, struct buf *reply_out, char *who, size_t who_size)
{
	OM_uint32 major, minor;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	gss_name_t client = GSS_C_NO_NAME;
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
	int rc = NEGOTIATE_REFUSED;
	unsigned char *token = malloc(NEGOTIATE_MAX_TOKEN);
	long n = token ? ntlm_b64_decode(b64, token, NEGOTIATE_MAX_TOKEN) : -1;
	who[0] = '\0';
	if (n <= 0) {
		fprintf(stderr,
		        "emailcfg-sim: Negotiate refused: not base64, empty or over %d "
		        "bytes\n",
		        NEGOTIATE_MAX_TOKEN);
		free(token);
		return NEGOTIATE_REFUSED;
	}
	pthread_once(&keytab_once, keytab_register);
	in.length = (size_t)n;
	in.value = token;
	major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &in,
	                               GSS_C_NO_CHANNEL_BINDINGS, &client, NULL, &out, NULL, NULL,
	                               NULL);
	negotiate_answer(&out, reply_out);
	if (major == GSS_S_COMPLETE) {
		negotiate_name(client, who, who_size);
		rc = negotiate_user_known(who) ? NEGOTIATE_OK : NEGOTIATE_NOT_USER;
	} else if (major == GSS_S_CONTINUE_NEEDED) {
		/* Kerberos in SPNEGO completes in one round; a mechanism that
		 * needs more (NTLM inside SPNEGO) is not offered here. */
		fprintf(stderr, "emailcfg-sim: Negotiate refused: a second round was asked for\n");
	} else {
		negotiate_log_status("gss_accept_sec_context", major, minor);
	}
	conn_authed = rc == NEGOTIATE_OK;
	gss_release_buffer(&minor, &out);
	gss_release_name(&minor, &client);
	gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
	free(token);
	return rc;
}
