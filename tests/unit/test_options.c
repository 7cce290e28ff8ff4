/* test_options.c — every option set, every value, both ways; unknown values
 * refused with an error that names them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/model/options.h"

static void every_value_round_trips(void **state)
{
	(void)state;
	for (int s = 0; s < opt_all_count; s++) {
		const ec_optset *set = opt_all[s];
		assert_true(set->count > 0);
		for (int i = 0; i < set->count; i++) {
			int wire = -99;
			const ec_option *o = &set->opts[i];
			assert_string_equal(opt_slug(set, o->wire), o->slug);
			assert_int_equal(opt_parse_slug(set, o->slug, &wire, NULL), EC_OK);
			assert_int_equal(wire, o->wire);
			assert_int_equal(opt_check_wire(set, o->wire, NULL), EC_OK);
			assert_string_equal(opt_label(set, o->wire), o->label);
		}
	}
}

static void wire_values_follow_dataverse(void **state)
{
	(void)state;
	/* The numbering differs between the sets: pin it (docs/cli.md). */
	assert_string_equal(opt_slug(&opt_incoming, 3), "forward-mailbox");
	assert_string_equal(opt_slug(&opt_outgoing, 2), "server-side-sync");
	assert_string_equal(opt_slug(&opt_act, 0), "outlook");
	assert_string_equal(opt_slug(&opt_act, 1), "server-side-sync");
	assert_string_equal(opt_slug(&opt_act, 2), "none");
	assert_string_equal(opt_slug(&opt_channel_status, 2), "failure");
	assert_string_equal(opt_slug(&opt_approval, 2), "pending");
	assert_string_equal(opt_slug(&opt_process_using, 1), "email-router");
	assert_string_equal(opt_slug(&opt_server_type, 4), "imap-smtp");
	assert_string_equal(opt_slug(&opt_state, 1), "inactive");
	assert_string_equal(opt_label(&opt_incoming, 2),
	                    "Server-Side Synchronization or Email Router");
}

static void unknown_values_are_named(void **state)
{
	ec_error err;
	int wire = 7;
	(void)state;
	assert_int_equal(opt_parse_slug(&opt_incoming, "imap", &wire, &err), EC_USAGE);
	assert_int_equal(wire, 7);
	assert_non_null(strstr(err.msg, "'imap'"));
	assert_non_null(strstr(err.msg, "server-side-sync"));
	assert_int_equal(opt_check_wire(&opt_outgoing, 3, &err), EC_USAGE);
	assert_non_null(strstr(err.msg, "3"));
	assert_null(opt_slug(&opt_act, 5));
	assert_string_equal(opt_label(&opt_act, -1), "?");
	assert_int_equal(opt_parse_slug(&opt_state, NULL, &wire, &err), EC_USAGE);
}

static void slugs_match_case_insensitively(void **state)
{
	int wire = -1;
	(void)state;
	assert_int_equal(opt_parse_slug(&opt_incoming, "Server-Side-Sync", &wire, NULL), EC_OK);
	assert_int_equal(wire, INCOMING_SSS);
}

static void slugs_are_unique_within_a_set(void **state)
{
	(void)state;
	for (int s = 0; s < opt_all_count; s++)
		for (int i = 0; i < opt_all[s]->count; i++)
			for (int j = i + 1; j < opt_all[s]->count; j++) {
				assert_true(
				    strcmp(opt_all[s]->opts[i].slug, opt_all[s]->opts[j].slug));
				assert_true(opt_all[s]->opts[i].wire != opt_all[s]->opts[j].wire);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_value_round_trips),
	    cmocka_unit_test(wire_values_follow_dataverse),
	    cmocka_unit_test(unknown_values_are_named),
	    cmocka_unit_test(slugs_match_case_insensitively),
	    cmocka_unit_test(slugs_are_unique_within_a_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
