/* term.c — the terminal under the console: curses setup and teardown on
 * every exit path (q, Ctrl-C, SIGTERM, SIGHUP, fatal signals and errors),
 * stderr held in a temporary file while curses owns the screen and printed
 * afterwards, colour roles (colours, or mono attributes under NO_COLOR or a
 * colourless terminal), the ASCII fallback for non-UTF-8 locales, and the
 * layout of the screen's regions. Touches only the terminal and fds 0-2. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tui/app.h"

volatile int term_signal_fd_w = -1;

static SCREEN *term_screen;
static FILE *term_out, *term_in;
static int held_stderr = -1, saved_stderr = -1;
static struct termios saved_tty;
static bool saved_tty_ok;
static char restore_seq[128]; /* rmcup + cnorm, for fatal signals */
static int role_attr[ROLE_COUNT];

static void term_on_signal(int sig)
{
	char byte = sig == SIGWINCH ? 'W' : 'Q';
	int saved = errno;
	if (term_signal_fd_w >= 0 && write(term_signal_fd_w, &byte, 1) < 0) {
		/* the pipe is full: the loop is already due to wake */
	}
	errno = saved;
}

/* A crash must not leave the terminal in raw mode on the alternate screen:
 * restore it with async-signal-safe calls, then die of the same signal. */
static void term_on_fatal(int sig)
{
	if (restore_seq[0] && write(STDOUT_FILENO, restore_seq, strlen(restore_seq)) < 0) {
		/* nothing more can be done */
	}
	if (saved_tty_ok)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	if (saved_stderr >= 0)
		dup2(saved_stderr, STDERR_FILENO);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void term_install_signals(bool script)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!script) {
		signal(SIGSEGV, term_on_fatal);
		signal(SIGBUS, term_on_fatal);
		signal(SIGFPE, term_on_fatal);
		signal(SIGABRT, term_on_fatal);
	}
}

/* stderr goes to a temporary file while curses draws; term_end prints it. */
static void term_hold_stderr(void)
{
	FILE *tmp = tmpfile();
	if (!tmp)
		return;
	held_stderr = dup(fileno(tmp));
	fclose(tmp);
	saved_stderr = dup(STDERR_FILENO);
	if (held_stderr < 0 || saved_stderr < 0 || dup2(held_stderr, STDERR_FILENO) < 0) {
		held_stderr = -1;
		return;
	}
}

static void term_release_stderr(void)
{
	char buf[4096];
	ssize_t n;
	if (held_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	lseek(held_stderr, 0, SEEK_SET);
	while ((n = read(held_stderr, buf, sizeof buf)) > 0)
		if (write(STDERR_FILENO, buf, (size_t)n) < 0)
			break;
	close(held_stderr);
	held_stderr = -1;
}

static bool term_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	const char *force = getenv("EMAILCFG_ASCII");
	if (force && *force && strcmp(force, "0") != 0)
		return false;
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void term_init_roles(tui_app *app)
{
	static const struct {
		short fg, bg;
		int attr, mono;
	} map[ROLE_COUNT] = {
	    [ROLE_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
	    [ROLE_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD},
	    [ROLE_HEADER] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	    [ROLE_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
	    [ROLE_TAGGED] = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD},
	    [ROLE_OK] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
	    [ROLE_FAIL] = {COLOR_RED, -1, A_BOLD, A_BOLD},
	    [ROLE_DIM] = {-1, -1, A_DIM, A_DIM},
	    [ROLE_WARN] = {COLOR_YELLOW, -1, A_NORMAL, A_BOLD},
	    [ROLE_ERROR] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
	    [ROLE_KEY] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
	    [ROLE_PENDING] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	    [ROLE_CONFLICT] = {COLOR_RED, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE},
	    [ROLE_DISABLED] = {-1, -1, A_DIM, A_DIM},
	    [ROLE_INPUT] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
	    [ROLE_BAR] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE},
	};
	const char *no_color = getenv("NO_COLOR");
	app->color = has_colors() && !(no_color && *no_color) && !getenv("EMAILCFG_MONO");
	if (app->color) {
		start_color();
		use_default_colors();
	}
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (!app->color || (map[r].fg < 0 && map[r].bg < 0)) {
			role_attr[r] = app->color ? map[r].attr : map[r].mono;
			continue;
		}
		init_pair((short)r, map[r].fg, map[r].bg);
		role_attr[r] = (int)COLOR_PAIR(r) | map[r].attr;
	}
}

int term_role_attr(enum tui_role role)
{
	return role_attr[role];
}

static void term_save_restore_seq(void)
{
	const char *rmcup = tigetstr("rmcup"), *cnorm = tigetstr("cnorm");
	restore_seq[0] = '\0';
	if (rmcup && rmcup != (char *)-1)
		snprintf(restore_seq, sizeof restore_seq, "%s", rmcup);
	if (cnorm && cnorm != (char *)-1)
		snprintf(restore_seq + strlen(restore_seq),
		         sizeof restore_seq - strlen(restore_seq), "%s", cnorm);
}

static int term_open_screen(tui_app *app, ec_error *err)
{
	const char *term = getenv("TERM");
	if (app->script) {
		/* No terminal: ncurses keeps its virtual screen, nothing is shown. */
		term_out = fopen("/dev/null", "w");
		term_in = fopen("/dev/null", "r");
		if (!term_out || !term_in)
			return ec_fail(err, EC_LOCAL, "cannot open /dev/null for the script mode");
		term_screen =
		    newterm(getenv("EMAILCFG_SCRIPT_TERM") ? getenv("EMAILCFG_SCRIPT_TERM")
		                                           : "xterm-256color",
		            term_out, term_in);
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			return ec_fail(err, EC_USAGE,
			               "the console needs a terminal; use a command "
			               "(see emailcfg --help) in scripts");
		if (tcgetattr(STDIN_FILENO, &saved_tty) == 0)
			saved_tty_ok = true;
		term_screen = newterm(term, stdout, stdin);
	}
	if (!term_screen)
		return ec_fail(err, EC_LOCAL,
		               "cannot start the console on terminal type '%s'; "
		               "set TERM (e.g. TERM=xterm-256color)",
		               term ? term : "");
	set_term(term_screen);
	return EC_OK;
}

/* Ctrl-S saves: the terminal must not take it (and Ctrl-Q) for XON/XOFF
 * flow control, which would freeze the output until Ctrl-Q. raw() would
 * also stop Ctrl-C, which quits by SIGINT, so only IXON goes; ncurses
 * keeps the mode as its program mode (restored after endwin). */
static void term_no_flow_control(const tui_app *app)
{
	struct termios t;
	if (app->script || tcgetattr(STDIN_FILENO, &t) != 0)
		return;
	t.c_iflag &= ~(tcflag_t)IXON;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		def_prog_mode();
}

int term_start(tui_app *app, ec_error *err)
{
	int rc;
	app->ascii = !term_locale_utf8();
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if ((rc = term_open_screen(app, err)) != EC_OK)
		return rc;
	term_hold_stderr();
	term_save_restore_seq();
	cbreak();
	noecho();
	nonl();
	term_no_flow_control(app);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	curs_set(0);
	term_init_roles(app);
	term_install_signals(app->script);
	if (app->mouse)
		term_set_mouse(app, true);
	getmaxyx(stdscr, app->rows, app->cols);
	term_layout(app);
	return EC_OK;
}

void term_set_mouse(tui_app *app, bool on)
{
	app->mouse = on;
	mousemask(on ? (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0,
	          NULL);
	mouseinterval(0);
}

void term_end(tui_app *app)
{
	(void)app;
	if (!term_screen)
		return;
	if (app->mouse)
		mousemask(0, NULL);
	curs_set(1);
	endwin();
	delscreen(term_screen);
	term_screen = NULL;
	if (term_out)
		fclose(term_out);
	if (term_in)
		fclose(term_in);
	term_out = term_in = NULL;
	if (saved_tty_ok)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tty);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGABRT, SIG_DFL);
	term_release_stderr();
}

void term_resize(tui_app *app, int rows, int cols)
{
	resize_term(rows, cols);
	getmaxyx(stdscr, app->rows, app->cols);
	term_layout(app);
}

/* Header on top, hint line at the bottom, the message line above it; the
 * status panel beside the body on wide terminals, else below it. */
void term_layout(tui_app *app)
{
	int rows = app->rows, cols = app->cols, ph = 0;
	app->too_small = rows < 16 || cols < 60;
	app->r_header = (tui_rect){0, 0, 1, cols};
	app->r_hints = (tui_rect){rows - 1, 0, 1, cols};
	app->r_message = (tui_rect){rows - 2, 0, 1, cols};
	app->panel_side = app->panel_on && cols >= 150;
	if (app->panel_side) {
		/* From 200 columns the list keeps 120 and the panel takes the rest
		 * (up to 110), so alerts and approvals are not cut. */
		int pw = cols >= 200 ? (cols - 120 < 110 ? cols - 120 : 110) : 46;
		app->r_body = (tui_rect){1, 0, rows - 3, cols - pw};
		app->r_panel = (tui_rect){1, cols - pw, rows - 3, pw};
		return;
	}
	if (app->panel_on)
		ph = rows >= 36   ? 9
		     : rows >= 22 ? 6
		                  : 5; /* title + lines; the list keeps the rest */
	app->r_body = (tui_rect){1, 0, rows - 3 - ph, cols};
	app->r_panel = (tui_rect){rows - 2 - ph, 0, ph, cols};
}
