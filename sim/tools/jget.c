/* jget.c — a tiny JSON extractor for shell tests (no jq needed).
 *
 *   jget FILE            exit 0 when FILE ('-' = stdin) is valid JSON, else 2
 *   jget FILE PATH       print the value at PATH; exit 1 when it is absent
 *   jget -k FILE PATH    print the keys of the object at PATH, one a line
 *   jget -t FILE PATH    print the members of the object at PATH as
 *                        KEY<TAB>VALUE lines, the value as compact JSON
 *                        (strings quoted), and an empty line after it
 *
 * PATH separates steps with '/', because keys such as "@odata.nextLink"
 * contain dots: "value/0/name", "error/code", "value/#" (length of an array
 * or object), "value/STAR/mailboxid" where STAR is '*' (every element, one a
 * line). An empty PATH ("") is the root. Strings print raw, null as "null",
 * numbers and booleans as JSON, objects and arrays as compact JSON. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_value(json_object *j)
{
	if (json_object_is_type(j, json_type_string))
		fwrite(json_object_get_string(j), 1, (size_t)json_object_get_string_len(j), stdout);
	else
		fputs(j ? json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN) : "null",
		      stdout);
	putchar('\n');
}

static void print_keys(json_object *j)
{
	if (!json_object_is_type(j, json_type_object))
		return;
	json_object_object_foreach(j, key, val)
	{
		(void)val;
		puts(key);
	}
}

/* -t: a row as KEY<TAB>JSON lines, so a shell test can check every
 * member, its order and its JSON type with one awk pass over a page. */
static void print_members(json_object *j)
{
	if (!json_object_is_type(j, json_type_object))
		return;
	json_object_object_foreach(j, key, val)
	{
		printf("%s\t%s\n", key,
		       val ? json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN |
		                                                     JSON_C_TO_STRING_NOSLASHESCAPE)
		           : "null");
	}
	putchar('\n');
}

static int walk(json_object *j, const char *path, int keys)
{
	if (!*path) {
		if (keys == 2)
			print_members(j);
		else if (keys)
			print_keys(j);
		else
			print_value(j);
		return 1;
	}
	size_t n = strcspn(path, "/");
	const char *rest = path[n] ? path + n + 1 : path + n;
	char step[512];
	snprintf(step, sizeof step, "%.*s", (int)n, path);
	if (!strcmp(step, "#") && !*rest) {
		if (json_object_is_type(j, json_type_array))
			printf("%zu\n", json_object_array_length(j));
		else if (json_object_is_type(j, json_type_object))
			printf("%d\n", json_object_object_length(j));
		else
			return 0;
		return 1;
	}
	if (json_object_is_type(j, json_type_array)) {
		if (!strcmp(step, "*")) {
			int found = 0;
			for (size_t i = 0; i < json_object_array_length(j); i++)
				found += walk(json_object_array_get_idx(j, i), rest, keys);
			return found ? found : 1;
		}
		char *end;
		long idx = strtol(step, &end, 10);
		if (*end || idx < 0 || (size_t)idx >= json_object_array_length(j))
			return 0;
		return walk(json_object_array_get_idx(j, (size_t)idx), rest, keys);
	}
	json_object *child;
	if (!json_object_is_type(j, json_type_object) ||
	    !json_object_object_get_ex(j, step, &child))
		return 0;
	return walk(child, rest, keys);
}

static char *slurp(const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!f)
		return NULL;
	size_t cap = 65536, len = 0, n;
	char *p = malloc(cap);
	while (p && (n = fread(p + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap)
			p = realloc(p, cap *= 2);
	}
	if (f != stdin)
		fclose(f);
	if (p)
		p[len] = '\0';
	return p;
}

int main(int argc, char **argv)
{
	int keys = argc > 1 && !strcmp(argv[1], "-k")   ? 1
	           : argc > 1 && !strcmp(argv[1], "-t") ? 2
	                                                : 0;
	argv += keys != 0;
	argc -= keys != 0;
	if (argc < 2 || argc > 3) {
		fputs("usage: jget [-k|-t] FILE [PATH]\n", stderr);
		return 2;
	}
	char *text = slurp(argv[1]);
	enum json_tokener_error err = json_tokener_success;
	json_object *root = text ? json_tokener_parse_verbose(text, &err) : NULL;
	free(text);
	if (!root && err != json_tokener_success) {
		fprintf(stderr, "jget: %s: not valid JSON (%s)\n", argv[1],
		        json_tokener_error_desc(err));
		return 2;
	}
	int rc = 0;
	if (argc == 3)
		rc = walk(root, argv[2], keys) ? 0 : 1;
	json_object_put(root);
	return rc;
}
