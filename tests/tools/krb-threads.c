/* krb-threads.c — test tool: two threads of one process signing in by
 * Kerberos at once, each with its own password ticket (kerberos_kinit()
 * into its own MEMORY: cache) and its own HTTP handle, as the console's UI
 * thread and background worker do with auth = windows and user@REALM
 * (run by tests/integration/client_windows_kerberos.sh against emailcfg-sim
 * and a real KDC). Each round opens a fresh handle, so every request runs
 * a new GSS-API handshake in its thread while the other thread runs its
 * own. The first principal is a CRM user (every answer must be 200), the
 * second is not (every answer must be 401): a request signed with the
 * other thread's ticket shows as a wrong status.
 *
 *   krb-threads URL ROUNDS PRINCIPAL_OK PRINCIPAL_REFUSED
 *
 * The passwords come from KRB_THREADS_PW_OK and KRB_THREADS_PW_REFUSED.
 * Prints one line per principal; exit 1 when any answer was wrong. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/client/http.h"
#include "core/client/kerberos.h"

struct signer {
	const char *url, *principal, *password;
	long want;
	int rounds, wrong;
	char ccache[96];
};

/* Both tickets are got before either thread sends: the rounds overlap. */
static pthread_barrier_t start;

static int signer_round(struct signer *s)
{
	ec_http_opts o;
	ec_http *h = NULL;
	ec_http_response r = {0};
	ec_error err = {0};
	const char *hdrs[] = {"Accept: application/json", NULL};
	int ok;
	http_opts_default(&o);
	o.max_attempts = 1;
	if (http_open(&o, &h, &err) != EC_OK) {
		fprintf(stderr, "krb-threads: %s\n", err.msg);
		return 0;
	}
	http_set_windows_auth(h, NULL, NULL, true, false, s->ccache);
	ok = http_request(h, "GET", s->url, hdrs, NULL, &r, &err) == EC_OK && r.status == s->want;
	if (!ok)
		fprintf(stderr, "krb-threads: %s got %ld, wanted %ld\n", s->principal, r.status,
		        s->want);
	http_response_free(&r);
	http_close(h);
	return ok;
}

static void *signer_main(void *p)
{
	struct signer *s = p;
	ec_error err = {0};
	time_t ends;
	if (kerberos_kinit(s->principal, s->password, NULL, s->ccache, sizeof s->ccache, &ends,
	                   &err) != KERBEROS_OK) {
		fprintf(stderr, "krb-threads: kinit %s: %s\n", s->principal, err.msg);
		s->wrong = s->rounds;
	}
	pthread_barrier_wait(&start);
	if (s->wrong)
		return NULL;
	for (int i = 0; i < s->rounds; i++)
		s->wrong += !signer_round(s);
	kerberos_forget(s->ccache);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[2];
	struct signer s[2] = {{0}, {0}};
	if (argc != 5 || !getenv("KRB_THREADS_PW_OK") || !getenv("KRB_THREADS_PW_REFUSED")) {
		fprintf(stderr, "usage: krb-threads URL ROUNDS PRINCIPAL_OK PRINCIPAL_REFUSED\n");
		return 2;
	}
	pthread_barrier_init(&start, NULL, 2);
	for (int i = 0; i < 2; i++) {
		s[i].url = argv[1];
		s[i].rounds = atoi(argv[2]);
		s[i].principal = argv[3 + i];
		s[i].password = getenv(i ? "KRB_THREADS_PW_REFUSED" : "KRB_THREADS_PW_OK");
		s[i].want = i ? 401 : 200;
		if (pthread_create(&t[i], NULL, signer_main, &s[i]) != 0)
			return 2;
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++)
		printf("%s: %d of %d wrong\n", s[i].principal, s[i].wrong, s[i].rounds);
	return s[0].wrong || s[1].wrong;
}
