/* test_kerberos.c — the parts of core/client/kerberos.c that need no KDC:
 * which user name signs in by Kerberos, a realm with no KDC falling back
 * (KERBEROS_NO_KDC, so the caller uses NTLM), and the diagnosis of an
 * empty ticket cache. Each uses its own krb5.conf in a temporary directory
 * (no DNS lookups), never the machine's. The rest (a real KDC and the
 * emulator) is tests/integration/client_windows_kerberos.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/client/kerberos.h"

static char conf_dir[] = "/tmp/emailcfg-krb-unit.XXXXXX";
static char conf_path[128];

static int conf_make(void **state)
{
	(void)state;
	if (!mkdtemp(conf_dir))
		return -1;
	snprintf(conf_path, sizeof conf_path, "%s/krb5.conf", conf_dir);
	FILE *f = fopen(conf_path, "w");
	if (!f)
		return -1;
	fputs("[libdefaults]\n default_realm = NOKDC.TEST\n dns_lookup_kdc = false\n"
	      " dns_lookup_realm = false\n dns_canonicalize_hostname = false\n",
	      f);
	fclose(f);
	setenv("KRB5_CONFIG", conf_path, 1);
	setenv("KRB5CCNAME", "MEMORY:emailcfg-unit-empty", 1);
	return 0;
}

static int conf_remove(void **state)
{
	(void)state;
	unlink(conf_path);
	rmdir(conf_dir);
	return 0;
}

static void principal_names(void **state)
{
	(void)state;
	assert_true(kerberos_is_principal("jnovak@contoso.local"));
	assert_true(kerberos_is_principal("jnovak@CONTOSO.LOCAL"));
	assert_false(kerberos_is_principal("CONTOSO\\jnovak"));
	assert_false(kerberos_is_principal("CONTOSO\\jnovak@contoso.local"));
	assert_false(kerberos_is_principal("jnovak"));
	assert_false(kerberos_is_principal("@CONTOSO.LOCAL"));
	assert_false(kerberos_is_principal("jnovak@"));
	assert_false(kerberos_is_principal(NULL));
}

/* A realm krb5.conf names no KDC for, and DNS may not be asked: NTLM's turn,
 * no error, no cache left behind. */
static void realm_without_kdc(void **state)
{
	(void)state;
	char ccache[96] = "x";
	time_t ends = 0;
	ec_error err = {0};
	int rc = kerberos_kinit("jnovak@nokdc.test", "not-shown", "/tmp/pw", ccache, sizeof ccache,
	                        &ends, &err);
	assert_int_equal(rc, KERBEROS_NO_KDC);
	assert_string_equal(ccache, "");
	assert_null(strstr(err.msg, "not-shown"));
}

static void empty_cache_diagnosed(void **state)
{
	(void)state;
	char why[512];
	assert_true(kerberos_diagnose(NULL, "crm.contoso.local", why, sizeof why));
	assert_non_null(strstr(why, "there is no Kerberos ticket"));
	assert_non_null(strstr(why, "run kinit USER@REALM"));
	assert_true(kerberos_diagnose("MEMORY:emailcfg-unit-other", "crm", why, sizeof why));
	assert_non_null(strstr(why, "there is no Kerberos ticket"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(principal_names),
	    cmocka_unit_test(realm_without_kdc),
	    cmocka_unit_test(empty_cache_diagnosed),
	};
	return cmocka_run_group_tests(tests, conf_make, conf_remove);
}
