/* explain.h — plain-language causes and fixes for the organization's
 * alerts (tracelogs) and for emailcfg's own probe failures, from the table
 * in data/alerts.tsv (compiled into the binary). Read-only data. */
#ifndef EMAILCFG_EXPLAIN_H
#define EMAILCFG_EXPLAIN_H

typedef struct ec_cause {
	const char *cause; /* stable slug: alerts --summary groups by it */
	const char *title; /* the cause in plain words */
	const char *fix;   /* what to do */
} ec_cause;

/* The cause of an alert: the first row whose code equals the alert's code
 * or whose text appears in the alert's text (case-insensitive); NULL when
 * none does. */
const ec_cause *explain_alert(const char *text, long long code);

/* The cause of a probe or API failure code ("probe.tls.untrusted"); a row
 * matches the code itself or a prefix ending at a dot. NULL when unknown. */
const ec_cause *explain_code(const char *code);

/* Whether slug is the cause of some row (case-insensitive). */
int explain_has_cause(const char *slug);

/* The distinct causes of the alerts' (text) rows, in table order, as
 * "test-enabled, act-unsupported, ...", for error messages. */
void explain_list_causes(char *buf, unsigned long size);

/* The number of rows in the table (for tests and docs). */
int explain_count(void);

#endif
