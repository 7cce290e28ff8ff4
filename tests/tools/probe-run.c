/* probe-run.c — test and benchmark tool: runs connectivity probes (core/probe)
 * from the command line and prints the results.
 *
 *   probe-run [OPTIONS] TARGET...
 *
 * TARGET is PROTO:TLS:HOST:PORT (imap|pop3|smtp, none|starttls|implicit|
 * starttls-if-offered; PORT 0 for the default) or ews:URL.
 *
 *   --user NAME          log in as NAME; the password is read from the first
 *                        line of --password-file FILE or from the environment
 *                        variable EMAILCFG_PROBE_PASSWORD (never from argv)
 *   --targets FILE       more targets, one a line: TARGET [USER [PASSWORD]]
 *   --profile SPEC       the targets of a server profile, through
 *                        probe_targets_for_profile(): SPEC is
 *                        TYPE|IN-LOCATION|IN-PORT|IN-SSL|OUT-LOCATION|OUT-PORT|OUT-SSL
 *                        (TYPE a server-type slug; empty fields are absent)
 *   --plan               print the targets, probe nothing
 *   --repeat N           every target N times
 *   --concurrency N      at most N at once (default 16)
 *   --timeout-ms MS      per probe (default 15000)
 *   --ca-file FILE       extra trusted CAs (default: $EMAILCFG_CA_FILE)
 *   --json               a JSON array of results (else one line each)
 *   --transcript         include the redacted dialogue
 *   --progress           a line on stderr as each probe finishes
 *   --summary            a last line: probes, ok, failed, wall ms, probes/s
 *
 * Exit status: 0 when every probe passed, 1 when any failed, 2 on bad usage. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/model/options.h"
#include "core/probes/probe.h"

typedef struct run_opts {
	const char *user, *password_file, *targets_file, *profile, *ca_file;
	int repeat, concurrency;
	long timeout_ms;
	int json, transcript, progress, summary, plan;
} run_opts;

typedef struct run_list {
	ec_probe_target *t;
	int n, cap;
	char **owned; /* strings the targets point to */
	int nowned;
} run_list;

static void usage(const char *why)
{
	fprintf(stderr, "probe-run: %s\n(see the header of tests/tools/probe-run.c)\n", why);
	exit(2);
}

static char *run_own(run_list *l, const char *s)
{
	char *c = strdup(s);

	if (!c)
		usage("out of memory");
	l->owned = realloc(l->owned, sizeof(char *) * (size_t)(l->nowned + 1));
	if (!l->owned)
		usage("out of memory");
	l->owned[l->nowned++] = c;
	return c;
}

static ec_probe_target *run_add(run_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->t = realloc(l->t, sizeof(*l->t) * (size_t)l->cap);
		if (!l->t)
			usage("out of memory");
	}
	return &l->t[l->n++];
}

/* PROTO:TLS:HOST:PORT or ews:URL */
static void run_parse_target(run_list *l, const char *spec, const char *user, const char *pass)
{
	char proto[16] = "", tls[32] = "", host[256] = "";
	int port = 0;
	enum probe_proto p;
	ec_error err;
	ec_probe_target *t;

	if (sscanf(spec, "%15[^:]:", proto) != 1 || probe_proto_parse(proto, &p, &err) != 0)
		usage("a target starts with imap:, pop3:, smtp: or ews:");
	t = run_add(l);
	probe_target_init(t, p);
	t->username = user;
	t->password = pass;
	if (p == PROBE_EWS) {
		snprintf(t->url, sizeof(t->url), "%s", spec + 4);
		return;
	}
	if (sscanf(spec, "%15[^:]:%31[^:]:%255[^:]:%d", proto, tls, host, &port) != 4 ||
	    probe_tls_parse(tls, &t->tls, &err) != 0)
		usage("a mail target is PROTO:TLS:HOST:PORT");
	snprintf(t->host, sizeof(t->host), "%s", host);
	t->port = port;
}

static void run_read_targets(run_list *l, const char *path)
{
	char line[2048];
	FILE *f = fopen(path, "r");

	if (!f)
		usage("cannot read the targets file");
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL;
		char *spec = strtok_r(line, " \t\r\n", &save);
		char *user = strtok_r(NULL, " \t\r\n", &save);
		char *pass = strtok_r(NULL, " \t\r\n", &save);

		if (!spec || spec[0] == '#')
			continue;
		run_parse_target(l, spec, user ? run_own(l, user) : NULL,
		                 pass ? run_own(l, pass) : NULL);
	}
	fclose(f);
}

static char *run_field(char **p)
{
	char *s = *p, *bar;

	if (!s)
		return NULL;
	bar = strchr(s, '|');
	if (bar)
		*bar = '\0';
	*p = bar ? bar + 1 : NULL;
	return *s ? s : NULL;
}

static int run_int_field(char **p)
{
	char *s = run_field(p);

	if (!s)
		return EC_NULL;
	if (strcmp(s, "true") == 0)
		return 1;
	if (strcmp(s, "false") == 0)
		return 0;
	return atoi(s);
}

static void run_parse_profile(run_list *l, const char *spec, const char *user, const char *pass)
{
	char *copy = run_own(l, spec), *p = copy;
	ec_profile prof;
	ec_error err;
	const char *type;

	profile_init(&prof);
	type = run_field(&p);
	if (!type || opt_parse_slug(&opt_server_type, type, &prof.server_type, &err) != 0)
		usage("--profile starts with a server type slug");
	prof.name = "test";
	prof.incoming_location = run_field(&p);
	prof.incoming_port = run_int_field(&p);
	prof.incoming_ssl = run_int_field(&p);
	prof.outgoing_location = run_field(&p);
	prof.outgoing_port = run_int_field(&p);
	prof.outgoing_ssl = run_int_field(&p);
	run_add(l);
	run_add(l);
	if (probe_targets_for_profile(&prof, user, pass, &l->t[l->n - 2], &err) != 0) {
		fprintf(stderr, "probe-run: %s\n", err.msg);
		exit(1);
	}
}

static char *run_read_password(const char *path)
{
	char line[1024];
	FILE *f;

	if (!path) {
		const char *env = getenv("EMAILCFG_PROBE_PASSWORD");
		return env ? strdup(env) : NULL;
	}
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f))
		usage("cannot read the password file");
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	return strdup(line);
}

/* ---- output ---- */

static void run_json_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static json_object *run_result_json(const ec_probe_target *t, const ec_probe_result *r,
                                    int transcript)
{
	json_object *o = json_object_new_object();

	run_json_str(o, "proto", probe_proto_slug(t->proto));
	run_json_str(o, "tls_mode", probe_tls_slug(t->tls));
	run_json_str(o, "host", t->proto == PROBE_EWS ? t->url : t->host);
	json_object_object_add(o, "port", json_object_new_int(probe_target_port(t)));
	json_object_object_add(o, "ok", json_object_new_boolean(r->ok));
	run_json_str(o, "reached", probe_stage_slug(r->reached));
	run_json_str(o, "failed_at", r->ok ? NULL : probe_stage_slug(r->failed_at));
	run_json_str(o, "code", r->code);
	run_json_str(o, "tls_problem", probe_tls_problem_slug(r->tls_problem));
	json_object_object_add(o, "tls", json_object_new_boolean(r->tls));
	json_object_object_add(o, "logged_in", json_object_new_boolean(r->logged_in));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(r->elapsed_ms));
	json_object_object_add(o, "http_status", json_object_new_int64(r->http_status));
	run_json_str(o, "greeting", r->greeting);
	run_json_str(o, "reply", r->reply);
	run_json_str(o, "capabilities", r->capabilities);
	run_json_str(o, "auth_mechanisms", r->auth_mechanisms);
	run_json_str(o, "message", r->message);
	run_json_str(o, "fix", r->fix);
	run_json_str(o, "detail", r->detail);
	if (transcript)
		run_json_str(o, "transcript", r->transcript);
	return o;
}

static void run_print_line(FILE *f, int i, const ec_probe_target *t, const ec_probe_result *r)
{
	char where[1100];

	if (t->proto == PROBE_EWS)
		snprintf(where, sizeof(where), "%s", t->url);
	else
		snprintf(where, sizeof(where), "%s:%d", t->host, probe_target_port(t));
	fprintf(f, "%d %s %s %s %s reached=%s code=%s ms=%ld: %s\n", i, probe_proto_slug(t->proto),
	        probe_tls_slug(t->tls), where, r->ok ? "ok" : "FAIL", probe_stage_slug(r->reached),
	        r->code, r->elapsed_ms, r->message ? r->message : "");
}

typedef struct run_ctx {
	const ec_probe_target *targets;
	int done, n;
} run_ctx;

static void run_progress(void *ctx, int index, const ec_probe_result *r)
{
	run_ctx *c = ctx;

	c->done++;
	fprintf(stderr, "[%d/%d] ", c->done, c->n);
	run_print_line(stderr, index, &c->targets[index], r);
}

static void run_print_plan(const run_list *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		printf("%s %s %s %d\n", probe_proto_slug(l->t[i].proto),
		       probe_tls_slug(l->t[i].tls),
		       l->t[i].proto == PROBE_EWS ? l->t[i].url : l->t[i].host,
		       probe_target_port(&l->t[i]));
}

static void run_print(const run_opts *o, const run_list *l, const ec_probe_result *res)
{
	json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < l->n; i++) {
		if (o->json)
			json_object_array_add(arr,
			                      run_result_json(&l->t[i], &res[i], o->transcript));
		else
			run_print_line(stdout, i, &l->t[i], &res[i]);
		if (!o->json && o->transcript && res[i].transcript)
			printf("%s", res[i].transcript);
	}
	if (o->json)
		printf("%s\n", json_object_to_json_string_ext(
		                   arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
}

/* ---- main ---- */

static double run_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *run_arg(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		usage("an option lacks its value");
	return argv[++*i];
}

static void run_parse_opts(int argc, char **argv, run_opts *o, char ***rest, int *nrest)
{
	int i;

	*rest = calloc((size_t)argc, sizeof(char *));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--user") == 0)
			o->user = run_arg(argc, argv, &i);
		else if (strcmp(a, "--password-file") == 0)
			o->password_file = run_arg(argc, argv, &i);
		else if (strcmp(a, "--targets") == 0)
			o->targets_file = run_arg(argc, argv, &i);
		else if (strcmp(a, "--profile") == 0)
			o->profile = run_arg(argc, argv, &i);
		else if (strcmp(a, "--ca-file") == 0)
			o->ca_file = run_arg(argc, argv, &i);
		else if (strcmp(a, "--repeat") == 0)
			o->repeat = atoi(run_arg(argc, argv, &i));
		else if (strcmp(a, "--concurrency") == 0)
			o->concurrency = atoi(run_arg(argc, argv, &i));
		else if (strcmp(a, "--timeout-ms") == 0)
			o->timeout_ms = atol(run_arg(argc, argv, &i));
		else if (strcmp(a, "--json") == 0)
			o->json = 1;
		else if (strcmp(a, "--transcript") == 0)
			o->transcript = 1;
		else if (strcmp(a, "--progress") == 0)
			o->progress = 1;
		else if (strcmp(a, "--summary") == 0)
			o->summary = 1;
		else if (strcmp(a, "--plan") == 0)
			o->plan = 1;
		else if (a[0] == '-')
			usage("unknown option");
		else
			(*rest)[(*nrest)++] = argv[i];
	}
}

static void run_repeat(run_list *l, int times)
{
	int base = l->n, k, i;

	for (k = 1; k < times; k++) {
		for (i = 0; i < base; i++) {
			ec_probe_target t = l->t[i];

			*run_add(l) = t; /* run_add may move l->t */
		}
	}
}

/* Probes every target and prints; 0 when all passed, 1 otherwise. */
static int run_probes(const run_opts *o, const run_list *l)
{
	ec_probe_result *res = calloc((size_t)l->n, sizeof(*res));
	run_ctx ctx = {.targets = l->t, .n = l->n};
	double t0 = run_now();
	int i, failed = 0;
	ec_error err;

	if (probe_run(l->t, l->n, o->concurrency, o->timeout_ms, o->ca_file,
	              o->progress ? run_progress : NULL, &ctx, res, &err) != 0) {
		fprintf(stderr, "probe-run: %s\n", err.msg);
		free(res);
		return 1;
	}
	t0 = run_now() - t0;
	run_print(o, l, res);
	for (i = 0; i < l->n; i++) {
		failed += !res[i].ok;
		probe_result_free(&res[i]);
	}
	if (o->summary)
		printf("probes %d ok %d failed %d wall_ms %.0f per_s %.1f\n", l->n, l->n - failed,
		       failed, t0 * 1000.0, (double)l->n / t0);
	free(res);
	return failed ? 1 : 0;
}

static void run_list_free(run_list *l)
{
	int i;

	for (i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->t);
}

int main(int argc, char **argv)
{
	run_opts o = {.repeat = 1,
	              .concurrency = PROBE_DEFAULT_CONCURRENCY,
	              .timeout_ms = PROBE_DEFAULT_TIMEOUT_MS};
	run_list l = {0};
	char **rest, *password;
	int nrest = 0, i, rc = 0;

	signal(SIGPIPE, SIG_IGN); /* libcurl runs with CURLOPT_NOSIGNAL: the caller's job */
	run_parse_opts(argc, argv, &o, &rest, &nrest);
	password = o.user ? run_read_password(o.password_file) : NULL;
	if (o.user && !password)
		usage("--user needs --password-file or EMAILCFG_PROBE_PASSWORD");
	if (!o.ca_file)
		o.ca_file = getenv("EMAILCFG_CA_FILE");
	for (i = 0; i < nrest; i++)
		run_parse_target(&l, rest[i], o.user, password);
	if (o.targets_file)
		run_read_targets(&l, o.targets_file);
	if (o.profile)
		run_parse_profile(&l, o.profile, o.user, password);
	run_repeat(&l, o.repeat);
	if (l.n == 0)
		usage("no targets");
	if (o.plan)
		run_print_plan(&l);
	else
		rc = run_probes(&o, &l);
	run_list_free(&l);
	free(rest);
	free(password);
	return rc;
}
