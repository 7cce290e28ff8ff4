/* test_sanitize.c — hostile strings become visible placeholders: ESC, OSC
 * title and clipboard, CSI, C1 bytes, U+202E, invalid UTF-8; clean text
 * (Slovenian, CJK, emoji) passes unchanged; fitting by display columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sanitize.h"
#include "core/utf8.h"

static void check(const char *in, const char *want)
{
	char *out = sanitize_text(in);
	assert_string_equal(out, want);
	assert_null(strchr(out, 0x1b));
	assert_true(sanitize_is_clean(out));
	free(out);
}

static void clean_text_passes(void **state)
{
	(void)state;
	check("Matej Žužek", "Matej Žužek");
	check("Đurđica Ćirić čšž", "Đurđica Ćirić čšž");
	check("山田太郎 📧", "山田太郎 📧");
	check("", "");
	assert_true(sanitize_is_clean("Ana Novak"));
	{
		char *s = sanitize_text(NULL);
		assert_string_equal(s, "");
		free(s);
	}
}

static void escapes_become_visible(void **state)
{
	(void)state;
	check("a\x1b[2Jb", "a^[[2Jb");                   /* CSI clear screen */
	check("\x1b]0;pwned\x07", "^[]0;pwned^G");       /* OSC title */
	check("\x1b]52;c;aGk=\x07x", "^[]52;c;aGk=^Gx"); /* OSC 52 clipboard */
	check("tab\there\nline\r", "tab^Ihere^Jline^M");
	check("del\x7f", "del^?");
	assert_false(sanitize_is_clean("\x1b[31m"));
}

static void c1_bidi_and_invalid_bytes(void **state)
{
	(void)state;
	check("x\xc2\x9b"
	      "31m",
	      "x<U+009B>31m"); /* C1 CSI encoded in UTF-8 */
	check("abc\xe2\x80\xae"
	      "fdp.exe",
	      "abc<U+202E>fdp.exe");
	check("\xe2\x81\xa6i\xe2\x81\xa9", "<U+2066>i<U+2069>");
	check("Ana\xe2\x80\x8b Novak", "Ana<U+200B> Novak"); /* zero-width: names must differ */
	check("raw\x9b"
	      "c1",
	      "raw\\x9Bc1"); /* a lone C1 byte is invalid UTF-8 */
	check("\xff\xfe", "\\xFF\\xFE");
	check("over\xc0\xaflong", "over\\xC0\\xAFlong");
	check("cut\xe2\x82", "cut\\xE2\\x82");
	assert_false(sanitize_is_clean("a\xe2\x80\xae"
	                               "b"));
}

static void long_strings(void **state)
{
	char *in = malloc(12001), *out;
	(void)state;
	memset(in, 0x1b, 12000);
	in[12000] = '\0';
	out = sanitize_text(in);
	assert_int_equal(strlen(out), 24000);
	free(out);
	free(in);
}

static void fit_measures_columns(void **state)
{
	char *s;
	(void)state;
	s = display_fit("山田太郎", 5, false, true);
	assert_string_equal(s, "山田…"); /* 2+2 columns + ellipsis */
	assert_int_equal(utf8_width(s), 5);
	free(s);
	s = display_fit("Žužek", 8, false, true);
	assert_string_equal(s, "Žužek   ");
	free(s);
	s = display_fit("Matej Žužek", 6, true, true);
	assert_string_equal(s, "Matej~");
	free(s);
	s = display_fit("Žužek Đurđa Straße 山", 30, true, false);
	assert_string_equal(s, "Zuzek Durda Strasse ?"); /* plain letters on ASCII terminals */
	free(s);
	s = display_fit("Žu", 4, true, false);
	assert_string_equal(s, "Zu");
	free(s);
	s = display_fit("abc", 0, false, true);
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(clean_text_passes),         cmocka_unit_test(escapes_become_visible),
	    cmocka_unit_test(c1_bidi_and_invalid_bytes), cmocka_unit_test(long_strings),
	    cmocka_unit_test(fit_measures_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
