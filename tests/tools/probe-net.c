/* probe-net.c — small network helper for the probe tests (tests/lib/mailservers.sh).
 *
 *   probe-net ports N          print N distinct free TCP ports on 127.0.0.1, one a line
 *   probe-net wait SECS [HOST:]PORT…  wait until every port accepts a connection
 *                              (HOST defaults to 127.0.0.1)
 *   probe-net silent PORT SECS listen on 127.0.0.1:PORT, accept connections and never
 *                              say a word; exit after SECS seconds
 *   probe-net relay PORT SECS  the same, answering as a minimal SMTP relay that
 *                              accepts no mail (Dovecot's submission service
 *                              connects to its relay right after each login)
 *
 * Touches only loopback sockets. Exit status 0 on success, 1 on failure. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 64
#define MAX_HELD  1024

static int net_socket_bind(int port)
{
	struct sockaddr_in sa;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int net_port_of(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	return ntohs(sa.sin_port);
}

/* Binding every socket before closing any keeps the ports distinct. */
static int net_print_ports(int n)
{
	int fds[MAX_PORTS];
	int i;

	if (n < 1 || n > MAX_PORTS)
		return 1;
	for (i = 0; i < n; i++) {
		fds[i] = net_socket_bind(0);
		if (fds[i] < 0)
			return 1;
	}
	for (i = 0; i < n; i++) {
		printf("%d\n", net_port_of(fds[i]));
		close(fds[i]);
	}
	return 0;
}

static int net_can_connect(const char *addr, int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int ok;

	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		close(fd);
		return 0;
	}
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

static double net_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int net_wait_ports(double secs, char **ports, int n)
{
	double end = net_now() + secs;
	int i;

	for (i = 0; i < n; i++) {
		char addr[64] = "127.0.0.1";
		const char *colon = strrchr(ports[i], ':');
		int port = atoi(colon ? colon + 1 : ports[i]);

		if (colon && (size_t)(colon - ports[i]) < sizeof(addr))
			snprintf(addr, sizeof(addr), "%.*s", (int)(colon - ports[i]), ports[i]);
		while (!net_can_connect(addr, port)) {
			if (net_now() > end) {
				fprintf(stderr, "probe-net: port %s is not listening\n", ports[i]);
				return 1;
			}
			usleep(20000);
		}
	}
	return 0;
}

/* One accepted connection of `serve`: its socket and the bytes of a line
 * not yet complete. */
struct net_conn {
	int fd;
	char line[512];
	size_t len;
};

/* The relay's answer to one command line, or NULL to say nothing. Sets *bye
 * when the connection must close after the answer. */
static const char *net_relay_answer(const char *line, int *bye)
{
	static const struct {
		const char *verb, *answer;
	} answers[] = {
	    {"EHLO", "250-relay.example.si\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
	             "250 ENHANCEDSTATUSCODES\r\n"},
	    {"HELO", "250 relay.example.si\r\n"},
	    {"NOOP", "250 2.0.0 OK\r\n"},
	    {"RSET", "250 2.0.0 OK\r\n"},
	    {"QUIT", "221 2.0.0 Bye\r\n"},
	    {"MAIL", "550 5.7.1 This test relay accepts no mail\r\n"},
	};
	size_t i;

	*bye = strncasecmp(line, "QUIT", 4) == 0;
	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
		if (strncasecmp(line, answers[i].verb, 4) == 0)
			return answers[i].answer;
	return "502 5.5.2 Unknown command\r\n";
}

static void net_send(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		return;
}

/* Reads what the peer sent; answers each complete line in relay mode.
 * Returns 0 when the connection is to be closed. */
static int net_conn_read(struct net_conn *c, int relay)
{
	ssize_t n = read(c->fd, c->line + c->len, sizeof(c->line) - 1 - c->len);
	char *nl;

	if (n <= 0)
		return 0;
	c->len += (size_t)n;
	c->line[c->len] = '\0';
	while (relay && (nl = strchr(c->line, '\n')) != NULL) {
		int bye = 0;

		*nl = '\0';
		net_send(c->fd, net_relay_answer(c->line, &bye));
		if (bye)
			return 0;
		c->len -= (size_t)(nl + 1 - c->line);
		memmove(c->line, nl + 1, c->len + 1);
	}
	if (c->len >= sizeof(c->line) - 1)
		c->len = 0;
	return 1;
}

static void net_conn_accept(int lfd, struct net_conn *conns, int *n, int relay)
{
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		return;
	if (*n >= MAX_HELD) {
		close(fd);
		return;
	}
	conns[*n].fd = fd;
	conns[*n].len = 0;
	(*n)++;
	if (relay)
		net_send(fd, "220 relay.example.si ESMTP test relay\r\n");
}

/* Listens on 127.0.0.1:PORT for SECS seconds. Silent mode accepts and never
 * answers; relay mode is the smallest SMTP server that lets Dovecot's
 * submission service open its relay connection (it accepts no mail). */
static int net_serve(int port, double secs, int relay)
{
	static struct net_conn conns[MAX_HELD];
	static struct pollfd pfds[MAX_HELD + 1];
	double end = net_now() + secs;
	int lfd = net_socket_bind(port);
	int n = 0, i;

	if (lfd < 0 || listen(lfd, 128) != 0) {
		fprintf(stderr, "probe-net: cannot listen on %d: %s\n", port, strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	while (net_now() < end) {
		pfds[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
		for (i = 0; i < n; i++)
			pfds[i + 1] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
		if (poll(pfds, (nfds_t)n + 1, 200) <= 0)
			continue;
		for (i = n - 1; i >= 0; i--) {
			if (!pfds[i + 1].revents || net_conn_read(&conns[i], relay))
				continue;
			close(conns[i].fd);
			conns[i] = conns[--n];
		}
		if (pfds[0].revents)
			net_conn_accept(lfd, conns, &n, relay);
	}
	while (n > 0)
		close(conns[--n].fd);
	close(lfd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "ports") == 0)
		return net_print_ports(atoi(argv[2]));
	if (argc >= 4 && strcmp(argv[1], "wait") == 0)
		return net_wait_ports(atof(argv[2]), argv + 3, argc - 3);
	if (argc == 4 && strcmp(argv[1], "silent") == 0)
		return net_serve(atoi(argv[2]), atof(argv[3]), 0);
	if (argc == 4 && strcmp(argv[1], "relay") == 0)
		return net_serve(atoi(argv[2]), atof(argv[3]), 1);
	fprintf(stderr,
	        "usage: probe-net ports N | wait SECS [HOST:]PORT... | silent|relay PORT SECS\n");
	return 1;
}
