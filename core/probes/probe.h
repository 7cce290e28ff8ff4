/* probe.h — connectivity probes of Test & Enable (docs/architecture.md, stage 3):
 * from this machine, with libcurl, to a server profile's IMAP, POP3, SMTP or
 * EWS endpoint. Each probe walks DNS -> TCP connect -> TLS -> greeting ->
 * capabilities -> login (only with credentials) -> done, and reports the last
 * stage reached, the stage that failed, the server's own reply line, the
 * certificate problem by name, and a stable code with a one-sentence message
 * and fix. Many probes run at once through curl's multi interface.
 *
 * What a probe sends: IMAP greeting, CAPABILITY, STARTTLS, AUTHENTICATE/LOGIN,
 * CAPABILITY, LOGOUT; POP3 CAPA, STLS, AUTH/USER+PASS, CAPA, QUIT; SMTP EHLO,
 * STARTTLS, AUTH, NOOP, QUIT (never MAIL/RCPT/DATA: no mail is sent); EWS one
 * GET of the EWS URL (with Basic credentials, over https only; plain http
 * carries credentials only to loopback hosts, for tests).
 *
 * Credentials are the caller's: read during probe_run(), never copied into a
 * result, never logged; the transcript shows credential-bearing commands as
 * "AUTHENTICATE PLAIN ***", "PASS ***" and so on.
 *
 * libcurl runs with CURLOPT_NOSIGNAL (probes run on worker threads): the
 * program must ignore SIGPIPE, as the console does, or a server that hangs
 * up during TLS can end it.
 *
 * TLS is verified against the system CA bundle plus, when ca_file is given
 * (the caller takes it from EMAILCFG_CA_FILE or its ca-file setting), the
 * certificates in that file: both are trusted, the file need not repeat the
 * system bundle. */
#ifndef EMAILCFG_PROBE_H
#define EMAILCFG_PROBE_H

#include <stdbool.h>

#include "core/base/error.h"
#include "core/model/model.h"

enum probe_proto { PROBE_IMAP, PROBE_POP3, PROBE_SMTP, PROBE_EWS };

enum probe_tls {
	PROBE_TLS_NONE,               /* plain text, never STARTTLS */
	PROBE_TLS_STARTTLS,           /* STARTTLS required: fail when not offered */
	PROBE_TLS_IMPLICIT,           /* TLS from the first byte: imaps, pop3s, smtps, https */
	PROBE_TLS_STARTTLS_IF_OFFERED /* STARTTLS when the server offers it */
};

/* In the order a probe normally passes them; with STARTTLS the tls stage
 * comes after capabilities. PROBE_STAGE_SETUP: the target itself is unusable. */
enum probe_stage {
	PROBE_STAGE_SETUP,
	PROBE_STAGE_DNS,
	PROBE_STAGE_CONNECT,
	PROBE_STAGE_TLS,
	PROBE_STAGE_GREETING,     /* EWS: an HTTP answer */
	PROBE_STAGE_CAPABILITIES, /* EWS: a 401 with an authentication challenge */
	PROBE_STAGE_LOGIN,        /* EWS: 200 with Basic credentials */
	PROBE_STAGE_DONE,
};

enum probe_tls_problem {
	PROBE_TLS_OK,
	PROBE_TLS_UNTRUSTED, /* self-signed or unknown CA */
	PROBE_TLS_EXPIRED,
	PROBE_TLS_NOT_YET_VALID,
	PROBE_TLS_WRONG_HOST,  /* the certificate names other hosts */
	PROBE_TLS_NOT_OFFERED, /* STARTTLS required but not offered */
	PROBE_TLS_HANDSHAKE,   /* any other TLS failure */
};

#define PROBE_DEFAULT_CONCURRENCY 16
#define PROBE_DEFAULT_TIMEOUT_MS  15000L

typedef struct ec_probe_target {
	enum probe_proto proto;
	enum probe_tls tls;
	char host[256];       /* mail protocols: host name or IP address */
	int port;             /* 0: the protocol's default for the tls mode */
	char url[1024];       /* EWS: the full http(s) URL */
	const char *username; /* NULL: no login, capabilities only */
	const char *password; /* not copied; read while probe_run() runs */
} ec_probe_target;

typedef struct ec_probe_result {
	bool ok;
	enum probe_stage reached;   /* the last stage passed */
	enum probe_stage failed_at; /* PROBE_STAGE_DONE when ok */
	enum probe_tls_problem tls_problem;
	bool tls; /* the session was encrypted */
	bool logged_in;
	long elapsed_ms;
	long http_status;      /* EWS: the HTTP status, else 0 */
	char *greeting;        /* the server's first line (EWS: the status line) */
	char *reply;           /* on failure: the server's last line, or NULL */
	char *capabilities;    /* space-separated; EWS: the challenge schemes */
	char *auth_mechanisms; /* space-separated SASL mechanisms / HTTP schemes */
	char *message;         /* one sentence: what happened */
	char *fix;             /* one sentence: what to do; "" when ok */
	char *detail;          /* libcurl's error text on failure, or NULL */
	char *transcript;      /* "C: ..." / "S: ..." lines, credentials redacted */
	char code[32];         /* stable: "probe.ok.login", "probe.tls.untrusted"... */
} ec_probe_result;

/* Called once per finished probe, from the thread that runs probe_run(). */
typedef void (*probe_progress_fn)(void *ctx, int index, const ec_probe_result *r);

/* Runs the n targets, at most `concurrency` at a time (<= 0: the default 16),
 * each within timeout_ms (<= 0: the default 15 s). results[i] receives the
 * outcome of targets[i] (free each with probe_result_free()). A probe that
 * fails is a result, not an error: the return is EC_OK unless the run could
 * not start (ca_file unreadable: EC_LOCAL, with err set). */
int probe_run(const ec_probe_target *targets, int n, int concurrency, long timeout_ms,
              const char *ca_file, probe_progress_fn progress, void *ctx, ec_probe_result *results,
              ec_error *err);

void probe_result_free(ec_probe_result *r);

/* An empty target of the protocol (tls IMPLICIT, port 0). */
void probe_target_init(ec_probe_target *t, enum probe_proto proto);

/* A server profile's two endpoints: out[0] incoming, out[1] outgoing.
 * Exchange types -> EWS (incoming_location / outgoing_location; the outgoing
 * one falls back to the incoming one; a bare host name becomes
 * https://HOST/EWS/Exchange.asmx); pop3-smtp -> POP3 + SMTP; imap-smtp ->
 * IMAP + SMTP. The location is "host", "host:port" or a URL; the profile's
 * port wins, then the location's, then the default (143/993, 110/995,
 * 587/465). ssl set: implicit TLS on 993/995/465 (or no port given), STARTTLS
 * required on other ports; ssl unset: STARTTLS when offered — required when
 * a username and password are given, so a password is never sent in clear
 * text. username and password are referenced, not copied. EC_USAGE when a location is missing
 * or the server type is unknown. */
int probe_targets_for_profile(const ec_profile *p, const char *username, const char *password,
                              ec_probe_target out[2], ec_error *err);

/* Spellings for output and parsing: "imap" "pop3" "smtp" "ews"; "none"
 * "starttls" "implicit" "starttls-if-offered"; "setup" "dns" "connect" "tls"
 * "greeting" "capabilities" "login" "done"; "ok" "untrusted" "expired"
 * "not-yet-valid" "wrong-host" "not-offered" "handshake". */
const char *probe_proto_slug(enum probe_proto p);
const char *probe_tls_slug(enum probe_tls t);
const char *probe_stage_slug(enum probe_stage s);
const char *probe_tls_problem_slug(enum probe_tls_problem p);
/* 0 on success, EC_USAGE (err set) for an unknown spelling. */
int probe_proto_parse(const char *s, enum probe_proto *out, ec_error *err);
int probe_tls_parse(const char *s, enum probe_tls *out, ec_error *err);

/* The port a target uses: its own, or the protocol's default for its tls. */
int probe_target_port(const ec_probe_target *t);

#endif
