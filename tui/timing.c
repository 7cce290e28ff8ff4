/* timing.c — what the console's benchmark measures: with EMAILCFG_TIMES=FILE
 * the console appends one line per key, "key NAME MS" (milliseconds from the
 * key being read to its frame finished on the terminal), one per long stretch
 * of work on the UI thread, "stall MS" (anything over TIMING_STALL_MS between
 * two waits for input), and the first frame, "first MS" (from the console starting to open the
 * cache). Off (no file) it costs a branch per key. Touches only that file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"

/* Work longer than this between two waits is written as a stall; the
 * targets are 16 ms a key and 50 ms for anything at all. */
#define TIMING_STALL_MS 20.0

static FILE *times;
static double key_at, busy_at, started_at;
static char key_name[32], busy_key[64];
static bool first_done;

void timing_open(void)
{
	const char *path = getenv("EMAILCFG_TIMES");
	started_at = loop_now();
	if (!path || !*path || times)
		return;
	times = fopen(path, "a");
	if (times)
		setvbuf(times, NULL, _IOLBF, 0);
}

void timing_close(void)
{
	if (times)
		fclose(times);
	times = NULL;
}

bool timing_on(void)
{
	return times != NULL;
}

/* A key was read: its frame is timed from now (a burst of keys read at once
 * is timed from its first key, which is what the admin waits for). */
void timing_key(tui_app *app, wint_t ch, bool is_code)
{
	if (!times || key_at > 0)
		return;
	key_at = loop_now();
	commands_key_name(ch, is_code, key_name, sizeof key_name);
	timing_note(key_name);
	(void)app;
}

/* What the UI thread did in this stretch of work (a key's name, "reload",
 * "events", "answers"), named in a stall line; each once, in order. */
void timing_note(const char *what)
{
	size_t n = strlen(busy_key);
	if (!times || strstr(busy_key, what))
		return;
	snprintf(busy_key + n, sizeof busy_key - n, "%s%s", n ? "," : "", what);
}

/* A frame reached the terminal. */
void timing_frame(void)
{
	double now;
	if (!times)
		return;
	now = loop_now();
	if (!first_done) {
		first_done = true;
		fprintf(times, "first %.2f\n", (now - started_at) * 1000.0);
	}
	if (key_at > 0) {
		fprintf(times, "key %s %.2f\n", key_name, (now - key_at) * 1000.0);
		key_at = 0;
	}
}

/* The UI thread starts working (poll returned) ... */
void timing_busy(void)
{
	if (times)
		busy_at = loop_now();
}

/* ... and is about to wait again: a long stretch is a stall. */
void timing_idle(void)
{
	double ms;
	if (!times || busy_at == 0)
		return;
	ms = (loop_now() - busy_at) * 1000.0;
	busy_at = 0;
	/* What the stretch did (timing_note), or "-": the timer, a redraw. */
	if (ms > TIMING_STALL_MS)
		fprintf(times, "stall %.2f %s\n", ms, busy_key[0] ? busy_key : "-");
	busy_key[0] = '\0';
}
