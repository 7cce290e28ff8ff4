/* main.c — emailcfg-sim: command-line options, start-up (listen on
 * 127.0.0.1, load the data, generate rows, start the HTTP daemon and the
 * Test & Enable workers, write the port file) and clean shutdown on SIGTERM
 * or SIGINT. */
#include <arpa/inet.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "snapshot.h"
#include "track.h"
#include "buf.h"
#include "config.h"
#include "faults.h"
#include "generate.h"
#include "handlers.h"
#include "leak.h"
#include "load.h"
#include "schema.h"
#include "store.h"
#include "testjob.h"

#ifndef EMAILCFG_VERSION
#define EMAILCFG_VERSION "0"
#endif

/* The demo organization's application registration. */
#define DEMO_TENANT        "7f3a9c2e-4b1d-4e8f-9a6c-2d5e8b1f0c34"
#define DEMO_CLIENT_ID     "b6e2f4a8-1c3d-4f5e-8a7b-9c0d1e2f3a4b"
#define DEMO_CLIENT_SECRET "kp8Q~Demo.Secret-Kovinoplast-2024"
#define DEFAULT_DATA       "data/demo-org.json"

struct sim_config sim_cfg = {
    .data_file = DEFAULT_DATA,
    .seed = 1,
    .client_id = DEMO_CLIENT_ID,
    .client_secret = DEMO_CLIENT_SECRET,
    .tenant = DEMO_TENANT,
    .token_lifetime = 3599,
    .public_client_id = "51f81489-12ee-4a9e-aaae-a2591f45987d",
    .device_interval = 5,
    .device_expires = 900,
    .refresh_lifetime = 90L * 86400,
    .org_name = "kovinarstvo",
    .test_delay = 3,
    .approver = APPROVER_ADMIN,
    .retry_after = 2,
};
pthread_mutex_t sim_lock = PTHREAD_MUTEX_INITIALIZER;
static struct timespec started;

int64_t sim_clock_ms(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - started.tv_sec) * 1000 +
	       (now.tv_nsec - started.tv_nsec) / 1000000;
}

int64_t sim_clock_now(void)
{
	return (int64_t)time(NULL);
}

static void usage(FILE *f)
{
	fputs("usage: emailcfg-sim [--port N] [--port-file FILE] [--data FILE|none]\n"
	      "         [--generate N] [--seed S] [--client-id ID] [--client-secret S]\n"
	      "         [--tenant T] [--expired-secret] [--token-lifetime S]\n"
	      "         [--token-expires-in S] [--token-suffix TEXT]\n"
	      "         [--test-delay S] [--never-complete] [--approver-role none|admin]\n"
	      "         [--throttle-every N] [--retry-after S] [--fail-every N]\n"
	      "         [--drop-every N] [--truncate-every N] [--latency MS] [--max-page N]\n"
	      "         [--public-url URL] [--public-client-id ID] [--org-name NAME]\n"
	      "         [--device-interval S] [--device-expires S] [--refresh-lifetime S]\n"
	      "         [--refresh-delay MS] [--adfs-no-device] [--device-slow-down N]\n"
	      "         [--idle-exit S] [-v] [--help] [--version]\n"
	      "A Dataverse Web API emulator for emailcfg; see emailcfg-sim(1).\n",
	      f);
}

static long number_arg(const char *opt, const char *s, long min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min) {
		fprintf(stderr, "emailcfg-sim: %s needs a whole number >= %ld, not '%s'\n", opt,
		        min, s);
		exit(2);
	}
	return v;
}

enum {
	O_PORT = 256,
	O_PORT_FILE,
	O_DATA,
	O_GENERATE,
	O_SEED,
	O_CLIENT_ID,
	O_SECRET,
	O_TENANT,
	O_EXPIRED,
	O_LIFETIME,
	O_EXPIRES_IN,
	O_TOKEN_SUFFIX,
	O_DELAY,
	O_NEVER,
	O_APPROVER,
	O_THROTTLE,
	O_RETRY,
	O_FAIL,
	O_DROP,
	O_TRUNCATE,
	O_LATENCY,
	O_MAX_PAGE,
	O_PUBLIC_URL,
	O_PUBLIC_CLIENT,
	O_ORG_NAME,
	O_DEV_INTERVAL,
	O_DEV_EXPIRES,
	O_REFRESH_LIFE,
	O_REFRESH_DELAY,
	O_ADFS_NO_DEVICE,
	O_DEV_SLOW,
	O_IDLE_EXIT,
	O_HELP,
	O_VERSION
};

static const struct option long_options[] = {
    {"port", required_argument, 0, O_PORT},
    {"port-file", required_argument, 0, O_PORT_FILE},
    {"data", required_argument, 0, O_DATA},
    {"generate", required_argument, 0, O_GENERATE},
    {"seed", required_argument, 0, O_SEED},
    {"client-id", required_argument, 0, O_CLIENT_ID},
    {"client-secret", required_argument, 0, O_SECRET},
    {"tenant", required_argument, 0, O_TENANT},
    {"expired-secret", no_argument, 0, O_EXPIRED},
    {"token-lifetime", required_argument, 0, O_LIFETIME},
    {"token-expires-in", required_argument, 0, O_EXPIRES_IN},
    {"token-suffix", required_argument, 0, O_TOKEN_SUFFIX},
    {"test-delay", required_argument, 0, O_DELAY},
    {"never-complete", no_argument, 0, O_NEVER},
    {"approver-role", required_argument, 0, O_APPROVER},
    {"throttle-every", required_argument, 0, O_THROTTLE},
    {"retry-after", required_argument, 0, O_RETRY},
    {"fail-every", required_argument, 0, O_FAIL},
    {"drop-every", required_argument, 0, O_DROP},
    {"truncate-every", required_argument, 0, O_TRUNCATE},
    {"latency", required_argument, 0, O_LATENCY},
    {"max-page", required_argument, 0, O_MAX_PAGE},
    {"public-url", required_argument, 0, O_PUBLIC_URL},
    {"public-client-id", required_argument, 0, O_PUBLIC_CLIENT},
    {"org-name", required_argument, 0, O_ORG_NAME},
    {"device-interval", required_argument, 0, O_DEV_INTERVAL},
    {"device-expires", required_argument, 0, O_DEV_EXPIRES},
    {"refresh-lifetime", required_argument, 0, O_REFRESH_LIFE},
    {"refresh-delay", required_argument, 0, O_REFRESH_DELAY},
    {"adfs-no-device", no_argument, 0, O_ADFS_NO_DEVICE},
    {"device-slow-down", required_argument, 0, O_DEV_SLOW},
    {"idle-exit", required_argument, 0, O_IDLE_EXIT},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, O_HELP},
    {"version", no_argument, 0, O_VERSION},
    {0, 0, 0, 0},
};

static void option_apply(int c, const char *arg)
{
	switch (c) {
	case O_PORT: sim_cfg.port = (int)number_arg("--port", arg, 0); break;
	case O_PORT_FILE: sim_cfg.port_file = arg; break;
	case O_DATA: sim_cfg.data_file = strcmp(arg, "none") ? arg : NULL; break;
	case O_GENERATE: sim_cfg.generate = number_arg("--generate", arg, 0); break;
	case O_SEED: sim_cfg.seed = (uint64_t)number_arg("--seed", arg, 0); break;
	case O_CLIENT_ID: sim_cfg.client_id = arg; break;
	case O_SECRET: sim_cfg.client_secret = arg; break;
	case O_TENANT: sim_cfg.tenant = arg; break;
	case O_EXPIRED: sim_cfg.expired_secret = true; break;
	case O_LIFETIME: sim_cfg.token_lifetime = number_arg("--token-lifetime", arg, 1); break;
	case O_EXPIRES_IN:
		sim_cfg.token_expires_in = number_arg("--token-expires-in", arg, 1);
		break;
	case O_TOKEN_SUFFIX: sim_cfg.token_suffix = arg; break;
	case O_DELAY: sim_cfg.test_delay = (double)number_arg("--test-delay", arg, 0); break;
	case O_NEVER: sim_cfg.never_complete = true; break;
	case O_APPROVER:
		if (strcmp(arg, "none") && strcmp(arg, "admin")) {
			fprintf(stderr, "emailcfg-sim: --approver-role is none or admin\n");
			exit(2);
		}
		sim_cfg.approver = strcmp(arg, "none") ? APPROVER_ADMIN : APPROVER_NONE;
		break;
	case O_THROTTLE: sim_cfg.throttle_every = number_arg("--throttle-every", arg, 0); break;
	case O_RETRY: sim_cfg.retry_after = number_arg("--retry-after", arg, 0); break;
	case O_FAIL: sim_cfg.fail_every = number_arg("--fail-every", arg, 0); break;
	case O_DROP: sim_cfg.drop_every = number_arg("--drop-every", arg, 0); break;
	case O_TRUNCATE: sim_cfg.truncate_every = number_arg("--truncate-every", arg, 0); break;
	case O_LATENCY: sim_cfg.latency_ms = number_arg("--latency", arg, 0); break;
	case O_MAX_PAGE: sim_cfg.max_page = number_arg("--max-page", arg, 1); break;
	case O_PUBLIC_URL:
		if (strlen(arg) >= sizeof sim_cfg.base_url || !strstr(arg, "://")) {
			fprintf(stderr, "emailcfg-sim: --public-url needs a URL such as "
			                "https://localhost:8443\n");
			exit(2);
		}
		sim_cfg.public_url = arg;
		break;
	case O_PUBLIC_CLIENT: sim_cfg.public_client_id = arg; break;
	case O_ORG_NAME: sim_cfg.org_name = arg; break;
	case O_DEV_INTERVAL:
		sim_cfg.device_interval = number_arg("--device-interval", arg, 0);
		break;
	case O_DEV_EXPIRES: sim_cfg.device_expires = number_arg("--device-expires", arg, 1); break;
	case O_REFRESH_LIFE:
		sim_cfg.refresh_lifetime = number_arg("--refresh-lifetime", arg, 1);
		break;
	case O_REFRESH_DELAY:
		sim_cfg.refresh_delay_ms = number_arg("--refresh-delay", arg, 0);
		break;
	case O_ADFS_NO_DEVICE: sim_cfg.adfs_no_device = true; break;
	case O_DEV_SLOW: sim_cfg.device_slow_down = number_arg("--device-slow-down", arg, 0); break;
	case O_IDLE_EXIT: sim_cfg.idle_exit = number_arg("--idle-exit", arg, 0); break;
	case 'v': sim_cfg.verbose = true; break;
	case O_HELP: usage(stdout); exit(0);
	case O_VERSION: printf("emailcfg-sim %s\n", EMAILCFG_VERSION); exit(0);
	default: usage(stderr); exit(2);
	}
}

static void options_parse(int argc, char **argv)
{
	int c;
	while ((c = getopt_long(argc, argv, "v", long_options, NULL)) != -1)
		option_apply(c, optarg);
	if (optind < argc) {
		fprintf(stderr, "emailcfg-sim: unexpected argument '%s'\n", argv[optind]);
		exit(2);
	}
}

static int listen_loopback(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	socklen_t len = sizeof addr;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 256) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		perror("emailcfg-sim: cannot listen on 127.0.0.1");
		exit(1);
	}
	sim_cfg.port = ntohs(addr.sin_port);
	/* Behind a TLS terminator the clients' URL is the terminator's. */
	if (sim_cfg.public_url)
		snprintf(sim_cfg.base_url, sizeof sim_cfg.base_url, "%s", sim_cfg.public_url);
	else
		snprintf(sim_cfg.base_url, sizeof sim_cfg.base_url, "http://127.0.0.1:%d",
		         sim_cfg.port);
	return fd;
}

/* Where `make install` puts the demo organization: ../share/emailcfg from
 * the directory of this executable, found at run time so the build does not
 * depend on the install PREFIX. */
static void installed_data(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (strrchr(exe, '/'))
		*strrchr(exe, '/') = '\0';
	snprintf(out, size, "%s/../share/emailcfg/demo-org.json", exe);
}

static void data_load(void)
{
	char err[512], installed[PATH_MAX + 64];
	const char *path = sim_cfg.data_file;
	if (path && !strcmp(path, DEFAULT_DATA) && access(path, R_OK) != 0) {
		installed_data(installed, sizeof installed);
		path = installed;
	}
	if (path && !load_file(path, err, sizeof err)) {
		fprintf(stderr, "emailcfg-sim: %s\n", err);
		exit(1);
	}
	load_finish();
	if (sim_cfg.generate > 0)
		generate_mailboxes(sim_cfg.generate, sim_cfg.seed);
}

static void port_file_write(void)
{
	if (!sim_cfg.port_file)
		return;
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp%d", sim_cfg.port_file, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", sim_cfg.port) < 0 || fclose(f) != 0 ||
	    rename(tmp, sim_cfg.port_file) != 0) {
		perror("emailcfg-sim: cannot write the port file");
		exit(1);
	}
}

/* Waits for SIGTERM or SIGINT; with --idle-exit, also returns once that many
 * seconds pass without a request (counted from the start until the first). */
static void wait_for_the_end(const sigset_t *set)
{
	int sig;
	if (sim_cfg.idle_exit <= 0) {
		sigwait(set, &sig);
		return;
	}
	for (;;) {
		struct timespec tick = {1, 0};
		if (sigtimedwait(set, NULL, &tick) > 0)
			return;
		if (sim_clock_ms() - http_last_request_ms() >= sim_cfg.idle_exit * 1000) {
			fprintf(stderr,
			        "emailcfg-sim: no request for %ld s, exiting (--idle-exit)\n",
			        sim_cfg.idle_exit);
			return;
		}
	}
}

int main(int argc, char **argv)
{
	clock_gettime(CLOCK_MONOTONIC, &started);
	options_parse(argc, argv);
	leak_init();
	buf_keep_freed_pages();
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	schema_init();
	store_init();
	track_init();
	int fd = listen_loopback(sim_cfg.port);
	pthread_mutex_lock(&sim_lock);
	data_load();
	pthread_mutex_unlock(&sim_lock);
	testjob_start();
	if (!http_start(fd)) {
		fprintf(stderr, "emailcfg-sim: cannot start the HTTP server\n");
		return 1;
	}
	port_file_write();
	/* Always: with --port 0 (the default) this line is the only way a person
	 * who gave no --port-file learns where the organization is. */
	fprintf(stderr, "emailcfg-sim: listening on %s (%zu mailboxes)\n", sim_cfg.base_url,
	        store_tables[E_MAILBOX].n);
	wait_for_the_end(&set);
	http_stop();
	testjob_stop();
	pthread_mutex_lock(&sim_lock);
	store_free_all();
	snapshot_free();
	track_free();
	auth_free_all();
	signin_free_all();
	requests_free_all();
	pthread_mutex_unlock(&sim_lock);
	return 0;
}
