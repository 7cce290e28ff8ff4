/* cmd_login.c — `emailcfg login` (device-code sign-in: the address and the
 * code on stderr, as `az login --use-device-code` shows them) and
 * `emailcfg logout [--all]` (forgets the sign-in cache). Prints; the flow
 * and the cache are core/client/signin.c's and core/client/token_store.c's. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/base/i18n.h"
#include "core/client/http.h"
#include "core/base/sanitize.h"
#include "core/client/signin.h"
#include "core/client/token_store.h"

static void show_code(void *ctx, const char *uri, const char *code, long expires_s)
{
	/* Both come from the authority: sanitised before the terminal. */
	char *u = sanitize_text(uri), *c = sanitize_text(code);
	(void)ctx;
	fprintf(stderr,
	        ngettext("To sign in, open %s in a browser on any device and enter the code %s\n"
	                 "(it works for %ld minute; emailcfg waits here).\n",
	                 "To sign in, open %s in a browser on any device and enter the code %s\n"
	                 "(it works for %ld minutes; emailcfg waits here).\n",
	                 (unsigned long)(expires_s + 59) / 60),
	        u, c, (expires_s + 59) / 60);
	fflush(stderr);
	free(u);
	free(c);
}

int cmd_login(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	ec_http_opts o;
	ec_http *http;
	char **pos, *user = NULL;
	int npos, rc = cli_parse(argc, argv, NULL, 0, &pos, &npos, err);
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg login");
	if (rc != EC_OK)
		return rc;
	http_opts_default(&o);
	o.ca_file = ctx->cfg.ca_file;
	if ((rc = http_opts_from_env(&o, err)) != EC_OK ||
	    (rc = http_open(&o, &http, err)) != EC_OK)
		return rc;
	rc = signin_login(&ctx->cfg, http, show_code, NULL, &user, err);
	http_close(http);
	if (rc == EC_OK) {
		char *u = sanitize_text(user), *org = sanitize_text(ctx->cfg.org_url);
		fprintf(stderr, _("Signed in as %s to %s.\n"), u, org);
		free(u);
		free(org);
	}
	free(user);
	return rc;
}

int cmd_logout(cli_ctx *ctx, int argc, char **argv, ec_error *err)
{
	bool all = false;
	const cli_opt opts[] = {{"--all", &all, NULL}};
	char **pos;
	int npos, removed = 0, rc = cli_parse(argc, argv, opts, 1, &pos, &npos, err);
	free(pos);
	if (rc == EC_OK && npos)
		rc = ec_fail(err, EC_USAGE, "usage: emailcfg logout [--all]");
	if (rc == EC_OK && !all)
		rc = config_require_org(&ctx->cfg, err);
	if (rc == EC_OK)
		rc = token_store_forget(all ? NULL : ctx->cfg.org_url, &removed, err);
	if (rc == EC_OK) {
		char *org = sanitize_text(all ? _("every organization") : ctx->cfg.org_url);
		if (removed)
			fprintf(stderr,
			        ngettext("Forgot the sign-in to %s.\n",
			                 "Forgot the sign-ins to %s.\n", (unsigned long)removed),
			        org);
		else
			fprintf(stderr, _("There was no sign-in to %s.\n"), org);
		free(org);
	}
	return rc;
}
