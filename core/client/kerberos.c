/* kerberos.c — Kerberos tickets for auth = windows (see kerberos.h): kinit
 * with a password into a MEMORY: cache, GSS-API's cache for this thread,
 * and the diagnosis of a refused sign-in. Touches only libkrb5/GSS-API
 * state of this process (the MEMORY: caches it makes); never writes a
 * cache file and never puts the password or a ticket in a message. */
#include "core/client/kerberos.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#define SKEW_WORDS                                                                                 \
	"this computer's clock and the domain controller's differ by more than Kerberos "          \
	"allows (clock skew, 5 minutes by default): set the time (timedatectl set-ntp true, or "   \
	"chrony against a domain controller) and sign in again"

static atomic_uint cache_serial;

bool kerberos_is_principal(const char *username)
{
	const char *at = username ? strrchr(username, '@') : NULL;
	return at && at != username && at[1] && !strchr(username, '\\');
}

/* user@realm with the realm in capitals: Active Directory's realm is the
 * domain's DNS name upper-cased, while UPNs are usually written lower. */
static void kerberos_principal_text(const char *username, char *out, size_t size)
{
	snprintf(out, size, "%s", username);
	for (char *p = strrchr(out, '@'); p && *p; p++)
		*p = (char)toupper((unsigned char)*p);
}

/* What the KDC answered a kinit: KERBEROS_NO_KDC when there is no KDC to
 * ask, else KERBEROS_FAILED with the sentence in err. */
static int kerberos_kinit_error(krb5_context ctx, krb5_error_code code, const char *principal,
                                const char *password_file, ec_error *err)
{
	const char *realm = strrchr(principal, '@') + 1;
	switch (code) {
	case KRB5_KDC_UNREACH:
	case KRB5_REALM_UNKNOWN:
	case KRB5_REALM_CANT_RESOLVE:
	case KRB5_CONFIG_NODEFREALM: return KERBEROS_NO_KDC;
	case KRB5KDC_ERR_PREAUTH_FAILED:
	case KRB5KRB_AP_ERR_BAD_INTEGRITY:
		ec_fail(err, EC_NETWORK, "the KDC refused the password for %s: check %s", principal,
		        password_file ? password_file : "password-file");
		break;
	case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
		ec_fail(err, EC_NETWORK,
		        "the domain (Kerberos realm %s) has no user %s: check username "
		        "(user@DOMAIN, as the account signs in to Windows)",
		        realm, principal);
		break;
	case KRB5KRB_AP_ERR_SKEW:
		ec_fail(err, EC_NETWORK, "the KDC refused %s: %s", principal, SKEW_WORDS);
		break;
	case KRB5KDC_ERR_KEY_EXP:
		ec_fail(err, EC_NETWORK,
		        "the password of %s has expired: change it (on a domain computer or with "
		        "kpasswd) and update %s",
		        principal, password_file ? password_file : "password-file");
		break;
	case KRB5KDC_ERR_CLIENT_REVOKED:
		ec_fail(
		    err, EC_NETWORK,
		    "the domain refused %s: the account is disabled or locked out; ask a domain "
		    "admin",
		    principal);
		break;
	default: {
		const char *m = krb5_get_error_message(ctx, code);
		ec_fail(err, EC_NETWORK, "Kerberos sign-in as %s failed: %s", principal, m);
		krb5_free_error_message(ctx, m);
	}
	}
	return KERBEROS_FAILED;
}

static int kerberos_kinit_into(krb5_context ctx, krb5_principal me, krb5_ccache cc,
                               const char *password, time_t *ends, krb5_error_code *code)
{
	krb5_get_init_creds_opt *opt = NULL;
	krb5_creds creds;
	memset(&creds, 0, sizeof creds);
	if ((*code = krb5_cc_initialize(ctx, cc, me)) ||
	    (*code = krb5_get_init_creds_opt_alloc(ctx, &opt)) ||
	    (*code = krb5_get_init_creds_opt_set_out_ccache(ctx, opt, cc)))
		goto out;
	*code = krb5_get_init_creds_password(ctx, &creds, me, password, NULL, NULL, 0, NULL, opt);
	if (!*code)
		*ends = (time_t)(uint32_t)creds.times.endtime; /* unsigned: past 2038 */
out:
	krb5_free_cred_contents(ctx, &creds);
	krb5_get_init_creds_opt_free(ctx, opt);
	return *code ? -1 : 0;
}

int kerberos_kinit(const char *principal, const char *password, const char *password_file,
                   char *ccache, size_t size, time_t *ends, ec_error *err)
{
	krb5_context ctx;
	krb5_principal me = NULL;
	krb5_ccache cc = NULL;
	krb5_error_code code;
	char name[512];
	int rc = KERBEROS_OK;
	ccache[0] = '\0';
	if (krb5_init_context(&ctx)) {
		ec_fail(err, EC_LOCAL,
		        "Kerberos cannot read its configuration (KRB5_CONFIG or /etc/krb5.conf)");
		return KERBEROS_FAILED;
	}
	kerberos_principal_text(principal, name, sizeof name);
	snprintf(ccache, size, "MEMORY:emailcfg-%ld-%u", (long)getpid(),
	         atomic_fetch_add(&cache_serial, 1));
	if (krb5_parse_name(ctx, name, &me)) {
		ec_fail(err, EC_LOCAL, "username %s is not a Kerberos principal (user@DOMAIN)",
		        name);
		rc = KERBEROS_FAILED;
	} else if ((code = krb5_cc_resolve(ctx, ccache, &cc)))
		rc = kerberos_kinit_error(ctx, code, name, password_file, err);
	else if (kerberos_kinit_into(ctx, me, cc, password, ends, &code))
		rc = kerberos_kinit_error(ctx, code, name, password_file, err);
	if (cc && rc != KERBEROS_OK)
		krb5_cc_destroy(ctx, cc); /* nothing of a failed sign-in stays */
	else if (cc)
		krb5_cc_close(ctx, cc);
	if (rc != KERBEROS_OK)
		ccache[0] = '\0';
	krb5_free_principal(ctx, me);
	krb5_free_context(ctx);
	return rc;
}

void kerberos_forget(const char *ccache)
{
	krb5_context ctx;
	krb5_ccache cc;
	if (!ccache || !*ccache || krb5_init_context(&ctx))
		return;
	if (!krb5_cc_resolve(ctx, ccache, &cc))
		krb5_cc_destroy(ctx, cc);
	krb5_free_context(ctx);
}

void kerberos_use_ccache(const char *ccache)
{
	OM_uint32 minor;
	/* Per thread in MIT GSS-API: other threads keep their own cache. */
	gss_krb5_ccache_name(&minor, ccache, NULL);
}

/* The sentence for a failed service-ticket request (TGS) for HTTP/host. */
static void kerberos_tgs_words(krb5_context ctx, krb5_error_code code, const char *who,
                               const char *host, char *out, size_t size)
{
	switch (code) {
	case KRB5KRB_AP_ERR_TKT_EXPIRED:
		snprintf(out, size, "the Kerberos ticket of %s has expired: run kinit %s", who,
		         who);
		break;
	case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
		snprintf(
		    out, size,
		    "the domain has no service principal HTTP/%s (the KDC answered: server not "
		    "found in Kerberos database): a domain admin registers it on the account "
		    "that runs the CRM web site, e.g. setspn -S HTTP/%s DOMAIN\\crmservice",
		    host, host);
		break;
	case KRB5KRB_AP_ERR_SKEW: snprintf(out, size, "%s", SKEW_WORDS); break;
	case KRB5_KDC_UNREACH:
	case KRB5_REALM_CANT_RESOLVE:
		snprintf(
		    out, size,
		    "no KDC of the domain answers for HTTP/%s: check the network to the domain "
		    "controllers and krb5.conf",
		    host);
		break;
	default: {
		const char *m = krb5_get_error_message(ctx, code);
		snprintf(out, size, "Kerberos for HTTP/%s failed for %s: %s", host, who, m);
		krb5_free_error_message(ctx, m);
	}
	}
}

/* Asks for a ticket to HTTP/host, as GSS-API does for libcurl. */
static krb5_error_code kerberos_service_ticket(krb5_context ctx, krb5_ccache cc, krb5_principal me,
                                               const char *host)
{
	krb5_principal server = NULL;
	krb5_creds in, *got = NULL;
	krb5_error_code code = krb5_sname_to_principal(ctx, host, "HTTP", KRB5_NT_SRV_HST, &server);
	if (code)
		return code;
	memset(&in, 0, sizeof in);
	in.client = me;
	in.server = server;
	code = krb5_get_credentials(ctx, 0, cc, &in, &got);
	krb5_free_creds(ctx, got);
	krb5_free_principal(ctx, server);
	return code;
}

bool kerberos_diagnose(const char *ccache, const char *host, char *out, size_t size)
{
	krb5_context ctx;
	krb5_ccache cc = NULL;
	krb5_principal me = NULL;
	char *who = NULL;
	krb5_error_code code;
	bool failed = true;
	if (krb5_init_context(&ctx)) {
		snprintf(out, size,
		         "Kerberos cannot read its configuration (KRB5_CONFIG or /etc/krb5.conf)");
		return true;
	}
	code = ccache && *ccache ? krb5_cc_resolve(ctx, ccache, &cc) : krb5_cc_default(ctx, &cc);
	if (!code)
		code = krb5_cc_get_principal(ctx, cc, &me);
	if (code || krb5_unparse_name(ctx, me, &who))
		snprintf(out, size,
		         "there is no Kerberos ticket (klist shows none): run kinit USER@REALM, or "
		         "set username = USER@REALM and password-file");
	else if ((code = kerberos_service_ticket(ctx, cc, me, host)))
		kerberos_tgs_words(ctx, code, who, host, out, size);
	else
		failed = false;
	krb5_free_unparsed_name(ctx, who);
	krb5_free_principal(ctx, me);
	if (cc)
		krb5_cc_close(ctx, cc);
	krb5_free_context(ctx);
	return failed;
}
