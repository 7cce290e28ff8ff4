/* schema.c — the column tables of organization, emailserverprofile, mailbox,
 * tracelog, systemuser and queue (docs/dataverse.md). */
#include "schema.h"

#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define RW   (F_READ | F_WRITE)
#define RO   F_READ
#define RQ   F_REQ

#define STR(n, f, len, d)                                                                          \
	{                                                                                          \
		.name = n, .type = T_STRING, .flags = f, .maxlen = len, .dflt = d                  \
	}
#define INT(n, f, lo, hi, d)                                                                       \
	{                                                                                          \
		.name = n, .type = T_INT, .flags = f, .min = lo, .max = hi, .dflt = d              \
	}
#define BOOL(n, f, labels, d)                                                                      \
	{                                                                                          \
		.name = n, .type = T_BOOL, .flags = f, .options = labels, .noptions = 2, .dflt = d \
	}
#define CHOICE(n, f, opts, d)                                                                      \
	{                                                                                          \
		.name = n, .type = T_CHOICE, .flags = f, .options = opts, .noptions = N(opts),     \
		.dflt = d                                                                          \
	}
#define DATE(n, f)                                                                                 \
	{                                                                                          \
		.name = n, .type = T_DATE, .flags = f                                              \
	}
#define PK(n)                                                                                      \
	{                                                                                          \
		.name = n, .type = T_GUID, .flags = RO | RQ                                        \
	}
#define LOOKUP(n, f, b, t)                                                                         \
	{                                                                                          \
		.name = n, .type = T_LOOKUP, .flags = f, .bind = b, .targets = t, .ntargets = N(t) \
	}
#define SECRET(n, len, s)                                                                          \
	{                                                                                          \
		.name = n, .type = T_STRING, .flags = F_WRITE | F_SECRET, .maxlen = len,           \
		.isset = s                                                                         \
	}
#define VERSION                                                                                    \
	{                                                                                          \
		.name = "versionnumber", .type = T_BIGINT, .flags = RO                             \
	}

static const struct choice yes_no[] = {{0, "No"}, {1, "Yes"}};
static const struct choice success_failure[] = {{0, "Failure"}, {1, "Success"}};
static const struct choice state_opts[] = {{0, "Active"}, {1, "Inactive"}};
static const struct choice status_opts[] = {{1, "Active"}, {2, "Inactive"}};
static const struct choice incoming_opts[] = {{0, "None"},
                                              {1, "Microsoft Dynamics 365 for Outlook"},
                                              {2, "Server-Side Synchronization"},
                                              {3, "Forward Mailbox"}};
static const struct choice outgoing_opts[] = {
    {0, "None"}, {1, "Microsoft Dynamics 365 for Outlook"}, {2, "Server-Side Synchronization"}};
static const struct choice act_opts[] = {
    {0, "Microsoft Dynamics 365 for Outlook"}, {1, "Server-Side Synchronization"}, {2, "None"}};
static const struct choice test_status[] = {{0, "Not Run"}, {1, "Success"}, {2, "Failure"}};
static const struct choice approval_opts[] = {
    {0, "Empty"}, {1, "Approved"}, {2, "Pending Approval"}, {3, "Rejected"}};
static const struct choice channel_opts[] = {{0, "Server-Side Synchronization"},
                                             {1, "Microsoft Dynamics 365 Email Router"}};
static const struct choice servertype_opts[] = {{0, "Exchange Server"},
                                                {1, "Other (POP3/SMTP)"},
                                                {2, "Exchange Server (Hybrid)"},
                                                {3, "Exchange Online (Hybrid)"},
                                                {4, "IMAP/SMTP"}};
static const struct choice authproto_opts[] = {
    {0, "Auto Detect"}, {1, "Negotiate"}, {2, "NTLM"}, {3, "Basic"}, {4, "OAuth"}};
static const struct choice credential_opts[] = {
    {0, "Credentials Specified by a User or Queue"},
    {1, "Credentials Specified in Email Server Profile"},
    {2, "Server to Server Authentication"},
    {3, "Windows Integrated Authentication"},
    {4, "Without Credentials (Anonymous)"},
    {5, "Gmail OAuth"},
    {6, "Exchange Hybrid Modern Auth (HMA)"},
    {7, "OAuth with Microsoft Entra ID"}};
static const struct choice authority_opts[] = {
    {0, "Public"}, {1, "US Government"}, {2, "China"}, {3, "Automatic"}};
static const struct choice level_opts[] = {{1, "Information"}, {2, "Warning"}, {3, "Error"}};
static const struct choice filtering_opts[] = {
    {0, "All email messages"},
    {1, "Email messages in response to Dynamics 365 email"},
    {2, "Email messages from Dynamics 365 Leads, Contacts and Accounts"},
    {3, "Email messages from Dynamics 365 records that are email enabled"},
    {4, "No email messages"}};
static const struct choice queuetype_opts[] = {{0, "Public"}, {1, "Private"}};

static const struct lookup_target to_profile[] = {{E_PROFILE, "emailserverprofile"}};
static const struct lookup_target to_default_profile[] = {
    {E_PROFILE, "defaultemailserverprofileid"}};
static const struct lookup_target mailbox_regarding[] = {{E_SYSTEMUSER, "regardingobjectid"},
                                                         {E_QUEUE, "regardingobjectid_queue"}};
static const struct lookup_target to_owner[] = {{E_SYSTEMUSER, "ownerid"}};
static const struct lookup_target to_org[] = {{E_ORGANIZATION, "organizationid"}};
static const struct lookup_target tracelog_regarding[] = {
    {E_MAILBOX, "regardingobjectid_mailbox"}, {E_PROFILE, "regardingobjectid_emailserverprofile"}};
static const struct lookup_target to_mailbox[] = {{E_MAILBOX, "defaultmailbox"}};

static const struct column mailbox_cols[] = {
    PK("mailboxid"),
    STR("name", RW | RQ, 200, NULL),
    STR("emailaddress", RW, 100, NULL),
    LOOKUP("_regardingobjectid_value", RO, NULL, mailbox_regarding),
    BOOL("isforwardmailbox", RO | RQ, yes_no, "false"),
    BOOL("orgmarkedasprimaryforexchangesync", RW, yes_no, "false"),
    BOOL("isserviceaccount", RO | RQ, yes_no, "false"),
    LOOKUP("_emailserverprofile_value", RW, "emailserverprofile", to_profile),
    LOOKUP("_ownerid_value", RW | RQ, "ownerid", to_owner),
    LOOKUP("_organizationid_value", RO, NULL, to_org),
    CHOICE("incomingemaildeliverymethod", RW, incoming_opts, "0"),
    CHOICE("outgoingemaildeliverymethod", RW, outgoing_opts, "0"),
    CHOICE("actdeliverymethod", RW, act_opts, "0"),
    BOOL("enabledforincomingemail", RW | RQ, yes_no, "true"),
    BOOL("enabledforoutgoingemail", RW | RQ, yes_no, "true"),
    BOOL("enabledforact", RW | RQ, yes_no, "true"),
    BOOL("allowemailconnectortousecredentials", RW, yes_no, "false"),
    STR("username", RW, 200, NULL),
    SECRET("password", 200, "ispasswordset"),
    BOOL("ispasswordset", RO, yes_no, "false"),
    DATE("processemailreceivedafter", RW),
    BOOL("processanddeleteemails", RW, yes_no, "false"),
    STR("ewsurl", RW, 2084, NULL),
    BOOL("isactsyncorgflagset", RW, yes_no, "false"),
    BOOL("orgmarkedasprimaryforexchangesync", RW, yes_no, "false"),
    INT("verboseloggingenabled", RW | RQ, 0, 100, "0"),
    CHOICE("emailrouteraccessapproval", RW | RQ, approval_opts, "0"),
    BOOL("isemailaddressapprovedbyo365admin", RW | RQ, yes_no, "false"),
    DATE("emailaddressapprovedon", RO),
    BOOL("testemailconfigurationscheduled", RW, yes_no, "false"),
    INT("testemailconfigurationretrycount", RW | RQ, 0, 2147483647, "0"),
    DATE("postponetestemailconfigurationuntil", RW),
    DATE("testmailboxaccesscompletedon", RW),
    DATE("testandenablelastattemptedon", RO),
    CHOICE("incomingemailstatus", RW, test_status, "0"),
    CHOICE("outgoingemailstatus", RW, test_status, "0"),
    CHOICE("actstatus", RW, test_status, "0"),
    CHOICE("mailboxstatus", RO, test_status, "0"),
    INT("processingstatecode", RO | RQ, 0, 2147483647, "0"),
    DATE("lastsuccessfulsynccompletedon", RW),
    STR("lastsyncerror", RW, 2048, NULL),
    INT("lastsyncerrorcode", RW, -2147483647 - 1, 2147483647, NULL),
    DATE("lastsyncerroroccurredon", RW),
    DATE("processinglastattemptedon", RW),
    CHOICE("statecode", RW | RQ, state_opts, "0"),
    CHOICE("statuscode", RW | RQ, status_opts, "1"),
    DATE("createdon", RO),
    DATE("modifiedon", RO),
    VERSION,
};

static const struct column profile_cols[] = {
    PK("emailserverprofileid"),
    STR("name", RW | RQ, 100, NULL),
    STR("description", RW, 2000, NULL),
    CHOICE("servertype", RW, servertype_opts, "0"),
    STR("emailservertypename", RO, 250, NULL),
    STR("incomingserverlocation", RW, 2084, NULL),
    STR("outgoingserverlocation", RW, 2084, NULL),
    INT("incomingportnumber", RW, 0, 65536, NULL),
    INT("outgoingportnumber", RW, 0, 65536, NULL),
    BOOL("incomingusessl", RW, yes_no, "true"),
    BOOL("outgoingusessl", RW, yes_no, "true"),
    CHOICE("incomingauthenticationprotocol", RW, authproto_opts, "0"),
    CHOICE("outgoingauthenticationprotocol", RW, authproto_opts, "0"),
    CHOICE("incomingcredentialretrieval", RW, credential_opts, "0"),
    CHOICE("outgoingcredentialretrieval", RW, credential_opts, "0"),
    STR("incomingusername", RW, 250, NULL),
    STR("outgoingusername", RW, 250, NULL),
    SECRET("incomingpassword", 250, "isincomingpasswordset"),
    SECRET("outgoingpassword", 250, "isoutgoingpasswordset"),
    BOOL("isincomingpasswordset", RO, yes_no, "false"),
    BOOL("isoutgoingpasswordset", RO, yes_no, "false"),
    BOOL("incominguseimpersonation", RW, yes_no, "false"),
    BOOL("outgoinguseimpersonation", RW, yes_no, "false"),
    BOOL("usesamesettingsforoutgoingconnections", RW, yes_no, "true"),
    BOOL("useautodiscover", RW, yes_no, "false"),
    STR("exchangeonlinetenantid", RW, 36, NULL),
    BOOL("usedefaulttenantid", RW, yes_no, "true"),
    CHOICE("serverauthority", RW | RQ, authority_opts, "0"),
    INT("maxconcurrentconnections", RW, 1, 300, NULL),
    INT("minpollingintervalinminutes", RW, 0, 1440, NULL),
    BOOL("timeoutmailboxconnection", RW, yes_no, "true"),
    INT("timeoutmailboxconnectionafteramount", RW, 0, 100000, NULL),
    BOOL("moveundeliveredemails", RW, yes_no, "false"),
    DATE("processemailsreceivedafter", RW),
    BOOL("sendemailalert", RW, yes_no, "false"),
    STR("owneremailaddress", RW, 100, NULL),
    LOOKUP("_ownerid_value", RW | RQ, "ownerid", to_owner),
    LOOKUP("_organizationid_value", RO, NULL, to_org),
    CHOICE("statecode", RW | RQ, state_opts, "0"),
    CHOICE("statuscode", RW | RQ, status_opts, "1"),
    DATE("createdon", RO),
    DATE("modifiedon", RO),
    VERSION,
};

static const struct column org_cols[] = {
    PK("organizationid"),
    STR("name", RO | RQ, 160, NULL),
    CHOICE("emailconnectionchannel", RW | RQ, channel_opts, "0"),
    LOOKUP("_defaultemailserverprofileid_value", RW, "defaultemailserverprofileid",
           to_default_profile),
    STR("defaultemailsettings", RW, 1073741823, NULL),
    BOOL("requireapprovalforuseremail", RW | RQ, yes_no, "false"),
    BOOL("requireapprovalforqueueemail", RW | RQ, yes_no, "false"),
    BOOL("isfolderbasedtrackingenabled", RW | RQ, yes_no, "false"),
    INT("maxfolderbasedtrackingmappings", RW | RQ, 1, 25, "25"),
    BOOL("emailcorrelationenabled", RW | RQ, yes_no, "true"),
    BOOL("enablesmartmatching", RW, yes_no, "false"),
    STR("hashfilterkeywords", RW, 2000, NULL),
    INT("hashmaxcount", RW, 0, 2147483647, NULL),
    INT("hashdeltasubjectcount", RW, 0, 2147483647, NULL),
    INT("hashminaddresscount", RW, 0, 2147483647, NULL),
    STR("trackingprefix", RW, 256, "\"CRM:\""),
    INT("trackingtokenidbase", RW, 0, 2147483647, "0"),
    INT("trackingtokeniddigits", RW, 0, 2147483647, "3"),
    INT("maximumtrackingnumber", RW, 0, 2147483647, "999"),
    INT("nexttrackingnumber", RW, 0, 2147483647, "0"),
    BOOL("ignoreinternalemail", RW | RQ, yes_no, "false"),
    BOOL("rendersecureiframeforemail", RW | RQ, yes_no, "false"),
    BOOL("allowunresolvedpartiesonemailsend", RW | RQ, yes_no, "false"),
    BOOL("unresolveemailaddressifmultiplematch", RW | RQ, yes_no, "false"),
    BOOL("resolvesimilarunresolvedemailaddress", RW | RQ, yes_no, "true"),
    INT("maxuploadfilesize", RW | RQ, 0, 2147483647, "5242880"),
    STR("blockedattachments", RW, 4000, NULL),
    BOOL("generatealertsforerrors", RW | RQ, yes_no, "true"),
    BOOL("generatealertsforwarnings", RW | RQ, yes_no, "true"),
    BOOL("generatealertsforinformation", RW | RQ, yes_no, "true"),
    BOOL("notifymailboxownerofemailserverlevelalerts", RW | RQ, yes_no, "false"),
    BOOL("isemailmonitoringallowed", RW | RQ, yes_no, "true"),
    BOOL("isappointmentattachmentsyncenabled", RW | RQ, yes_no, "false"),
    BOOL("isassignedtaskssyncenabled", RW | RQ, yes_no, "false"),
    BOOL("iscontactmailingaddresssyncenabled", RW | RQ, yes_no, "true"),
    BOOL("ismailboxforcedunlockingenabled", RW | RQ, yes_no, "false"),
    BOOL("isemailaddressvalidationenabled", RW | RQ, yes_no, "false"),
    INT("tracelogmaximumageindays", RW | RQ, 0, 2147483647, "30"),
    INT("expirechangetrackingindays", RW | RQ, 0, 365, "7"),
    STR("orgdborgsettings", RW, 1073741823, NULL),
    DATE("createdon", RO),
    DATE("modifiedon", RO),
    VERSION,
};

static const struct column tracelog_cols[] = {
    PK("tracelogid"),
    STR("text", RW, 2000, NULL),
    CHOICE("level", RW, level_opts, "3"),
    INT("tracecode", RW | RQ, 0, 1000000000, "0"),
    BOOL("tracestatus", RW, success_failure, "false"),
    LOOKUP("_regardingobjectid_value", RW | RQ, NULL, tracelog_regarding),
    STR("errordetails", RW, 2048, NULL),
    STR("errortypedisplay", RW, 320, NULL),
    STR("machinename", RW, 160, NULL),
    BOOL("isunique", RW, yes_no, "false"),
    BOOL("canbedeleted", RW, yes_no, "true"),
    DATE("createdon", RO),
    DATE("modifiedon", RO),
    VERSION,
};

static const struct column systemuser_cols[] = {
    PK("systemuserid"),
    STR("fullname", RO, 200, NULL),
    STR("firstname", RW, 64, NULL),
    STR("lastname", RW, 64, NULL),
    STR("domainname", RW, 1024, NULL),
    STR("internalemailaddress", RW, 100, NULL),
    STR("applicationid", RO, 36, NULL),
    BOOL("isdisabled", RO, yes_no, "false"),
    CHOICE("emailrouteraccessapproval", RW | RQ, approval_opts, "0"),
    CHOICE("incomingemaildeliverymethod", RW | RQ, incoming_opts, "0"),
    CHOICE("outgoingemaildeliverymethod", RW | RQ, outgoing_opts, "0"),
    LOOKUP("_defaultmailbox_value", RO, NULL, to_mailbox),
    DATE("createdon", RO),
    DATE("modifiedon", RO),
    VERSION,
};

static const struct column queue_cols[] = {
    PK("queueid"),
    STR("name", RW | RQ, 400, NULL),
    STR("emailaddress", RW, 100, NULL),
    CHOICE("queueviewtype", RW, queuetype_opts, "0"),
    CHOICE("incomingemailfilteringmethod", RW | RQ, filtering_opts, "0"),
    CHOICE("emailrouteraccessapproval", RW | RQ, approval_opts, "0"),
    CHOICE("incomingemaildeliverymethod", RW | RQ, incoming_opts, "0"),
    CHOICE("outgoingemaildeliverymethod", RW | RQ, outgoing_opts, "0"),
    LOOKUP("_defaultmailbox_value", RO, NULL, to_mailbox),
    LOOKUP("_ownerid_value", RW | RQ, "ownerid", to_owner),
    CHOICE("statecode", RW | RQ, state_opts, "0"),
    CHOICE("statuscode", RW | RQ, status_opts, "1"),
    DATE("createdon", RO),
    DATE("modifiedon", RO),
    VERSION,
};

#define ENTITY(eid, lg, st, nm, tab, w, c)                                                         \
	{                                                                                          \
		.id = eid, .logical = lg, .set = st, .name_attr = nm, .cols = tab,                 \
		.ncols = N(tab), .writable = w, .creatable = c                                     \
	}

static struct entity entities[E_COUNT] = {
    [E_ORGANIZATION] =
        ENTITY(E_ORGANIZATION, "organization", "organizations", "name", org_cols, true, false),
    [E_PROFILE] = ENTITY(E_PROFILE, "emailserverprofile", "emailserverprofiles", "name",
                         profile_cols, true, true),
    [E_MAILBOX] = ENTITY(E_MAILBOX, "mailbox", "mailboxes", "name", mailbox_cols, true, true),
    [E_TRACELOG] = ENTITY(E_TRACELOG, "tracelog", "tracelogs", "text", tracelog_cols, false, false),
    [E_SYSTEMUSER] = ENTITY(E_SYSTEMUSER, "systemuser", "systemusers", "fullname", systemuser_cols,
                            false, false),
    [E_QUEUE] = ENTITY(E_QUEUE, "queue", "queues", "name", queue_cols, false, false),
};

const struct entity *const schema_entities[E_COUNT] = {
    &entities[0], &entities[1], &entities[2], &entities[3], &entities[4], &entities[5],
};

const struct entity *schema_entity_by_set(const char *set, size_t len)
{
	for (int i = 0; i < E_COUNT; i++)
		if (strlen(entities[i].set) == len && !memcmp(entities[i].set, set, len))
			return &entities[i];
	return NULL;
}

const struct entity *schema_entity_by_logical(const char *logical)
{
	for (int i = 0; i < E_COUNT; i++)
		if (!strcmp(entities[i].logical, logical))
			return &entities[i];
	return NULL;
}

int schema_column_index(const struct entity *e, const char *name, size_t len)
{
	for (int i = 0; i < e->ncols; i++)
		if (strlen(e->cols[i].name) == len && !memcmp(e->cols[i].name, name, len))
			return i;
	return -1;
}

int schema_bind_index(const struct entity *e, const char *nav, size_t len)
{
	for (int i = 0; i < e->ncols; i++) {
		const char *b = e->cols[i].bind;
		if (b && strlen(b) == len && !memcmp(b, nav, len))
			return i;
	}
	return -1;
}

const char *schema_option_label(const struct column *c, int64_t v)
{
	for (int i = 0; i < c->noptions; i++)
		if (c->options[i].value == v)
			return c->options[i].label;
	return NULL;
}

bool schema_option_valid(const struct column *c, int64_t v)
{
	return schema_option_label(c, v) != NULL;
}

static int index_of(const struct entity *e, const char *name)
{
	return schema_column_index(e, name, strlen(name));
}

void schema_init(void)
{
	for (int i = 0; i < E_COUNT; i++) {
		struct entity *e = &entities[i];
		e->pk = 0;
		e->name = index_of(e, e->name_attr);
		e->version = index_of(e, "versionnumber");
		e->modifiedon = index_of(e, "modifiedon");
		e->createdon = index_of(e, "createdon");
		e->statecode = index_of(e, "statecode");
		e->statuscode = index_of(e, "statuscode");
	}
}

const char *schema_edm_type(const struct column *c)
{
	switch (c->type) {
	case T_GUID:
	case T_LOOKUP: return "Edm.Guid";
	case T_STRING: return "Edm.String";
	case T_INT:
	case T_CHOICE: return "Edm.Int32";
	case T_BIGINT: return "Edm.Int64";
	case T_BOOL: return "Edm.Boolean";
	case T_DATE: return "Edm.DateTimeOffset";
	}
	return "Edm.String";
}
