/* version.h — what `emailcfg --version` reports. EMAILCFG_VERSION (the
 * release, from the Makefile) is a compiler definition; the revision lives
 * in one generated object (build/gen/version.c), so a new commit relinks
 * instead of recompiling everything. */
#ifndef EMAILCFG_VERSION_H
#define EMAILCFG_VERSION_H

/* The git revision the binary was built from: 12 hex digits, "-dirty" when
 * tracked files differed from it; a tarball's REVISION file outside git;
 * "unknown" when neither tells. */
extern const char emailcfg_revision[];

#endif
