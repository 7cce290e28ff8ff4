/* testjob.c — server-side Test & Enable (see testjob.h). Worker threads
 * take due jobs, copy what they need out of the store under sim_lock, make
 * the TCP connections without it, and write the verdict back under it. */
#include "testjob.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "store.h"

#define WORKERS  4
#define MAX_JOBS 200000

enum { CH_IN, CH_OUT, CH_ACT, CH_COUNT };
enum status { ST_NOTRUN = 0, ST_OK = 1, ST_FAIL = 2 };
enum net { NET_OK, NET_REFUSED, NET_TIMEOUT, NET_DNS };
enum owner { OWNER_FORWARD, OWNER_USER, OWNER_QUEUE };

struct job {
	struct guid mailbox;
	int64_t due_ms;
};

struct endpoint {
	char host[256];
	char port[24];
};

/* What a test needs, copied out of the store. */
struct test_input {
	struct guid id;
	char name[400];
	int method[CH_COUNT]; /* 1 when the channel uses server-side sync */
	bool active;
	enum owner owner;
	int64_t approval;
	bool approval_required;
	bool has_profile, profile_active, exchange;
	char profile_name[200];
	struct endpoint ep[CH_COUNT];
	bool alert_errors, alert_info;
};

struct verdict {
	enum status st[CH_COUNT];
	int code[CH_COUNT];
	char text[CH_COUNT][1200];
	const char *type[CH_COUNT];
	char details[CH_COUNT][400];
};

static struct job *jobs;
static int njobs;
static pthread_cond_t jobs_cond;
static pthread_t workers[WORKERS];
static bool stopping;

/* ---- scheduling ---- */

void testjob_schedule(const struct guid *mailbox)
{
	if (sim_cfg.never_complete)
		return;
	int64_t due = sim_clock_ms() + (int64_t)(sim_cfg.test_delay * 1000);
	for (int i = 0; i < njobs; i++)
		if (!guid_cmp(&jobs[i].mailbox, mailbox))
			return;
	if (njobs >= MAX_JOBS)
		return;
	jobs[njobs].mailbox = *mailbox;
	jobs[njobs].due_ms = due;
	njobs++;
	pthread_cond_broadcast(&jobs_cond);
}

int testjob_pending(void)
{
	return njobs;
}

/* Takes the earliest due job; waits (lock held) until one is due. */
static bool job_take(struct guid *out)
{
	while (!stopping) {
		int best = -1;
		for (int i = 0; i < njobs; i++)
			if (best < 0 || jobs[i].due_ms < jobs[best].due_ms)
				best = i;
		int64_t now = sim_clock_ms();
		if (best >= 0 && jobs[best].due_ms <= now) {
			*out = jobs[best].mailbox;
			jobs[best] = jobs[--njobs];
			return true;
		}
		int64_t wait = best >= 0 ? jobs[best].due_ms - now : 1000;
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t ns = ts.tv_nsec + (wait % 1000) * 1000000;
		ts.tv_sec += wait / 1000 + ns / 1000000000;
		ts.tv_nsec = ns % 1000000000;
		pthread_cond_timedwait(&jobs_cond, &sim_lock, &ts);
	}
	return false;
}

/* ---- reading the store ---- */

static void endpoint_from(const char *loc, int64_t port, const char *dflt_port, struct endpoint *ep)
{
	const char *h = loc ? loc : "";
	const char *scheme = strstr(h, "://");
	if (scheme) {
		dflt_port = !strncasecmp(h, "https", 5) ? "443" : "80";
		h = scheme + 3;
	}
	size_t n = strcspn(h, ":/?");
	snprintf(ep->host, sizeof ep->host, "%.*s", (int)n, h);
	if (h[n] == ':')
		snprintf(ep->port, sizeof ep->port, "%.*s", (int)strcspn(h + n + 1, "/?"),
		         h + n + 1);
	else if (port > 0 && !scheme)
		snprintf(ep->port, sizeof ep->port, "%lld", (long long)port);
	else
		snprintf(ep->port, sizeof ep->port, "%s", dflt_port);
}

static void input_profile(const struct row *p, struct test_input *in)
{
	const struct entity *e = schema_entities[E_PROFILE];
	int64_t type = store_get_int(e, p, "servertype", 0);
	bool in_ssl = store_get_int(e, p, "incomingusessl", 1);
	bool out_ssl = store_get_int(e, p, "outgoingusessl", 1);
	in->has_profile = true;
	in->profile_active = store_get_int(e, p, "statecode", 0) == 0;
	in->exchange = type == 0 || type == 2 || type == 3;
	snprintf(in->profile_name, sizeof in->profile_name, "%s",
	         store_get_str(e, p, "name") ? store_get_str(e, p, "name") : "");
	const char *in_dflt = type == 1   ? (in_ssl ? "995" : "110")
	                      : type == 4 ? (in_ssl ? "993" : "143")
	                                  : "443";
	const char *in_loc = store_get_str(e, p, "incomingserverlocation");
	const char *out_loc = store_get_str(e, p, "outgoingserverlocation");
	endpoint_from(in_loc, store_get_int(e, p, "incomingportnumber", 0), in_dflt,
	              &in->ep[CH_IN]);
	bool same = store_get_int(e, p, "usesamesettingsforoutgoingconnections", 1);
	if (in->exchange && (same || !out_loc))
		in->ep[CH_OUT] = in->ep[CH_IN];
	else
		endpoint_from(out_loc ? out_loc : in_loc,
		              store_get_int(e, p, "outgoingportnumber", 0), out_ssl ? "465" : "587",
		              &in->ep[CH_OUT]);
	in->ep[CH_ACT] = in->ep[CH_IN];
}

static bool input_read(const struct guid *id, struct test_input *in)
{
	const struct entity *e = schema_entities[E_MAILBOX];
	const struct row *m = store_find(E_MAILBOX, id);
	if (!m || !store_get_int(e, m, "testemailconfigurationscheduled", 0))
		return false;
	memset(in, 0, sizeof *in);
	in->id = *id;
	const char *name = store_get_str(e, m, "name");
	snprintf(in->name, sizeof in->name, "%s", name ? name : "");
	in->method[CH_IN] = store_get_int(e, m, "incomingemaildeliverymethod", 0) == 2;
	in->method[CH_OUT] = store_get_int(e, m, "outgoingemaildeliverymethod", 0) == 2;
	in->method[CH_ACT] = store_get_int(e, m, "actdeliverymethod", 0) == 1;
	in->active = store_get_int(e, m, "statecode", 0) == 0;
	in->approval = store_get_int(e, m, "emailrouteraccessapproval", 0);
	const struct val *reg = store_get(e, m, "_regardingobjectid_value");
	in->owner = reg->null ? OWNER_FORWARD : reg->ref == 0 ? OWNER_USER : OWNER_QUEUE;
	const struct table *orgs = &store_tables[E_ORGANIZATION];
	const struct entity *oe = schema_entities[E_ORGANIZATION];
	in->alert_errors = in->alert_info = true;
	if (orgs->n) {
		const struct row *o = orgs->rows[0];
		in->approval_required = (in->owner == OWNER_USER &&
		                         store_get_int(oe, o, "requireapprovalforuseremail", 0)) ||
		                        (in->owner == OWNER_QUEUE &&
		                         store_get_int(oe, o, "requireapprovalforqueueemail", 0));
		in->alert_errors = store_get_int(oe, o, "generatealertsforerrors", 1);
		in->alert_info = store_get_int(oe, o, "generatealertsforinformation", 1);
	}
	const struct val *pv = store_get(e, m, "_emailserverprofile_value");
	const struct row *p = pv->null ? NULL : store_find(E_PROFILE, &pv->u.g);
	if (p)
		input_profile(p, in);
	return true;
}

/* ---- the network ---- */

static enum net wait_connect(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int n = poll(&pfd, 1, 1000);
	if (n == 0)
		return NET_TIMEOUT;
	int soerr = 0;
	socklen_t len = sizeof soerr;
	if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return NET_REFUSED;
	if (soerr == ETIMEDOUT)
		return NET_TIMEOUT;
	return soerr ? NET_REFUSED : NET_OK;
}

static enum net tcp_probe(const struct endpoint *ep)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
	if (!ep->host[0] || getaddrinfo(ep->host, ep->port, &hints, &res) != 0)
		return NET_DNS;
	enum net result = NET_REFUSED;
	for (struct addrinfo *a = res; a && result != NET_OK; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			result = NET_OK;
		else if (errno == EINPROGRESS)
			result = wait_connect(fd);
		close(fd);
	}
	freeaddrinfo(res);
	return result;
}

/* ---- deciding ---- */

static const char *const approval_text[CH_COUNT] = {
    "Email cannot be received because the email address of the mailbox %s requires an "
    "approval by an Office 365 administrator. The mailbox didn't synchronize.",
    "Email cannot be sent because the email address of the mailbox %s requires an approval "
    "by an Office 365 administrator. The mailbox has been disabled for sending email.",
    "Appointments, contacts, and tasks can't be synchronized because the email address of "
    "the mailbox %s requires an approval by an Office 365 administrator."};

static const char *const profile_text[CH_COUNT] = {
    "Email cannot be received because the mailbox %s does not have an email server profile "
    "associated with it or the email server profile is inactive. Email Server Error Code: "
    "InvalidIncomingEmailServerProfile",
    "Email cannot be sent because the mailbox %s does not have an email server profile "
    "associated with it or the email server profile is inactive. Email Server Error Code: "
    "InvalidOutgoingEmailServerProfile",
    "Appointments, contacts, and tasks can't be synchronized because the mailbox %s does not "
    "have an email server profile associated with it or the email server profile is inactive. "
    "Email Server Error Code: InvalidACTEmailServerProfile"};

static const char *const refused_text[CH_COUNT] = {
    "An error occurred in receiving email for the mailbox %s while connecting to the email "
    "server. The system will try to receive email again later. Email Server Error Code: Web "
    "server returned ConnectFailure exception.",
    "An error occurred in sending email for the mailbox %s \"Your mailbox is now connected to "
    "Dynamics 365\" while connecting to the email server. The system will try to send email "
    "again later. Email Server Error Code: Web server returned ConnectFailure exception.",
    "Appointments, contacts, and tasks can't be synchronized for the mailbox %s because an "
    "error occurred while connecting to the email server. Email Server Error Code: Web server "
    "returned ConnectFailure exception."};

static const char *const timeout_text[CH_COUNT] = {
    "A general mailbox access error occurred while receiving email. Mailbox %s didn't "
    "synchronize. Email Server Error Code: Socket returned exception TimedOut",
    "An error occurred in sending email for the mailbox %s \"Your mailbox is now connected to "
    "Dynamics 365\" while connecting to the email server. Email Server Error Code: Socket "
    "returned exception TimedOut",
    "Appointments, contacts, and tasks can't be synchronized for the mailbox %s because the "
    "connection to the email server timed out. Email Server Error Code: Socket returned "
    "exception TimedOut"};

static const char *const dns_text[CH_COUNT] = {
    "The location of the mailbox %s could not be determined while receiving email.",
    "The mailbox location could not be determined while sending the email message \"Your "
    "mailbox is now connected to Dynamics 365\" for the mailbox %s.",
    "The location of the mailbox %s could not be determined while synchronizing appointments, "
    "contacts, and tasks."};

/* Trace codes, one per cause and channel (documented in emailcfg-sim(1)). */
enum {
	TC_APPROVAL = 70001,
	TC_PROFILE = 70011,
	TC_ACT_TYPE = 70023,
	TC_REFUSED = 70031,
	TC_TIMEOUT = 70041,
	TC_DNS = 70051,
	TC_SUCCESS = 70100
};

static void fail(struct verdict *v, int ch, const struct test_input *in, const char *fmt, int code,
                 const char *type)
{
	v->st[ch] = ST_FAIL;
	v->code[ch] = code + ch;
	v->type[ch] = type;
	text_fill(v->text[ch], sizeof v->text[ch], fmt, in->name);
}

static void decide_channel(const struct test_input *in, int ch, struct verdict *v)
{
	if (!in->method[ch] || !in->active) {
		v->st[ch] = ST_NOTRUN;
		return;
	}
	if (in->approval_required && in->approval != 1) {
		fail(v, ch, in, approval_text[ch], TC_APPROVAL, "EmailAddressApprovalNeeded");
		return;
	}
	if (!in->has_profile || !in->profile_active) {
		fail(v, ch, in, profile_text[ch], TC_PROFILE,
		     ch == CH_IN    ? "InvalidIncomingEmailServerProfile"
		     : ch == CH_OUT ? "InvalidOutgoingEmailServerProfile"
		                    : "InvalidACTEmailServerProfile");
		return;
	}
	if (ch == CH_ACT && !in->exchange) {
		v->st[ch] = ST_FAIL;
		v->code[ch] = TC_ACT_TYPE;
		v->type[ch] = "ACTNotSupportedForServerType";
		snprintf(
		    v->text[ch], sizeof v->text[ch],
		    "Appointments, contacts, and tasks can't be synchronized for the mailbox %s "
		    "because its email server profile %s is a POP3/SMTP or IMAP/SMTP profile; "
		    "only Exchange supports them. Email Server Error Code: "
		    "ACTNotSupportedForServerType",
		    in->name, in->profile_name);
		return;
	}
	enum net n = tcp_probe(&in->ep[ch]);
	snprintf(v->details[ch], sizeof v->details[ch], "TCP connect to %s:%s: %s", in->ep[ch].host,
	         in->ep[ch].port,
	         n == NET_OK        ? "connected"
	         : n == NET_REFUSED ? "connection refused"
	         : n == NET_TIMEOUT ? "timed out after 1 s"
	                            : "host not found");
	if (n == NET_OK)
		v->st[ch] = ST_OK;
	else if (n == NET_REFUSED)
		fail(v, ch, in, refused_text[ch], TC_REFUSED, "ConnectFailure");
	else if (n == NET_TIMEOUT)
		fail(v, ch, in, timeout_text[ch], TC_TIMEOUT, "TimedOut");
	else
		fail(v, ch, in, dns_text[ch], TC_DNS, "MailboxLocationNotDetermined");
}

/* ---- writing back ---- */

static void alert_write(const struct guid *mailbox, int level, int code, bool success,
                        const char *text, const char *type, const char *details)
{
	const struct entity *e = schema_entities[E_TRACELOG];
	const struct table *tb = &store_tables[E_TRACELOG];
	struct row *row = NULL;
	for (size_t i = 0; i < tb->n && !row; i++) {
		const struct val *reg = store_get(e, tb->rows[i], "_regardingobjectid_value");
		if (!reg->null && !guid_cmp(&reg->u.g, mailbox) &&
		    store_get_int(e, tb->rows[i], "tracecode", -1) == code)
			row = tb->rows[i];
	}
	bool fresh = row == NULL;
	if (fresh)
		row = store_row_new(e);
	else
		store_touch(e, row);
	store_set_str(e, row, "text", text);
	store_set_int(e, row, "level", level);
	store_set_int(e, row, "tracecode", code);
	store_set_int(e, row, "tracestatus", success);
	store_set_str(e, row, "errortypedisplay", type);
	store_set_str(e, row, "errordetails", details && *details ? details : NULL);
	store_set_str(e, row, "machinename", "emailcfg-sim");
	store_set_lookup(e, row, "_regardingobjectid_value", 0, mailbox);
	if (fresh)
		store_insert(E_TRACELOG, row);
}

static void success_text(const struct test_input *in, const struct verdict *v, char *out,
                         size_t size)
{
	static const char *const what[CH_COUNT] = {"incoming email", "outgoing email",
	                                           "appointments, contacts, and tasks"};
	size_t n = (size_t)snprintf(out, size,
	                            "Your mailbox is now connected to Dynamics 365. The mailbox %s "
	                            "was tested and enabled for ",
	                            in->name);
	bool first = true;
	for (int ch = 0; ch < CH_COUNT && n < size; ch++) {
		if (v->st[ch] != ST_OK)
			continue;
		n += (size_t)snprintf(out + n, size - n, "%s%s", first ? "" : "; ", what[ch]);
		first = false;
	}
	if (n < size)
		snprintf(out + n, size - n, ".");
}

static void verdict_write(const struct test_input *in, const struct verdict *v)
{
	const struct entity *e = schema_entities[E_MAILBOX];
	struct row *m = store_find(E_MAILBOX, &in->id);
	if (!m)
		return;
	static const char *const status_col[CH_COUNT] = {"incomingemailstatus",
	                                                 "outgoingemailstatus", "actstatus"};
	static const char *const enabled_col[CH_COUNT] = {
	    "enabledforincomingemail", "enabledforoutgoingemail", "enabledforact"};
	bool any_fail = false, any_ok = false;
	for (int ch = 0; ch < CH_COUNT; ch++) {
		store_set_int(e, m, status_col[ch], v->st[ch]);
		if (v->st[ch] != ST_NOTRUN)
			store_set_int(e, m, enabled_col[ch], v->st[ch] == ST_OK);
		any_fail |= v->st[ch] == ST_FAIL;
		any_ok |= v->st[ch] == ST_OK;
		if (v->st[ch] == ST_FAIL && in->alert_errors)
			alert_write(&in->id, 3, v->code[ch], false, v->text[ch], v->type[ch],
			            v->details[ch]);
	}
	int64_t now = sim_clock_now();
	store_set_int(e, m, "mailboxstatus", any_fail ? ST_FAIL : any_ok ? ST_OK : ST_NOTRUN);
	store_set_int(e, m, "testmailboxaccesscompletedon", now);
	store_set_int(e, m, "testandenablelastattemptedon", now);
	store_set_int(e, m, "testemailconfigurationscheduled", 0);
	store_set_int(e, m, "testemailconfigurationretrycount",
	              store_get_int(e, m, "testemailconfigurationretrycount", 0) + 1);
	if (any_fail) {
		for (int ch = 0; ch < CH_COUNT; ch++)
			if (v->st[ch] == ST_FAIL) {
				store_set_str(e, m, "lastsyncerror", v->text[ch]);
				store_set_int(e, m, "lastsyncerroroccurredon", now);
				break;
			}
	} else if (any_ok) {
		store_set_int(e, m, "lastsuccessfulsynccompletedon", now);
	}
	store_touch(e, m);
	if (any_ok && !any_fail && in->alert_info) {
		char text[1200];
		success_text(in, v, text, sizeof text);
		alert_write(&in->id, 1, TC_SUCCESS, true, text, "TestAndEnableSucceeded", NULL);
	}
}

static void *worker(void *arg)
{
	(void)arg;
	struct test_input *in = malloc(sizeof *in);
	struct verdict *v = malloc(sizeof *v);
	if (!in || !v)
		abort();
	pthread_mutex_lock(&sim_lock);
	struct guid id;
	while (job_take(&id)) {
		if (!input_read(&id, in))
			continue;
		pthread_mutex_unlock(&sim_lock);
		memset(v, 0, sizeof *v);
		for (int ch = 0; ch < CH_COUNT; ch++)
			decide_channel(in, ch, v);
		pthread_mutex_lock(&sim_lock);
		verdict_write(in, v);
	}
	pthread_mutex_unlock(&sim_lock);
	free(in);
	free(v);
	return NULL;
}

void testjob_start(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&jobs_cond, &attr);
	pthread_condattr_destroy(&attr);
	jobs = calloc(MAX_JOBS, sizeof *jobs);
	if (!jobs)
		abort();
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&workers[i], NULL, worker, NULL);
}

void testjob_stop(void)
{
	pthread_mutex_lock(&sim_lock);
	stopping = true;
	pthread_cond_broadcast(&jobs_cond);
	pthread_mutex_unlock(&sim_lock);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(workers[i], NULL);
	free(jobs);
	jobs = NULL;
	pthread_cond_destroy(&jobs_cond);
}
