/* json-get.c — test tool: reads JSON from stdin and prints a part of it, so
 * shell tests can check `--json` output without jq.
 *
 *   json-get keys PATH     the keys of the object at PATH, in order, one line
 *   json-get len PATH      the length of the array or object at PATH
 *   json-get get PATH      the value at PATH (strings bare, others as JSON)
 *   json-get each PATH F   field F of every element of the array at PATH
 *
 * PATH is "." or dot-separated keys and array indexes: ".0.name". Exits 1
 * when the input is not JSON or PATH does not exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static json_object *walk(json_object *o, const char *path)
{
	char *copy = strdup(path), *save = NULL;
	for (char *t = strtok_r(copy, ".", &save); t && o; t = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array)) {
			char *end;
			long i = strtol(t, &end, 10);
			o = *end ? NULL : json_object_array_get_idx(o, (size_t)i);
		} else if (!json_object_object_get_ex(o, t, &o)) {
			o = NULL;
		}
	}
	free(copy);
	return o;
}

static void print_value(json_object *v)
{
	if (!v)
		puts("null");
	else if (json_object_is_type(v, json_type_string))
		puts(json_object_get_string(v));
	else
		puts(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
		                                           JSON_C_TO_STRING_NOSLASHESCAPE));
}

static char *read_all(FILE *f)
{
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	char *text;
	json_object *root, *at;
	int rc = 0;
	if (argc < 3) {
		fputs("usage: json-get keys|len|get|each PATH [FIELD] < JSON\n", stderr);
		return 2;
	}
	text = read_all(stdin);
	root = json_tokener_parse(text);
	free(text);
	if (!root) {
		fputs("json-get: input is not JSON\n", stderr);
		return 1;
	}
	at = strcmp(argv[2], ".") == 0 ? root : walk(root, argv[2]);
	if (!at && strcmp(argv[1], "get") != 0) {
		fprintf(stderr, "json-get: no %s\n", argv[2]);
		rc = 1;
	} else if (strcmp(argv[1], "keys") == 0) {
		json_object_object_foreach(at, key, val)
		{
			(void)val;
			puts(key);
		}
	} else if (strcmp(argv[1], "len") == 0) {
		printf("%zu\n", json_object_is_type(at, json_type_array)
		                    ? json_object_array_length(at)
		                    : (size_t)json_object_object_length(at));
	} else if (strcmp(argv[1], "get") == 0) {
		print_value(at);
	} else if (strcmp(argv[1], "each") == 0 && argc > 3) {
		for (size_t i = 0; i < json_object_array_length(at); i++)
			print_value(walk(json_object_array_get_idx(at, i), argv[3]));
	} else {
		fputs("json-get: unknown verb\n", stderr);
		rc = 2;
	}
	json_object_put(root);
	return rc;
}
