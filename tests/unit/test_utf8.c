/* test_utf8.c — decoding, folding for search, display width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/base/utf8.h"

static void fold(const char *in, const char *want)
{
	char *out = utf8_fold(in);
	assert_string_equal(out, want);
	free(out);
}

/* Keys: a diacritic is the base letter, 0x7F and its rank (caron 1, acute
 * 2, diaeresis 5, tilde 6, stroke 13). */
static void folding(void **state)
{
	(void)state;
	fold("ANA Novak", "ana novak");
	fold("ŽUŽEK Čop Šef", "z\x7f\x01"
	                      "uz\x7f\x01"
	                      "ek c\x7f\x01"
	                      "op s\x7f\x01"
	                      "ef");
	fold("ĆIRIĆ ĐURĐA", "c\x7f\x02"
	                    "iric\x7f\x02"
	                    " d\x7f\x0d"
	                    "urd\x7f\x0d"
	                    "a");
	fold("ÄÖÜ Ñ ß", "a\x7f\x05"
	                "o\x7f\x05"
	                "u\x7f\x05"
	                " n\x7f\x06"
	                " ss");
	fold("ΑΘΗΝΑ МОСКВА", "αθηνα москва");
	fold("山田 📧", "山田 📧");
	fold("bad\xff"
	     "byte",
	     "bad\xff"
	     "byte");
}

static int key_cmp(const char *a, const char *b)
{
	char *ka = utf8_fold(a), *kb = utf8_fold(b);
	int c = strcmp(ka, kb);
	free(ka);
	free(kb);
	return c;
}

/* Sorted by key, names follow the Slovenian alphabet. */
static void slovenian_order(void **state)
{
	(void)state;
	assert_true(key_cmp("Czerny", "Čop") < 0); /* every c-word before č */
	assert_true(key_cmp("Čop", "Dolenc") < 0); /* č before d */
	assert_true(key_cmp("Čop", "Ćirić") < 0);  /* č before ć */
	assert_true(key_cmp("Maša", "Matej") < 0); /* š sorts as s + something, before t */
	assert_true(key_cmp("Sz", "Šef") < 0);
	assert_true(key_cmp("Zvone", "Žužek") < 0);  /* ž last */
	assert_true(key_cmp("Žužek", "ŽUŽEK") == 0); /* case-insensitive */
	assert_true(key_cmp("Ana", "Ána") != 0);     /* diacritics are not ignored */
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

/* The ASCII run is read 8 bytes at a time: a byte with the high bit at
 * any place of a word, or past the length given, ends it right there. */
static void ascii_runs(void **state)
{
	char s[24];
	(void)state;
	for (size_t at = 0; at < sizeof s; at++) {
		memset(s, 'a', sizeof s);
		s[at] = (char)0xc5;
		for (size_t n = 0; n <= sizeof s; n++)
			assert_int_equal(utf8_ascii_run(s, n), at < n ? at : n);
	}
	assert_int_equal(utf8_ascii_run("", 0), 0);
	assert_int_equal(utf8_ascii_run("a\0b", 3), 3); /* NUL is ASCII */
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
	    cmocka_unit_test(folding),  cmocka_unit_test(slovenian_order),
	    cmocka_unit_test(decoding), cmocka_unit_test(ascii_runs),
	    cmocka_unit_test(widths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
