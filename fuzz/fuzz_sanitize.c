/* fuzz_sanitize.c — libFuzzer harness: any bytes as a mailbox name. The
 * sanitizer's output must be clean (no control character, escape, bidi
 * override or invalid UTF-8 left) and fit to any width by display columns
 * without splitting a character. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	free(clean);
	free(in);
	return 0;
}
