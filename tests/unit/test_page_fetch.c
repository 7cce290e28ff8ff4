/* test_page_fetch.c — the read-ahead thread (core/client/page_fetch.c)
 * against a loopback HTTP server of its own, so that every interleaving of
 * the two threads can be forced: a right guess read from the queue, a wrong
 * guess thrown away (no byte of it reaches the caller), a page dropped
 * while the fetch thread waits for room, a fault on the guessed page, a
 * cancel while a guessed fetch is in flight, the memory bound (the socket
 * is not read past the queue), and the bounds on what is guessed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/client/page_fetch.h"

enum mode { M_OK, M_DROP, M_SLOW, M_429, M_STALL };

typedef struct route {
	const char *path;
	size_t size;      /* bytes of filler */
	char fill;        /* the filler byte: each page its own */
	const char *next; /* path of the nextLink, or NULL */
	enum mode mode;
	/* Counted by the server. */
	int requests;
	size_t sent;
	bool whole; /* the last answer went out whole */
} route;

static route routes[8];
static int nroutes;
static long routes_gen; /* a connection left from an earlier test counts nothing */
static int port;
static pthread_mutex_t srv_lock = PTHREAD_MUTEX_INITIALIZER;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static route *route_find(const char *path)
{
	for (int i = 0; i < nroutes; i++)
		if (strcmp(routes[i].path, path) == 0)
			return &routes[i];
	return NULL;
}

/* The body of a route: {"value":["<filler>"],"@odata.nextLink":"..."}. */
static char *body_of(const route *r, size_t *len)
{
	char head[] = "{\"value\":[\"", tail[256];
	size_t n;
	char *b;
	if (r->next)
		snprintf(tail, sizeof tail,
		         "\"],\"@odata.nextLink\":\"http:\\/\\/127.0.0.1:%d%s\"}", port, r->next);
	else
		snprintf(tail, sizeof tail, "\"]}");
	n = strlen(head) + r->size + strlen(tail);
	b = malloc(n + 1);
	memcpy(b, head, strlen(head));
	memset(b + strlen(head), r->fill, r->size);
	memcpy(b + strlen(head) + r->size, tail, strlen(tail) + 1);
	*len = n;
	return b;
}

/* Sends n bytes; each sent one counted to routes[idx] (idx -1: none) while
 * the routes are still those of generation gen. */
static bool send_all(int fd, const char *p, size_t n, int idx, long gen)
{
	while (n) {
		ssize_t k = send(fd, p, n < 65536 ? n : 65536, MSG_NOSIGNAL);
		if (k <= 0)
			return false;
		p += k, n -= (size_t)k;
		pthread_mutex_lock(&srv_lock);
		if (idx >= 0 && gen == routes_gen)
			routes[idx].sent += (size_t)k;
		pthread_mutex_unlock(&srv_lock);
	}
	return true;
}

/* One connection: keep-alive GETs, answered by route. */
static void *serve_conn(void *arg)
{
	int fd = (int)(long)arg;
	char req[8192];
	size_t have = 0;
	for (;;) {
		char *end, path[512] = "", hdr[256];
		ssize_t k;
		route *found, rt, *r = &rt; /* a copy: the test may change the routes */
		int idx = -1;
		long gen;
		size_t len;
		char *body;
		while (!(end = memmem(req, have, "\r\n\r\n", 4))) {
			if (have == sizeof req ||
			    (k = recv(fd, req + have, sizeof req - have, 0)) <= 0)
				goto out;
			have += (size_t)k;
		}
		sscanf(req, "GET %511s", path);
		memmove(req, end + 4, have - (size_t)(end + 4 - req));
		have -= (size_t)(end + 4 - req);
		pthread_mutex_lock(&srv_lock);
		found = route_find(path);
		gen = routes_gen;
		if (found) {
			found->requests++;
			found->sent = 0;
			found->whole = false;
			idx = (int)(found - routes);
			rt = *found;
		} else {
			r = NULL;
		}
		pthread_mutex_unlock(&srv_lock);
		if (!r || r->mode == M_429) {
			const char *a = r ? "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\n"
			                    "Content-Length: 2\r\n\r\n{}"
			                  : "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}";
			if (!send_all(fd, a, strlen(a), -1, gen))
				goto out;
			continue;
		}
		if (r->mode == M_SLOW)
			sleep_ms(5000);
		body = body_of(r, &len);
		snprintf(hdr, sizeof hdr,
		         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		         "Preference-Applied: odata.track-changes\r\nContent-Length: %zu\r\n\r\n",
		         len);
		if (r->mode == M_STALL && send_all(fd, hdr, strlen(hdr), -1, gen) &&
		    send_all(fd, body, len / 2, idx, gen))
			sleep_ms(10000); /* libcurl sees the stall after 5-6 s: its speed is a 5 s
			                    average */
		if (r->mode == M_STALL || !send_all(fd, hdr, strlen(hdr), -1, gen) ||
		    !send_all(fd, body, r->mode == M_DROP ? len / 2 : len, idx, gen) ||
		    r->mode == M_DROP) {
			free(body);
			goto out;
		}
		free(body);
		pthread_mutex_lock(&srv_lock);
		if (gen == routes_gen)
			routes[idx].whole = true;
		pthread_mutex_unlock(&srv_lock);
	}
out:
	close(fd);
	return NULL;
}

static void *serve(void *arg)
{
	int ls = (int)(long)arg;
	for (;;) {
		pthread_t t;
		int fd = accept(ls, NULL, NULL);
		if (fd < 0)
			return NULL;
		pthread_create(&t, NULL, serve_conn, (void *)(long)fd);
		pthread_detach(t);
	}
}

static int server_setup(void **state)
{
	struct sockaddr_in a = {0};
	socklen_t n = sizeof a;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	pthread_t t;
	(void)state;
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 16) != 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &n) != 0)
		return -1;
	port = ntohs(a.sin_port);
	pthread_create(&t, NULL, serve, (void *)(long)ls);
	pthread_detach(t);
	return 0;
}

static void routes_set(const route *rs, int n)
{
	pthread_mutex_lock(&srv_lock);
	memcpy(routes, rs, (size_t)n * sizeof *rs);
	nroutes = n;
	routes_gen++;
	pthread_mutex_unlock(&srv_lock);
}

static route route_get(const char *path)
{
	route r;
	pthread_mutex_lock(&srv_lock);
	r = *route_find(path);
	pthread_mutex_unlock(&srv_lock);
	return r;
}

/* ---- the fetcher under test ---------------------------------------------- */

typedef struct rig {
	ec_http *http;
	atomic_int abort, cancel;
	page_fetch *f;
	bool refuse_guesses;
	long stall_s; /* 0: 5 s */
} rig;

static bool guess_ok(void *ctx, const char *url)
{
	rig *g = ctx;
	return !g->refuse_guesses && strncmp(url, "http://127.0.0.1:", 17) == 0;
}

static void rig_start(rig *g, long max_requests)
{
	ec_http_opts o;
	ec_error err = {0};
	http_opts_default(&o);
	o.max_attempts = 1;
	o.stall_s = g->stall_s ? g->stall_s : 5;
	o.sink.cancel = &g->abort;
	atomic_init(&g->cancel, 0);
	assert_int_equal(http_open(&o, &g->http, &err), EC_OK);
	assert_int_equal(page_fetch_start(g->http, &g->abort, guess_ok, g, max_requests, &g->cancel,
	                                  &g->f, &err),
	                 EC_OK);
}

static void rig_stop(rig *g)
{
	page_fetch_stop(g->f);
	http_close(g->http);
}

static bool want(rig *g, const char *path)
{
	char url[256];
	const char *hdrs[] = {"Accept: application/json", NULL};
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	return page_fetch_want(g->f, url, hdrs);
}

/* Reads the wanted page to its end; its bytes must be route's body. */
static page_fetch_result read_page(rig *g, const route *r)
{
	page_fetch_result res;
	const char *data;
	size_t len, at = 0, blen;
	char *body = body_of(r, &blen);
	while (page_fetch_read(g->f, &data, &len, &res)) {
		assert_true(at + len <= blen);
		assert_memory_equal(data, body + at, len);
		at += len;
	}
	if (res.ok)
		assert_int_equal(at, blen);
	free(body);
	free(res.preference_applied);
	return res;
}

/* Waits up to 3 s for path to have been asked n times. */
static void wait_requests(const char *path, int n)
{
	long until = now_ms() + 3000;
	while (route_get(path).requests < n && now_ms() < until)
		sleep_ms(5);
	assert_int_equal(route_get(path).requests, n);
}

/* Serves rs, starts a fetcher, reads /p1 (rs[0]) whole, then waits for
 * the guess at guess to be asked for (none when guess is NULL). */
static void open_with_first(rig *g, const route *rs, int n, long max_requests, const char *guess)
{
	routes_set(rs, n);
	rig_start(g, max_requests);
	assert_false(want(g, "/p1"));
	assert_true(read_page(g, &rs[0]).ok);
	if (guess)
		wait_requests(guess, 1);
}

/* The guess is requested as soon as p1 has arrived, and p2's bytes are
 * p2's, read from the queue without another request. */
static void test_right_guess(void **state)
{
	route rs[] = {{"/p1", 3 << 20, 'a', "/p2", M_OK, 0, 0, false},
	              {"/p2", 3 << 20, 'b', NULL, M_OK, 0, 0, false}};
	rig g = {0};
	(void)state;
	open_with_first(&g, rs, 2, 100, "/p2");
	assert_true(want(&g, "/p2"));
	assert_true(read_page(&g, &rs[1]).ok);
	assert_int_equal(route_get("/p2").requests, 1);
	rig_stop(&g);
}

/* The walk wants another page than the guess: the guess is ended and
 * nothing of it is read; the other page is asked for and read whole. */
static void test_wrong_guess(void **state)
{
	route rs[] = {{"/p1", 1 << 20, 'a', "/p2", M_OK, 0, 0, false},
	              {"/p2", 40 << 20, 'b', NULL, M_OK, 0, 0, false},
	              {"/q", 1 << 20, 'q', NULL, M_OK, 0, 0, false}};
	rig g = {0};
	(void)state;
	open_with_first(&g, rs, 3, 100, "/p2");
	assert_false(want(&g, "/q"));
	assert_true(read_page(&g, &rs[2]).ok);
	sleep_ms(200);
	assert_false(route_get("/p2").whole);
	rig_stop(&g);
}

/* A page larger than the queue: the server cannot send it all while the
 * caller reads nothing (the memory bound); dropped, its transfer ends and
 * the next page is read whole. */
static void test_bound_and_drop(void **state)
{
	route rs[] = {{"/big", 40 << 20, 'g', "/p2", M_OK, 0, 0, false},
	              {"/p2", 1 << 20, 'b', NULL, M_OK, 0, 0, false}};
	page_fetch_result res;
	const char *data;
	size_t len, sent;
	rig g = {0};
	(void)state;
	routes_set(rs, 2);
	rig_start(&g, 100);
	assert_false(want(&g, "/big"));
	assert_true(page_fetch_read(g.f, &data, &len, &res));
	sleep_ms(500);
	/* The queue, libcurl's buffer and the sockets' buffers: far less. */
	sent = route_get("/big").sent;
	assert_true(sent < (size_t)24 << 20);
	page_fetch_drop(g.f);
	sleep_ms(500);
	/* Ended: not read on into the room the drop made. */
	assert_true(route_get("/big").sent < sent + ((size_t)4 << 20));
	assert_false(want(&g, "/p2"));
	assert_true(read_page(&g, &rs[1]).ok);
	assert_false(route_get("/big").whole);
	assert_int_equal(route_get("/p2").requests, 1);
	rig_stop(&g);
}

/* The guessed page drops its connection halfway: the caller gets its
 * first bytes and then a failed end (it reads the page again its own way),
 * never a whole page. */
static void test_fault_on_guess(void **state)
{
	route rs[] = {{"/p1", 1 << 20, 'a', "/drop", M_OK, 0, 0, false},
	              {"/drop", 4 << 20, 'd', NULL, M_DROP, 0, 0, false},
	              {"/t", 1 << 10, 't', NULL, M_429, 0, 0, false}};
	page_fetch_result res;
	rig g = {0};
	(void)state;
	open_with_first(&g, rs, 3, 100, "/drop");
	assert_true(want(&g, "/drop"));
	res = read_page(&g, &rs[1]);
	assert_false(res.ok);
	assert_false(res.final);
	assert_false(want(&g, "/t")); /* 429: one attempt, a failed end */
	assert_int_equal(read_page(&g, &rs[2]).status, 429);
	assert_int_equal(route_get("/t").requests, 1);
	rig_stop(&g);
}

/* A guessed page that stalls: a final failure with the stall's own
 * sentence, so that the caller does not wait out the stall a second time;
 * a dropped connection is not final (test_fault_on_guess). */
static void test_stall_final(void **state)
{
	route rs[] = {{"/p1", 1 << 10, 'a', "/stall", M_OK, 0, 0, false},
	              {"/stall", 1 << 20, 's', NULL, M_STALL, 0, 0, false}};
	page_fetch_result res;
	rig g = {0};
	(void)state;
	g.stall_s = 1;
	open_with_first(&g, rs, 2, 100, "/stall");
	assert_true(want(&g, "/stall"));
	res = read_page(&g, &rs[1]);
	assert_false(res.ok);
	assert_true(res.final);
	assert_non_null(strstr(res.err.msg, "stopped answering"));
	rig_stop(&g);
}

/* A cancel while the guessed fetch waits for a slow server: the caller's
 * read ends at once with a failed end, not when the server answers. */
static void test_cancel_in_flight(void **state)
{
	route rs[] = {{"/p1", 1 << 20, 'a', "/slow", M_OK, 0, 0, false},
	              {"/slow", 1 << 20, 's', NULL, M_SLOW, 0, 0, false}};
	rig g = {0};
	long t0;
	(void)state;
	open_with_first(&g, rs, 2, 100, "/slow");
	atomic_store(&g.cancel, 1);
	t0 = now_ms();
	assert_true(want(&g, "/slow"));
	assert_false(read_page(&g, &rs[1]).ok);
	assert_true(now_ms() - t0 < 2500); /* libcurl looks about once a second */
	rig_stop(&g);
}

/* One page ahead, never two: while the caller is still on p1, p2 is read
 * ahead but p3 is not asked for; when the caller takes p2, p3 is. */
static void test_one_ahead(void **state)
{
	route rs[] = {{"/p1", 1 << 10, 'a', "/p2", M_OK, 0, 0, false},
	              {"/p2", 1 << 10, 'b', "/p3", M_OK, 0, 0, false},
	              {"/p3", 1 << 10, 'c', NULL, M_OK, 0, 0, false}};
	rig g = {0};
	(void)state;
	open_with_first(&g, rs, 3, 100, "/p2");
	sleep_ms(300);
	assert_int_equal(route_get("/p3").requests, 0);
	assert_true(want(&g, "/p2"));
	assert_true(read_page(&g, &rs[1]).ok);
	wait_requests("/p3", 1);
	assert_true(want(&g, "/p3"));
	assert_true(read_page(&g, &rs[2]).ok);
	assert_int_equal(route_get("/p2").requests, 1);
	assert_int_equal(route_get("/p3").requests, 1);
	rig_stop(&g);
}

/* No guess past max_requests, none the ok callback refuses, none of a URL
 * asked before (a loop). */
static void test_guess_bounds(void **state)
{
	route rs[] = {{"/p1", 1 << 10, 'a', "/p2", M_OK, 0, 0, false},
	              {"/p2", 1 << 10, 'b', "/p1", M_OK, 0, 0, false}};
	rig g = {0};
	(void)state;
	open_with_first(&g, rs, 2, 1, NULL);
	sleep_ms(300);
	assert_int_equal(route_get("/p2").requests, 0);
	rig_stop(&g);

	routes_set(rs, 2);
	memset(&g, 0, sizeof g);
	g.refuse_guesses = true;
	rig_start(&g, 100);
	assert_false(want(&g, "/p1"));
	assert_true(read_page(&g, &rs[0]).ok);
	sleep_ms(300);
	assert_int_equal(route_get("/p2").requests, 0);
	rig_stop(&g);

	routes_set(rs, 2);
	memset(&g, 0, sizeof g);
	rig_start(&g, 100);
	assert_false(want(&g, "/p1"));
	assert_true(read_page(&g, &rs[0]).ok);
	wait_requests("/p2", 1);
	assert_true(want(&g, "/p2"));
	assert_true(read_page(&g, &rs[1]).ok);
	sleep_ms(300);
	assert_int_equal(route_get("/p1").requests, 1); /* p2 names p1 again: a loop */
	rig_stop(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_right_guess),      cmocka_unit_test(test_wrong_guess),
	    cmocka_unit_test(test_bound_and_drop),   cmocka_unit_test(test_fault_on_guess),
	    cmocka_unit_test(test_cancel_in_flight), cmocka_unit_test(test_one_ahead),
	    cmocka_unit_test(test_stall_final),      cmocka_unit_test(test_guess_bounds),
	};
	return cmocka_run_group_tests(tests, server_setup, NULL);
}
