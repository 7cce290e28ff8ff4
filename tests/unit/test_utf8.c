/* test_utf8.c — decoding, folding for search, display width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

static void fold(const char *in, const char *want)
{
	char *out = utf8_fold(in);
	assert_string_equal(out, want);
	free(out);
}

static void folding(void **state)
{
	(void)state;
	fold("ANA Novak", "ana novak");
	fold("ŽUŽEK Čop Šef ĆIRIĆ ĐURĐA", "žužek čop šef ćirić đurđa");
	fold("ÄÖÜ Ñ", "äöü ñ");
	fold("ΑΘΗΝΑ МОСКВА", "αθηνα москва");
	fold("山田 📧", "山田 📧");
	fold("bad\xff"
	     "byte",
	     "bad\xff"
	     "byte");
}

static void decoding(void **state)
{
	unsigned cp = 0;
	(void)state;
	assert_int_equal(utf8_decode("\xc5\xbd", 2, &cp), 2);
	assert_int_equal(cp, 0x17D);
	assert_int_equal(utf8_decode("\xf0\x9f\x93\xa7", 4, &cp), 4);
	assert_int_equal(cp, 0x1F4E7);
	assert_int_equal(utf8_decode("\xc0\x80", 2, &cp), 0);     /* overlong */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* surrogate */
	assert_int_equal(utf8_decode("\xe2\x82", 2, &cp), 0);     /* truncated */
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);
}

static void widths(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("Ana"), 3);
	assert_int_equal(utf8_width("Žužek"), 5);
	assert_int_equal(utf8_width("山田"), 4);
	assert_int_equal(utf8_width("a\xffz"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(folding),
	    cmocka_unit_test(decoding),
	    cmocka_unit_test(widths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
