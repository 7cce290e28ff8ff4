/* explain.c — the alert/cause table (see explain.h), parsed once from the
 * embedded data/alerts.tsv. */
#include "core/model/explain.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/model/model.h"

extern const char embedded_alerts_tsv[];

typedef struct row {
	ec_cause c;
	bool by_code;
	char *pattern;
	char *folded; /* lowercase pattern for text matching */
} row;

static row *rows;
static int nrows;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static char *lower(const char *s)
{
	char *d = ec_strdup(s);
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return d;
}

/* Splits one line into its five tab-separated fields (in place). */
static bool split(char *line, char *f[5])
{
	for (int i = 0; i < 5; i++) {
		f[i] = line;
		line = strchr(line, i < 4 ? '\t' : '\n');
		if (!line)
			return i == 4;
		*line++ = '\0';
	}
	return true;
}

static void load(void)
{
	char *text = ec_strdup(embedded_alerts_tsv), *line = text, *next;
	for (; line && *line; line = next) {
		char *f[5];
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#' || !line[0] || !split(line, f))
			continue;
		rows = ec_xrealloc(rows, sizeof *rows * (unsigned long)(nrows + 1));
		rows[nrows].c.cause = ec_strdup(f[0]);
		rows[nrows].by_code = strcmp(f[1], "code") == 0;
		rows[nrows].pattern = ec_strdup(f[2]);
		rows[nrows].folded = lower(f[2]);
		rows[nrows].c.title = ec_strdup(f[3]);
		rows[nrows].c.fix = ec_strdup(f[4]);
		nrows++;
	}
	free(text);
}

int explain_count(void)
{
	pthread_once(&once, load);
	return nrows;
}

const ec_cause *explain_alert(const char *text, long long code)
{
	char num[32], *folded;
	const ec_cause *found = NULL;
	pthread_once(&once, load);
	snprintf(num, sizeof num, "%lld", code);
	folded = lower(text ? text : "");
	for (int i = 0; i < nrows && !found; i++) {
		if (rows[i].by_code ? strcmp(rows[i].pattern, num) == 0
		                    : strstr(folded, rows[i].folded) != NULL)
			found = &rows[i].c;
	}
	free(folded);
	return found;
}

const ec_cause *explain_code(const char *code)
{
	pthread_once(&once, load);
	for (int i = 0; code && i < nrows; i++) {
		size_t n = strlen(rows[i].pattern);
		if (rows[i].by_code && strncmp(code, rows[i].pattern, n) == 0 &&
		    (code[n] == '\0' || code[n] == '.'))
			return &rows[i].c;
	}
	return NULL;
}

int explain_has_cause(const char *slug)
{
	pthread_once(&once, load);
	for (int i = 0; slug && i < nrows; i++)
		if (strcasecmp(rows[i].c.cause, slug) == 0)
			return 1;
	return 0;
}

void explain_list_causes(char *buf, unsigned long size)
{
	size_t used = 0;
	pthread_once(&once, load);
	buf[0] = '\0';
	for (int i = 0; i < nrows && used < size; i++) {
		bool seen = rows[i].by_code;
		for (int j = 0; j < i && !seen; j++)
			seen = !rows[j].by_code && strcmp(rows[j].c.cause, rows[i].c.cause) == 0;
		if (!seen)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
			                         rows[i].c.cause);
	}
}
