/* fuzz_sanitize.c — libFuzzer harness: any bytes as a mailbox name. The
 * sanitizer's output must be clean (no control character, escape, bidi
 * override, invisible character or invalid UTF-8 left) and fit to any width
 * by display columns without splitting a character; the name as CLI JSON
 * must parse, carry no byte >= 0x7F but in plain letters, and read back as
 * the same name when it is valid UTF-8; quoted for a shell, it must be one
 * word with no expansion (checked by the quoting rule, not by running sh). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/base/sanitize.h"
#include "core/base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool valid_utf8(const char *s)
{
	size_t n = strlen(s);
	unsigned cp;
	for (size_t i = 0, len; i < n; i += len)
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0)
			return false;
	return true;
}

static void check_json(const char *name)
{
	json_object *o = json_object_new_string(name), *back;
	char *text = sanitize_json(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	size_t n = strlen(text);
	unsigned cp;
	for (size_t i = 0, len; i < n; i += len)
		if ((len = utf8_decode(text + i, n - i, &cp)) == 0 || cp == 0x7F ||
		    sanitize_is_hidden(cp))
			abort();
	back = json_tokener_parse(text);
	if (!back || (valid_utf8(name) && strcmp(json_object_get_string(back), name) != 0))
		abort();
	json_object_put(back);
	json_object_put(o);
	free(text);
}

/* Inside single quotes nothing expands; a quote of s is only ever '\''. */
static void check_shell(const char *name)
{
	char *word = sanitize_quote_shell(name), *p = word;
	if (*p == '\'') {
		for (p++; *p; p++)
			if (*p == '\'' && strncmp(p, "'\\''", 4) == 0)
				p += 3;
			else if (*p == '\'' && p[1])
				abort();
	} else if (strpbrk(word, " \t\n'\"`$\\*?[~=;&|<>(){}#!") || !*word) {
		abort();
	}
	free(word);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), *clean, *fit;
	memcpy(in, data, size);
	in[size] = '\0';
	clean = sanitize_text(in);
	if (!sanitize_is_clean(clean) || strchr(clean, 0x1b))
		abort();
	for (size_t w = 0; w < 12; w += 5) {
		fit = display_fit(clean, w, w == 5, true);
		if (utf8_width(fit) != w || !sanitize_is_clean(fit))
			abort();
		free(fit);
	}
	check_json(in);
	check_shell(in);
	free(clean);
	free(in);
	return 0;
}
