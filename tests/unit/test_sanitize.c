/* test_sanitize.c — hostile strings become visible placeholders: ESC, OSC
 * title and clipboard, CSI, C1 bytes, U+202E, invisible characters (each
 * range of the table, and the neighbours that must pass), invalid UTF-8;
 * clean text (Slovenian, CJK, emoji) passes unchanged; fitting by display
 * columns; JSON escapes that round-trip; shell words that sh reads back;
 * the direct JSON writer of the CLI's listings gives byte for byte what
 * json-c and sanitize_json() give, for hostile strings and whole mailboxes,
 * and a mailbox's CSV cells are json-c's strings of the same values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "core/codec/codec.h"
#include "core/model/options.h"
#include "core/base/sanitize.h"
#include "core/base/utf8.h"

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

/* One code point between two letters, and what the sanitizer must make of
 * it: its placeholder, or itself (NULL) for the neighbours of each range. */
static const struct {
	unsigned cp;
	const char *shown;
} invisible[] = {
    {0x00AD, "<U+00AD>"},   {0x00AC, NULL},         {0x00AE, NULL},         /* soft hyphen */
    {0x034F, "<U+034F>"},   {0x034E, NULL},         {0x0350, NULL},         /* grapheme joiner */
    {0x061C, "<U+061C>"},   {0x061B, NULL},         {0x061D, NULL},         /* Arabic letter mark */
    {0x115F, "<U+115F>"},   {0x1160, "<U+1160>"},   {0x115E, NULL},         /* Hangul fillers */
    {0x1161, NULL},         {0x3164, "<U+3164>"},   {0x3163, NULL},         /* */
    {0x3165, NULL},         {0xFFA0, "<U+FFA0>"},   {0xFF9F, NULL},         /* */
    {0xFFA1, NULL},         {0x17B4, "<U+17B4>"},   {0x17B5, "<U+17B5>"},   /* Khmer */
    {0x17B3, NULL},         {0x17B6, NULL},         {0x180E, "<U+180E>"},   /* Mongolian */
    {0x180B, "<U+180B>"},   {0x180F, "<U+180F>"},   {0x180A, NULL},         /* */
    {0x1810, NULL},         {0x200B, "<U+200B>"},   {0x200F, "<U+200F>"},   /* zero width */
    {0x200A, NULL},         {0x2010, NULL},         {0x2028, "<U+2028>"},   /* separators */
    {0x202E, "<U+202E>"},   {0x2027, NULL},         {0x202F, NULL},         /* overrides */
    {0x2060, "<U+2060>"},   {0x2066, "<U+2066>"},   {0x206F, "<U+206F>"},   /* joiner .. */
    {0x205F, NULL},         {0x2070, NULL},         {0xFE00, "<U+FE00>"},   /* selectors */
    {0xFE0F, "<U+FE0F>"},   {0xFDFF, NULL},         {0xFE10, NULL},         /* */
    {0xFEFF, "<U+FEFF>"},   {0xFFFB, "<U+FFFB>"},   {0xFFFC, NULL},         /* BOM, annotation */
    {0x1BCA0, "<U+1BCA0>"}, {0x1D173, "<U+1D173>"}, {0x1D17B, NULL},        /* */
    {0xE0001, "<U+E0001>"}, {0xE0041, "<U+E0041>"}, {0xE007F, "<U+E007F>"}, /* tags */
    {0xE0100, "<U+E0100>"}, {0xE1000, NULL},        {0x1F4E7, NULL},        /* VS supplement */
    {0x00A0, NULL},         {0x0080, "<U+0080>"},   {0x009F, "<U+009F>"},   /* C1 */
    {0x00A1, NULL},
};

static void invisible_become_visible(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof invisible / sizeof *invisible; i++) {
		char in[16] = "a", want[32], *out;
		size_t n = 1 + utf8_encode(invisible[i].cp, in + 1);
		strcpy(in + n, "b");
		if (invisible[i].shown)
			snprintf(want, sizeof want, "a%sb", invisible[i].shown);
		else
			strcpy(want, in);
		out = sanitize_text(in);
		if (strcmp(out, want) != 0)
			fail_msg("U+%04X: got %s, want %s", invisible[i].cp, out, want);
		assert_int_equal(sanitize_is_clean(in), invisible[i].shown == NULL);
		assert_int_equal(sanitize_is_hidden(invisible[i].cp), invisible[i].shown != NULL);
		free(out);
	}
	/* A name spoofing another with a soft hyphen no longer looks the same. */
	check("Ana\xc2\xad Novak", "Ana<U+00AD> Novak");
	check("\xe3\x85\xa4", "<U+3164>"); /* a name of one Hangul filler is not blank */
}

static void json_escapes_hidden(void **state)
{
	char *out;
	(void)state;
	out = sanitize_json("{\"n\":\"a\xc2\x9b"
	                    "b\"}");
	assert_string_equal(out, "{\"n\":\"a\\u009bb\"}"); /* C1 CSI */
	free(out);
	out = sanitize_json("[\"\xe2\x80\xae"
	                    "fdp\xe2\x81\xa6\xe2\x80\x8f\xd8\x9c\"]");
	assert_string_equal(out, "[\"\\u202efdp\\u2066\\u200f\\u061c\"]"); /* bidi */
	free(out);
	out = sanitize_json("[\"\xf3\xa0\x81\x81\x7f\xff\"]"); /* tag A, DEL, a stray byte */
	assert_string_equal(out, "[\"\\udb40\\udc41\\u007f\\ufffd\"]");
	free(out);
	out = sanitize_json("[\n  \"\xc5\xbdu\xc5\xbe" /* layout and letters stay */
	                    "ek \xe5\xb1\xb1\"\n]");
	assert_string_equal(out, "[\n  \"\xc5\xbdu\xc5\xbe"
	                         "ek \xe5\xb1\xb1\"\n]");
	free(out);
	out = sanitize_json(NULL);
	assert_string_equal(out, "");
	free(out);
}

/* Through json-c and back: the same string, and the text is plain ASCII
 * when every non-ASCII character in it is hidden. */
static void json_round_trips(void **state)
{
	static const char name[] = "x\xc2\x80\xc2\x9f\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6"
	                           "\xe2\x81\xa9\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xc2\xad"
	                           "\xf3\xa0\x80\x81\xf3\xa0\x81\xbf\x7f\x1b]0;t\x07y";
	json_object *o = json_object_new_object(), *back;
	char *text;
	(void)state;
	json_object_object_add(o, "name", json_object_new_string(name));
	text = sanitize_json(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			fail_msg("raw byte 0x%02X in %s", (unsigned char)*p, text);
	back = json_tokener_parse(text);
	assert_non_null(back);
	assert_string_equal(json_object_get_string(json_object_object_get(back, "name")), name);
	json_object_put(back);
	json_object_put(o);
	free(text);
}

static void shell_words(void **state)
{
	static const struct {
		const char *in, *want;
	} words[] = {
	    {"ana.novak@kovinoplast.si", "ana.novak@kovinoplast.si"},
	    {"type:queue", "type:queue"},
	    {"", "''"},
	    {"Ana Novak", "'Ana Novak'"},
	    {"$(touch X)", "'$(touch X)'"},
	    {"`id`", "'`id`'"},
	    {"O'Brien", "'O'\\''Brien'"},
	    {"\"$HOME\"", "'\"$HOME\"'"},
	    {"~root", "'~root'"},
	    {"=ls", "'=ls'"},
	    {"\xc5\xbdu\xc5\xbe"
	     "ek",
	     "'\xc5\xbdu\xc5\xbe"
	     "ek'"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		char *out = sanitize_quote_shell(words[i].in);
		assert_string_equal(out, words[i].want);
		free(out);
	}
}

/* Each hostile word, quoted, given to sh as an argument of printf comes
 * back byte for byte, and nothing in it ran. */
static void shell_reads_words_back(void **state)
{
	static const char *hostile[] = {
	    "$(touch X)",
	    "`touch X`",
	    "a'b",
	    "'; touch X; '",
	    "\"$(touch X)\"",
	    "*",
	    "a\\b",
	    "!x",
	    "$HOME",
	    "line\nbreak",
	    "-n",
	    "a b  c",
	    "'",
	    "''",
	    "\\'",
	    "it's $(touch X)",
	    "`touch X`'",
	    "O'Brien \"$(touch X)\"",
	};
	char dir[] = "/tmp/emailcfg-shell-XXXXXX";
	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		char *word = sanitize_quote_shell(hostile[i]), cmd[512], got[256] = "";
		FILE *p;
		size_t n;
		snprintf(cmd, sizeof cmd, "cd %s && printf '%%s' %s", dir, word);
		p = popen(cmd, "r");
		assert_non_null(p);
		n = fread(got, 1, sizeof got - 1, p);
		got[n] = '\0';
		assert_int_equal(pclose(p), 0);
		assert_string_equal(got, hostile[i]);
		free(word);
	}
	{
		char x[64], cmd[96];
		snprintf(x, sizeof x, "%s/X", dir);
		assert_int_equal(access(x, F_OK), -1); /* nothing ran */
		snprintf(cmd, sizeof cmd, "rmdir %s", dir);
		assert_int_equal(system(cmd), 0);
	}
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

/* ASCII terminals spell typographic punctuation plainly (an en dash was a
 * '?': "IMAP/SMTP ? post~"), and a cut is measured in those columns. */
static void fit_ascii_punctuation(void **state)
{
	char *s;
	(void)state;
	s = display_fit("IMAP/SMTP \u2013 post \u2014 \u2018a\u2019 \u201cb\u201d c\u2026", 40,
	                true, false);
	assert_string_equal(s, "IMAP/SMTP - post - 'a' \"b\" c...");
	free(s);
	/* "x…" is 4 columns in ASCII: cut at 3, the "..." whole or not at all */
	s = display_fit("x\u2026", 3, true, true);
	assert_string_equal(s, "x~ ");
	free(s);
	s = display_fit("x\u2026", 4, true, true);
	assert_string_equal(s, "x...");
	free(s);
	/* UTF-8 terminals keep them */
	s = display_fit("a \u2013 b", 10, false, false);
	assert_string_equal(s, "a \u2013 b");
	free(s);
}

/* Hostile strings: every C0 control, DEL, quotes and backslashes, '/',
 * C1 and bidi characters, invisible ones, a character above U+FFFF, and
 * invalid UTF-8 (stray continuation, truncated sequences, overlong, a
 * surrogate, bytes F5-FF), CSV commas and line breaks. */
static const char *const hostile[] = {
    "",
    "plain Ana Novak",
    "quote \" back\\slash /slash",
    "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
    "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f",
    "\x1b]52;c;aGk=\x07 \x1b[2J",
    "Eve\xc2\x9b"
    "31m\xe2\x80\xaegnp\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8e\xc2\xad\xf3\xa0\x81\x81",
    "bad \xff\xfe \x80 \xc3 \xe2\x82 \xc0\xaf \xed\xa0\x80 \xf5\x80\x80\x80 end\xc3",
    "a,b,\"c\"\r\nd\ne",
    "Žužek 山田 📧 \xef\xbb\xbf",
    "=HYPERLINK(\"http://evil.example/\",\"x\")",
};

/* What the CLI wrote before: json-c's compact text, then sanitize_json. */
static char *old_json(json_object *o)
{
	return sanitize_json(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                           JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void json_writer_matches_json_c(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		json_object *o = json_object_new_string(hostile[i]);
		char *want = old_json(o), *got = NULL;
		size_t size;
		FILE *f = open_memstream(&got, &size);
		sanitize_json_write_string(f, hostile[i]);
		fclose(f);
		if (strcmp(got, want) != 0)
			fail_msg("string %zu: wrote [%s], json-c and sanitize_json give [%s]", i,
			         got, want);
		free(got);
		free(want);
		json_object_put(o);
	}
}

static ec_mailbox hostile_mailbox(size_t i)
{
	ec_mailbox m;
	size_t n = sizeof hostile / sizeof *hostile;
	mailbox_init(&m);
	snprintf(m.id, sizeof m.id, "00000000-0000-0000-0000-%012zu", i);
	m.name = (char *)hostile[i % n];
	m.email = (char *)hostile[(i + 1) % n];
	m.owner = i % 3 ? (char *)hostile[(i + 2) % n] : NULL;
	m.profile_name = (char *)hostile[(i + 3) % n];
	if (i % 2)
		snprintf(m.profile_id, sizeof m.profile_id, "e0000000-0000-0000-0000-%012zu", i);
	m.owner_type = i % 4 ? OWNER_USER : 77; /* newer than this emailcfg */
	m.incoming = i % 3 ? INCOMING_SSS : EC_NULL;
	m.outgoing = (int)(i % 3);
	m.act = EC_NULL;
	m.incoming_status = i % 2 ? STATUS_FAILURE : 9;
	m.outgoing_status = STATUS_SUCCESS;
	m.act_status = EC_NULL;
	m.approval = (int)(i % 5);
	m.enabled_incoming = i % 2 ? 1 : EC_NULL;
	m.enabled_outgoing = 0;
	m.enabled_act = EC_NULL;
	m.test_scheduled = (int)(i % 2);
	if (i % 2)
		snprintf(m.test_completed_on, sizeof m.test_completed_on, "2024-03-01T09:00:00Z");
	m.state = (int)(i % 2);
	snprintf(m.modified_on, sizeof m.modified_on, "2024-03-0%zuT09:00:00Z", 1 + i % 9);
	m.pending_edits = (int)i;
	m.conflict = i % 2;
	return m;
}

static void mailbox_writer_matches_json_c(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2 * sizeof hostile / sizeof *hostile; i++) {
		ec_mailbox m = hostile_mailbox(i);
		json_object *o = codec_mailbox_to_cli(&m);
		char *want = old_json(o), *got = NULL, buf[32];
		size_t size;
		int k = 0;
		FILE *f = open_memstream(&got, &size);
		codec_mailbox_write_json(f, &m);
		fclose(f);
		if (strcmp(got, want) != 0)
			fail_msg("mailbox %zu: wrote\n%s\njson-c and sanitize_json give\n%s", i,
			         got, want);
		/* The CSV cells: json-c's string of each value, "" for null. */
		assert_int_equal(json_object_object_length(o), codec_mailbox_cli_count);
		json_object_object_foreach(o, key, val)
		{
			assert_string_equal(codec_mailbox_cli_key(k), key);
			assert_string_equal(codec_mailbox_cli_text(&m, k, buf),
			                    val ? json_object_get_string(val) : "");
			k++;
		}
		free(got);
		free(want);
		json_object_put(o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(clean_text_passes),
	    cmocka_unit_test(escapes_become_visible),
	    cmocka_unit_test(c1_bidi_and_invalid_bytes),
	    cmocka_unit_test(invisible_become_visible),
	    cmocka_unit_test(json_escapes_hidden),
	    cmocka_unit_test(json_round_trips),
	    cmocka_unit_test(shell_words),
	    cmocka_unit_test(shell_reads_words_back),
	    cmocka_unit_test(long_strings),
	    cmocka_unit_test(fit_measures_columns),
	    cmocka_unit_test(fit_ascii_punctuation),
	    cmocka_unit_test(json_writer_matches_json_c),
	    cmocka_unit_test(mailbox_writer_matches_json_c),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
