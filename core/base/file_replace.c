/* file_replace.c — writing a file whole through a renamed temporary (see
 * file_replace.h). */
#include "core/base/file_replace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/mem.h"

/* DIR/.NAME.XXXXXX for path DIR/NAME (or NAME alone). */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, n = strlen(path) + 10;
	char *tmp = ec_xmalloc(n);
	snprintf(tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	return tmp;
}

static int fill_and_sync(FILE *f, const char *path, file_fill_fn fill, void *ctx, ec_error *err)
{
	int rc = fill(f, ctx, err);
	if (rc == EC_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f)))
		rc = ec_fail(err, EC_LOCAL, "cannot write %s: %s", path, strerror(errno));
	return rc;
}

int file_replace(const char *path, mode_t mode, file_fill_fn fill, void *ctx, ec_error *err)
{
	char *tmp = temp_name(path);
	int fd = mkstemp(tmp), rc = EC_OK;
	FILE *f = NULL;
	if (fd < 0 || fchmod(fd, mode) != 0 || !(f = fdopen(fd, "w")))
		rc = ec_fail(err, EC_LOCAL, "cannot write %s: %s", path, strerror(errno));
	if (rc == EC_OK)
		rc = fill_and_sync(f, path, fill, ctx, err);
	if (f && fclose(f) != 0 && rc == EC_OK)
		rc = ec_fail(err, EC_LOCAL, "cannot write %s: %s", path, strerror(errno));
	else if (!f && fd >= 0)
		close(fd);
	if (rc == EC_OK && rename(tmp, path) != 0)
		rc = ec_fail(err, EC_LOCAL, "cannot rename %s to %s: %s", tmp, path,
		             strerror(errno));
	if (rc != EC_OK && fd >= 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
