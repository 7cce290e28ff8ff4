/* paths.h — where the installed data files and translations are, found at
 * run time from the location of the running binary, so a build can be
 * installed under any PREFIX (and DESTDIR) without compiling it again, and
 * an uninstalled binary at the top of the source tree finds its own. */
#ifndef EMAILCFG_PATHS_H
#define EMAILCFG_PATHS_H

/* The directory the running executable is in (from /proc/self/exe); "" when
 * it cannot be told. */
const char *ec_exe_dir(void);

/* The data directory (demo-org.json): $EMAILCFG_DATADIR when set; else
 * EXEDIR/data beside a binary at the top of the source tree; else
 * EXEDIR/../share/emailcfg, where `make install` puts it. */
const char *ec_datadir(void);

/* The message catalogs (LANG/LC_MESSAGES/emailcfg.mo): $EMAILCFG_LOCALEDIR
 * when set; else EXEDIR/build/locale beside a binary at the top of the
 * source tree; else EXEDIR/../share/locale, where `make install` puts them. */
const char *ec_localedir(void);

/* The call sites name these directories as they did when they were
 * compiled in. */
#define EMAILCFG_DATADIR   ec_datadir()
#define EMAILCFG_LOCALEDIR ec_localedir()

#endif
