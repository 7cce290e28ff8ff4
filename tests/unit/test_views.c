/* test_views.c — the views of core/model/views.c: every built-in view is a
 * filter the language takes, names are checked, and saved views go to a
 * real file (created 0600 in a new 0700 directory, replaced whole, read
 * back), with bad names, bad filters, built-in names and bad lines refused
 * and the file left as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/model/filter.h"
#include "core/model/views.h"

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_views.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/conf/views", dir); /* conf/ does not exist yet */
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(void)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_builtin(void **state)
{
	const char *want[] = {"active",           "inactive",          "failing",
	                      "pending-approval", "never-tested",      "users",
	                      "queues",           "forward-mailboxes", "all"};
	(void)state;
	assert_int_equal(views_builtin_count, 9);
	for (int i = 0; i < views_builtin_count; i++) {
		ec_filter f;
		ec_error err = {0};
		assert_string_equal(views_builtin[i].name, want[i]);
		if (filter_compile(views_builtin[i].filter, &f, &err) != EC_OK)
			fail_msg("view %s: %s", views_builtin[i].name, err.msg);
		filter_free(&f);
		assert_ptr_equal(views_find_builtin(want[i]), &views_builtin[i]);
	}
	assert_string_equal(views_find_builtin(VIEWS_DEFAULT)->filter, "state:active");
	assert_null(views_find_builtin("Active"));
}

static void name_refused(const char *name, const char *needle)
{
	ec_error err = {0};
	assert_int_equal(views_check_name(name, &err), EC_USAGE);
	if (!strstr(err.msg, needle))
		fail_msg("'%s': '%s' lacks '%s'", name, err.msg, needle);
}

static void test_names(void **state)
{
	ec_error err = {0};
	(void)state;
	assert_int_equal(views_check_name("my-queues", &err), EC_OK);
	assert_int_equal(views_check_name("q2", &err), EC_OK);
	assert_int_equal(views_check_name("12345678901234567890123456789012", &err), EC_OK);
	name_refused("123456789012345678901234567890123", "bad view name");
	name_refused("", "bad view name");
	name_refused("-x", "bad view name");
	name_refused("My", "bad view name");
	name_refused("a b", "bad view name");
	name_refused("a\tb", "bad view name");
	name_refused("../x", "bad view name");
	name_refused("inactive", "is a built-in view");
}

static void test_save_load_delete(void **state)
{
	ec_saved_views v;
	ec_error err = {0};
	struct stat st;
	char *filter;
	(void)state;
	assert_int_equal(views_load(path, &v, &err), EC_OK); /* no file: none saved */
	assert_int_equal(v.count, 0);
	assert_int_equal(views_save(path, "mine", "owner:ana incoming:sss", &err), EC_OK);
	assert_int_equal(views_save(path, "q", "type:queue", &err), EC_OK);
	assert_int_equal(views_save(path, "mine", "name:\"Ana Novak\"", &err),
	                 EC_OK); /* replaced */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	{
		char d[128];
		snprintf(d, sizeof d, "%s/conf", dir);
		assert_int_equal(stat(d, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
	}
	assert_int_equal(views_load(path, &v, &err), EC_OK);
	assert_int_equal(v.count, 2);
	assert_string_equal(v.names[0], "mine");
	assert_string_equal(v.filters[0], "name:\"Ana Novak\"");
	assert_string_equal(v.names[1], "q");
	views_free(&v);
	assert_int_equal(views_resolve(path, "q", &filter, &err), EC_OK);
	assert_string_equal(filter, "type:queue");
	free(filter);
	assert_int_equal(views_resolve(path, "failing", &filter, &err), EC_OK);
	assert_string_equal(filter, "state:active status:failure");
	free(filter);
	assert_int_equal(views_resolve(path, "nope", &filter, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "unknown view 'nope'; use one of: active, inactive"));
	assert_null(filter);
	assert_int_equal(views_delete(path, "mine", &err), EC_OK);
	assert_string_equal(slurp(), "# emailcfg saved views: NAME, a tab, FILTER (emailcfg view "
	                             "save/delete)\nq\ttype:queue\n");
	assert_int_equal(views_delete(path, "mine", &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "no saved view 'mine'"));
	assert_int_equal(views_delete(path, "active", &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "built-in"));
}

/* Refusals leave the file as it was. */
static void save_refused(const char *name, const char *filter, const char *needle)
{
	ec_error err = {0};
	char before[4096];
	snprintf(before, sizeof before, "%s", slurp());
	assert_int_equal(views_save(path, name, filter, &err), EC_USAGE);
	if (!strstr(err.msg, needle))
		fail_msg("save %s '%s': '%s' lacks '%s'", name, filter, err.msg, needle);
	assert_string_equal(slurp(), before);
}

static void test_refusals(void **state)
{
	ec_error err = {0};
	FILE *f;
	ec_saved_views v;
	(void)state;
	assert_int_equal(views_save(path, "keep", "state:active", &err), EC_OK);
	save_refused("active", "type:user", "is a built-in view");
	save_refused("Bad!", "type:user", "bad view name");
	save_refused("x", "incoming:bogus", "unknown value 'bogus' for the filter key 'incoming'");
	save_refused("x", "colour:red", "unknown filter key 'colour'");
	save_refused("x", "name:\"open", "leaves a quote open");
	save_refused("x", "a\nb", "one line");
	save_refused("x", "a\tb", "one line");
	/* A line not written by emailcfg names the file and line. */
	f = fopen(path, "a");
	fputs("no tab here\n", f);
	fclose(f);
	assert_int_equal(views_load(path, &v, &err), EC_LOCAL);
	assert_non_null(strstr(err.msg, ", line 3: not a saved view"));
	assert_int_equal(v.count, 0);
	/* A filter edited by hand into one the language refuses names the view. */
	f = fopen(path, "w");
	fputs("bad\tcolour:red\n", f);
	fclose(f);
	{
		char *filter = (char *)"untouched";
		assert_int_equal(views_resolve(path, "bad", &filter, &err), EC_USAGE);
		assert_null(filter);
		assert_non_null(strstr(err.msg,
		                       "the saved view 'bad' is not a valid filter (unknown "
		                       "filter key 'colour'"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builtin),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test_setup_teardown(test_save_load_delete, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
