/* paths.c — data and catalog directories found at run time (see paths.h). */
#include "core/base/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ec_exe_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n <= 0) {
		dir[0] = '\0';
		return dir;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return dir;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* $env if set and not empty; else EXEDIR/in_tree when that directory
 * exists (a binary at the top of the source tree); else EXEDIR/installed. */
static const char *find_dir(char *out, size_t size, const char *env, const char *in_tree,
                            const char *installed)
{
	const char *value = getenv(env), *exe = ec_exe_dir();
	if (value && *value)
		return value;
	if (out[0])
		return out;
	snprintf(out, size, "%s/%s", exe, in_tree);
	if (!is_dir(out))
		snprintf(out, size, "%s/%s", exe, installed);
	return out;
}

const char *ec_datadir(void)
{
	static char dir[PATH_MAX + 32];
	return find_dir(dir, sizeof dir, "EMAILCFG_DATADIR", "data", "../share/emailcfg");
}

const char *ec_localedir(void)
{
	static char dir[PATH_MAX + 32];
	return find_dir(dir, sizeof dir, "EMAILCFG_LOCALEDIR", "build/locale", "../share/locale");
}
