/* probe_int.h — what the probe files share and the unit tests see: the
 * protocol table, one running probe (a job), a growable text buffer, and the
 * per-protocol hooks. Only core/probes/probe*.c and tests/unit/test_probe*.c include
 * it. */
#ifndef EMAILCFG_PROBE_INT_H
#define EMAILCFG_PROBE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <curl/curl.h>

#include "core/probes/probe.h"

/* A growable NUL-terminated string. */
typedef struct probe_buf {
	char *s;
	size_t len, cap;
} probe_buf;

void probe_buf_add(probe_buf *b, const char *s, size_t n);
void probe_buf_adds(probe_buf *b, const char *s);
/* Appends word, space-separated, unless it is already there or the list
 * has PROBE_WORDS_MAX bytes already (a server may send words forever). */
#define PROBE_WORDS_MAX 4096
void probe_buf_add_word(probe_buf *b, const char *word, size_t n);
void probe_buf_reset(probe_buf *b);

/* Hands the string over (NULL when empty) and resets the buffer. */
char *probe_buf_take(probe_buf *b);

/* One row of the protocol table. */
typedef struct probe_proto_desc {
	enum probe_proto proto;
	const char *slug;        /* "imap" */
	const char *name;        /* "IMAP", for messages */
	const char *scheme;      /* plain / STARTTLS scheme */
	const char *tls_scheme;  /* implicit-TLS scheme */
	int port, tls_port;      /* default ports */
	const char *greet_ok[2]; /* greeting prefixes of this protocol */
	const char *greet_no;    /* the prefix of a greeting that refuses service */
	const char *check_verb;  /* the harmless command that ends the session */
	const char *protocols;   /* CURLOPT_PROTOCOLS_STR */
} probe_proto_desc;

const probe_proto_desc *probe_proto_find(enum probe_proto p);

/* What a probe saw, filled from libcurl's debug callback. */
typedef struct probe_seen {
	bool greeting;         /* a first line arrived (EWS: a status line) */
	bool greeting_bad;     /* ...of another protocol */
	bool greeting_refused; /* ...of this protocol, refusing service */
	bool caps_seen;        /* a capability list (or EHLO/CAPA answer) ended */
	bool starttls_sent, tls_started, tls_done, auth_sent, auth_ok;
	bool auth_open; /* inside a login exchange: every line sent is secret */
	bool aborted;   /* the driver is to stop this probe now */
	int lines_in;
	int verb_lines;                /* lines received since the last command */
	char verb[16];                 /* the last command sent: "EHLO", "CAPA"... */
	char first_in[512];            /* the greeting */
	char last_in[512];             /* the last line received */
	char status_line[256];         /* EWS: the last HTTP status line */
	probe_buf caps, mechs;         /* the last complete capability list */
	probe_buf new_caps, new_mechs; /* the one being read */
} probe_seen;

typedef struct probe_job {
	const ec_probe_target *t;
	const probe_proto_desc *pd;
	ec_probe_result *r;
	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	/* The first PROBE_TRANSCRIPT_HEAD bytes of the dialogue, then its last
	 * PROBE_TRANSCRIPT_TAIL (up to twice that before it is trimmed): a
	 * server may talk for the whole timeout. */
	probe_buf transcript, transcript_tail;
	size_t transcript_cut; /* bytes left out between the two */
	probe_seen seen;
	long timeout_ms;
	double started; /* monotonic seconds */
	char url[1100];
	char host[256]; /* for messages */
	int port;
} probe_job;

#define PROBE_TRANSCRIPT_HEAD (16 * 1024)
#define PROBE_TRANSCRIPT_TAIL (16 * 1024)
/* The bounded transcript as one string (NULL when empty), saying how much
 * was left out; resets it. */
char *probe_transcript_take(probe_job *j);

/* Per-protocol setup of the easy handle: 0, or -1 with a setup failure's
 * code and reason; and per-line parsing of the dialogue. */
int probe_mail_setup(probe_job *j, const char **code, const char **why);
void probe_mail_line_in(probe_job *j, const char *line);
void probe_mail_line_out(probe_job *j, const char *line);
int probe_ews_setup(probe_job *j, const char **code, const char **why);
void probe_ews_line_in(probe_job *j, const char *line);

/* Makes the capability list being read the current one. */
void probe_caps_commit(probe_seen *s);

/* The redacted form of one line sent, written to out. */
void probe_redact_out(enum probe_proto proto, const char *line, char *out, size_t size);

/* Judging a finished probe: stages, codes, messages. */
enum probe_tls_problem probe_tls_classify(CURLcode rc, long verify_result, const char *errbuf);
void probe_judge(probe_job *j, CURLcode rc);
void probe_judge_setup(probe_job *j, const char *code, const char *why);

/* Replaces {name} in tmpl with the value of that name from vars (pairs of
 * name, value, ending with NULL). Unknown names are left as they are. */
void probe_text_expand(char *out, size_t size, const char *tmpl, const char *const *vars);

/* Whether host is a loopback name or address (localhost, 127.x, ::1). */
bool probe_host_is_loopback(const char *host);

#endif
