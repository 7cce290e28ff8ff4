/* config.h — the emulator's run-time settings (command-line options) and
 * process-wide state shared by the modules: the base URL, the one big lock
 * that guards every table, token and counter, and the monotonic clock. */
#ifndef SIM_CONFIG_H
#define SIM_CONFIG_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define SIM_API_ROOT "/api/data/v9.2/"

enum approver_role { APPROVER_NONE, APPROVER_ADMIN };

struct sim_config {
	int port;
	const char *port_file;
	long idle_exit;        /* seconds without a request before exiting; 0: never */
	const char *data_file; /* NULL: no data file (--data none) */
	long generate;
	uint64_t seed;
	const char *client_id;
	const char *client_secret;
	const char *tenant;
	bool expired_secret;
	long token_lifetime; /* seconds */
	/* A hostile token endpoint, for the client's tests: the expires_in it
	 * states (0: the lifetime) and text appended to the access_token. */
	long token_expires_in;
	const char *token_suffix;
	/* A user's sign-in (signin.c): the public client accepted, the device
	 * code's poll interval and lifetime, the refresh token's lifetime, a
	 * delay before a refresh is answered (to widen races), and whether
	 * /adfs offers device codes (AD FS 2019) or not (2016). */
	const char *public_client_id;
	long device_interval, device_expires, refresh_lifetime, refresh_delay_ms;
	long device_slow_down; /* the first N polls of a code answer slow_down */
	bool adfs_no_device;
	/* The on-premises organization: /<org_name>/api/data/v9.0/. */
	const char *org_name;
	double test_delay; /* seconds */
	bool never_complete;
	enum approver_role approver;
	bool verbose;
	/* faults: 0 = off */
	long throttle_every;
	long retry_after;
	long fail_every;
	long drop_every;
	long truncate_every;
	long latency_ms;
	long max_page;
	char fail_match[128];  /* API requests whose URI holds this answer 500; "" off */
	char quote_column[64]; /* send this number column as a JSON string; "" off */
	/* a hostile server (hostile.h) */
	bool next_link_repeat;
	char next_link_base[256]; /* "": base_url */
	long flood_rows;
	long flood_status;    /* 0: 200 */
	char flood_row[4096]; /* "": {} */
	bool retry_after_date;
	/* a careless server (leak.h) */
	bool echo_grant;        /* token endpoints quote the posted form in their error */
	bool echo_headers;      /* the Web API quotes the request headers in an error */
	long pad_signin;        /* sign-in answers carry this many bytes of padding */
	const char *public_url; /* --public-url: base_url instead of the listener's */
	char base_url[64];      /* http://127.0.0.1:<port> */
};

extern struct sim_config sim_cfg;
extern pthread_mutex_t sim_lock;

/* Milliseconds since the emulator started (monotonic clock). */
int64_t sim_clock_ms(void);
/* Seconds since the Unix epoch (wall clock, UTC). */
int64_t sim_clock_now(void);

#endif
