/* generate.c — deterministic synthetic mailboxes (see generate.h). */
#include "generate.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "load.h"
#include "store.h"

struct name {
	const char *display;
	const char *ascii;
};

static const struct name first_names[] = {
    {"Ana", "ana"},       {"Matej", "matej"},     {"Žiga", "ziga"},     {"Špela", "spela"},
    {"Nejc", "nejc"},     {"Tjaša", "tjasa"},     {"Urška", "urska"},   {"Luka", "luka"},
    {"Maša", "masa"},     {"Jože", "joze"},       {"Mojca", "mojca"},   {"Blaž", "blaz"},
    {"Nataša", "natasa"}, {"Boštjan", "bostjan"}, {"Petra", "petra"},   {"Gašper", "gasper"},
    {"Katja", "katja"},   {"Aljaž", "aljaz"},     {"Živa", "ziva"},     {"Đurđica", "durdica"},
    {"Tomaž", "tomaz"},   {"Metka", "metka"},     {"Andraž", "andraz"}, {"Klemen", "klemen"},
};

static const struct name last_names[] = {
    {"Novak", "novak"},   {"Horvat", "horvat"},     {"Kovačič", "kovacic"},
    {"Krajnc", "krajnc"}, {"Zupančič", "zupancic"}, {"Potočnik", "potocnik"},
    {"Kovač", "kovac"},   {"Mlakar", "mlakar"},     {"Kos", "kos"},
    {"Vidmar", "vidmar"}, {"Golob", "golob"},       {"Turk", "turk"},
    {"Božič", "bozic"},   {"Kralj", "kralj"},       {"Žužek", "zuzek"},
    {"Ćirić", "ciric"},   {"Košir", "kosir"},       {"Jereb", "jereb"},
    {"Hribar", "hribar"}, {"Oblak", "oblak"},       {"Rozman", "rozman"},
    {"Petek", "petek"},   {"Kolar", "kolar"},       {"Šinkovec", "sinkovec"},
};

static const struct name exotic_names[] = {
    {"王伟", "wang.wei"},          {"李娜", "li.na"},
    {"佐藤 花子", "sato.hanako"},  {"김민준", "kim.minjun"},
    {"Ana 🚀 Novak", "ana.rocket"}, {"Marko 😀 Kos", "marko.smile"},
};

static const struct name queue_names[] = {
    {"Podpora", "podpora"},
    {"Prodaja", "prodaja"},
    {"Računovodstvo", "racunovodstvo"},
    {"Nabava", "nabava"},
    {"Kadrovska služba", "kadri"},
    {"Logistika", "logistika"},
    {"Reklamacije", "reklamacije"},
    {"Servis", "servis"},
    {"Marketing", "marketing"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rng_pct(uint64_t *s)
{
	return (unsigned)(rng_next(s) % 100);
}

static void rng_guid(uint64_t *s, struct guid *g)
{
	uint64_t a = rng_next(s), b = rng_next(s);
	memcpy(g->b, &a, 8);
	memcpy(g->b + 8, &b, 8);
	g->b[6] = (uint8_t)((g->b[6] & 0x0f) | 0x40);
	g->b[8] = (uint8_t)((g->b[8] & 0x3f) | 0x80);
}

struct profiles {
	const struct row *exchange, *imap, *pop;
};

static struct row *profile_add(const char *name, int type, const char *in, const char *out,
                               int in_port, int out_port)
{
	const struct entity *e = schema_entities[E_PROFILE];
	struct row *p = store_row_new(e);
	store_set_str(e, p, "name", name);
	store_set_int(e, p, "servertype", type);
	store_set_str(e, p, "incomingserverlocation", in);
	store_set_str(e, p, "outgoingserverlocation", out);
	if (in_port)
		store_set_int(e, p, "incomingportnumber", in_port);
	if (out_port)
		store_set_int(e, p, "outgoingportnumber", out_port);
	store_set_int(e, p, "incomingcredentialretrieval", type == 0 ? 2 : 1);
	store_set_int(e, p, "outgoingcredentialretrieval", type == 0 ? 2 : 1);
	store_insert(E_PROFILE, p);
	return p;
}

static void profiles_find(struct profiles *ps)
{
	const struct entity *e = schema_entities[E_PROFILE];
	const struct table *tb = &store_tables[E_PROFILE];
	memset(ps, 0, sizeof *ps);
	for (size_t i = 0; i < tb->n; i++) {
		int64_t type = store_get_int(e, tb->rows[i], "servertype", 0);
		const struct row **slot = type == 0   ? &ps->exchange
		                          : type == 4 ? &ps->imap
		                          : type == 1 ? &ps->pop
		                                      : NULL;
		if (slot && !*slot)
			*slot = tb->rows[i];
	}
	char ews[96];
	snprintf(ews, sizeof ews, "%s/EWS/Exchange.asmx", sim_cfg.base_url);
	if (!ps->exchange)
		ps->exchange = profile_add("Microsoft Exchange Online", 0, ews, ews, 0, 0);
	if (!ps->imap)
		ps->imap = profile_add("IMAP/SMTP (generated)", 4, "127.0.0.1", "127.0.0.1", 1, 2);
	if (!ps->pop)
		ps->pop = profile_add("POP3/SMTP (generated)", 1, "127.0.0.1", "127.0.0.1", 3, 4);
}

struct person {
	char name[160];
	char email[200];
	char first[80], last[80];
	int kind; /* 0 forward, 1 user, 2 queue */
	struct guid owner;
};

static void person_make(uint64_t *s, long i, struct person *p)
{
	unsigned k = rng_pct(s);
	p->kind = k < 1 ? 0 : k < 10 ? 2 : 1;
	if (p->kind == 0) {
		snprintf(p->name, sizeof p->name, "Posredovanje %ld", i);
		snprintf(p->email, sizeof p->email, "posredovanje.%ld@kovinoplast.si", i);
	} else if (p->kind == 2) {
		const struct name *q = &queue_names[rng_next(s) % COUNT(queue_names)];
		snprintf(p->name, sizeof p->name, "%s %ld", q->display, i);
		snprintf(p->email, sizeof p->email, "%s.%ld@kovinoplast.si", q->ascii, i);
	} else if (rng_pct(s) < 2) {
		const struct name *x = &exotic_names[rng_next(s) % COUNT(exotic_names)];
		snprintf(p->name, sizeof p->name, "%s", x->display);
		snprintf(p->first, sizeof p->first, "%s", x->display);
		snprintf(p->last, sizeof p->last, "%s", x->display);
		snprintf(p->email, sizeof p->email, "%s.%ld@kovinoplast.si", x->ascii, i);
	} else {
		const struct name *f = &first_names[rng_next(s) % COUNT(first_names)];
		const struct name *l = &last_names[rng_next(s) % COUNT(last_names)];
		snprintf(p->name, sizeof p->name, "%s %s", f->display, l->display);
		snprintf(p->first, sizeof p->first, "%s", f->display);
		snprintf(p->last, sizeof p->last, "%s", l->display);
		snprintf(p->email, sizeof p->email, "%s.%s.%ld@kovinoplast.si", f->ascii, l->ascii,
		         i);
	}
}

static void owner_add(const struct person *p, const struct guid *mailbox, int64_t when)
{
	enum entity_id t = p->kind == 1 ? E_SYSTEMUSER : E_QUEUE;
	const struct entity *e = schema_entities[t];
	struct row *r = store_row_new(e);
	r->v[e->pk].u.g = p->owner;
	if (t == E_SYSTEMUSER) {
		store_set_str(e, r, "fullname", p->name);
		store_set_str(e, r, "firstname", p->first);
		store_set_str(e, r, "lastname", p->last);
		store_set_str(e, r, "domainname", p->email);
		store_set_str(e, r, "internalemailaddress", p->email);
	} else {
		store_set_str(e, r, "name", p->name);
		store_set_str(e, r, "emailaddress", p->email);
		store_set_lookup(e, r, "_ownerid_value", 0, &sim_identity.user);
	}
	store_set_lookup(e, r, "_defaultmailbox_value", 0, mailbox);
	store_set_int(e, r, "createdon", when);
	store_set_int(e, r, "modifiedon", when);
	store_append(t, r);
}

static int pick_method(uint64_t *s, const int *values, const unsigned *cumulative, int n)
{
	unsigned k = rng_pct(s);
	for (int i = 0; i < n; i++)
		if (k < cumulative[i])
			return values[i];
	return values[n - 1];
}

static void methods_pick(uint64_t *s, int kind, int m[3])
{
	static const int user_in[] = {2, 1, 0, 3}, user_out[] = {2, 1, 0}, user_act[] = {1, 0, 2};
	static const unsigned ui[] = {70, 80, 90, 100}, uo[] = {75, 85, 100}, ua[] = {60, 85, 100};
	static const int queue_in[] = {2, 0, 3}, queue_out[] = {2, 0};
	static const unsigned qi[] = {80, 90, 100}, qo[] = {80, 100};
	if (kind == 1) {
		m[0] = pick_method(s, user_in, ui, 4);
		m[1] = pick_method(s, user_out, uo, 3);
		m[2] = pick_method(s, user_act, ua, 3);
	} else if (kind == 2) {
		m[0] = pick_method(s, queue_in, qi, 3);
		m[1] = pick_method(s, queue_out, qo, 2);
		m[2] = 2;
	} else {
		m[0] = 2;
		m[1] = 0;
		m[2] = 2;
	}
}

static void alert_add(uint64_t *s, const struct guid *mailbox, const char *name, int ch,
                      int64_t when)
{
	static const char *const texts[3] = {
	    "An error occurred in receiving email for the mailbox %s while connecting to the "
	    "email server. The system will try to receive email again later. Email Server "
	    "Error Code: Web server returned ConnectFailure exception.",
	    "An error occurred in sending email for the mailbox %s \"Your mailbox is now "
	    "connected to Dynamics 365\" while connecting to the email server. The system will "
	    "try to send email again later. Email Server Error Code: Web server returned "
	    "ConnectFailure exception.",
	    "Appointments, contacts, and tasks can't be synchronized for the mailbox %s because "
	    "an error occurred while connecting to the email server. Email Server Error Code: "
	    "Web server returned ConnectFailure exception."};
	const struct entity *e = schema_entities[E_TRACELOG];
	struct row *r = store_row_new(e);
	char text[1000];
	rng_guid(s, &r->v[e->pk].u.g);
	text_fill(text, sizeof text, texts[ch], name);
	store_set_str(e, r, "text", text);
	store_set_int(e, r, "level", 3);
	store_set_int(e, r, "tracecode", 70031 + ch);
	store_set_int(e, r, "tracestatus", 0);
	store_set_str(e, r, "errortypedisplay", "ConnectFailure");
	store_set_lookup(e, r, "_regardingobjectid_value", 0, mailbox);
	store_set_int(e, r, "createdon", when);
	store_set_int(e, r, "modifiedon", when);
	store_append(E_TRACELOG, r);
}

static const struct row *profile_pick(uint64_t *s, const struct profiles *ps)
{
	unsigned k = rng_pct(s);
	return k < 70 ? ps->exchange : k < 82 ? ps->imap : k < 92 ? ps->pop : NULL;
}

static int64_t approval_pick(uint64_t *s)
{
	unsigned k = rng_pct(s);
	return k < 80 ? 1 : k < 94 ? 2 : k < 99 ? 0 : 3;
}

static void statuses_set(uint64_t *s, const struct entity *e, struct row *m, const int methods[3],
                         int failed[3])
{
	static const char *const st[3] = {"incomingemailstatus", "outgoingemailstatus",
	                                  "actstatus"};
	static const char *const en[3] = {"enabledforincomingemail", "enabledforoutgoingemail",
	                                  "enabledforact"};
	bool any_fail = false, any_ok = false;
	for (int ch = 0; ch < 3; ch++) {
		bool sss = ch == 2 ? methods[ch] == 1 : methods[ch] == 2;
		unsigned k = rng_pct(s);
		int v = !sss ? 0 : k < 80 ? 1 : k < 90 ? 2 : 0;
		failed[ch] = v == 2;
		any_fail |= v == 2;
		any_ok |= v == 1;
		store_set_int(e, m, st[ch], v);
		store_set_int(e, m, en[ch], v != 2);
	}
	store_set_int(e, m, "mailboxstatus", any_fail ? 2 : any_ok ? 1 : 0);
}

/* What the organization last reported of the mailbox's synchronization: an
 * Exchange mailbox's EWS URL, the last good sync of one that works, and the
 * error, its code (a WebException's HRESULT) and time of one that fails.
 * Draws nothing from the generator, so every other value stays as it was. */
static void sync_report_set(const struct entity *e, struct row *m, bool exchange, const char *name,
                            int64_t when)
{
	char text[600];
	int64_t status = store_get_int(e, m, "mailboxstatus", 0);
	if (exchange)
		store_set_str(e, m, "ewsurl", "https://outlook.office365.com/EWS/Exchange.asmx");
	if (status == 1)
		store_set_int(e, m, "lastsuccessfulsynccompletedon", when - 1800);
	if (status != 2)
		return;
	text_fill(text, sizeof text,
	          "System.Net.WebException: Unable to connect to the remote server for the "
	          "mailbox %s: ConnectFailure",
	          name);
	store_set_str(e, m, "lastsyncerror", text);
	store_set_int(e, m, "lastsyncerrorcode", -2146233079);
	store_set_int(e, m, "lastsyncerroroccurredon", when - 3600);
}

static void mailbox_add(uint64_t *s, long i, const struct profiles *ps)
{
	const struct entity *e = schema_entities[E_MAILBOX];
	struct person p;
	struct row *m = store_row_new(e);
	int64_t when = 1704697200 + (int64_t)i * 53;
	rng_guid(s, &m->v[e->pk].u.g);
	person_make(s, i, &p);
	store_set_str(e, m, "name", p.name);
	store_set_str(e, m, "emailaddress", p.email);
	if (p.kind) {
		rng_guid(s, &p.owner);
		store_set_lookup(e, m, "_regardingobjectid_value", p.kind == 1 ? 0 : 1, &p.owner);
		owner_add(&p, row_id(m), when - 86400 * 30);
	}
	store_set_int(e, m, "isforwardmailbox", p.kind == 0);
	/* Most mailboxes sync from this organization only; every seventh not. */
	store_set_int(e, m, "orgmarkedasprimaryforexchangesync", i % 7 != 3);
	store_set_lookup(e, m, "_ownerid_value", 0, p.kind == 1 ? &p.owner : &sim_identity.user);
	const struct row *prof = profile_pick(s, ps);
	if (prof)
		store_set_lookup(e, m, "_emailserverprofile_value", 0, row_id(prof));
	int methods[3], failed[3];
	methods_pick(s, p.kind, methods);
	store_set_int(e, m, "incomingemaildeliverymethod", methods[0]);
	store_set_int(e, m, "outgoingemaildeliverymethod", methods[1]);
	store_set_int(e, m, "actdeliverymethod", methods[2]);
	store_set_int(e, m, "emailrouteraccessapproval", p.kind ? approval_pick(s) : 0);
	statuses_set(s, e, m, methods, failed);
	if (rng_pct(s) < 4) {
		store_set_int(e, m, "statecode", 1);
		store_set_int(e, m, "statuscode", 2);
	}
	if (store_get_int(e, m, "mailboxstatus", 0))
		store_set_int(e, m, "testmailboxaccesscompletedon", when - 3600);
	store_set_int(e, m, "createdon", when - 86400 * 30);
	store_set_int(e, m, "modifiedon", when);
	sync_report_set(e, m, prof == ps->exchange, p.name, when);
	for (int ch = 0; ch < 3; ch++)
		if (failed[ch])
			alert_add(s, row_id(m), p.name, ch, when - 3600);
	store_append(E_MAILBOX, m);
}

void generate_mailboxes(long n, uint64_t seed)
{
	struct profiles ps;
	uint64_t s = seed ^ 0x656d61696c636667ull; /* "emailcfg" */
	profiles_find(&ps);
	for (long i = 1; i <= n; i++)
		mailbox_add(&s, i, &ps);
	store_sort(E_SYSTEMUSER);
	store_sort(E_QUEUE);
	store_sort(E_MAILBOX);
	store_sort(E_TRACELOG);
}
