/* rules.h — the rule table of docs/architecture.md: which delivery methods,
 * profiles and states make sense for which mailbox. One table answers three
 * questions: may this change be saved (`mailbox set`, the form), which
 * options of a picker are allowed and why not, and does a mailbox pass
 * Test & Enable's first stage. Pure functions over the model. */
#ifndef EMAILCFG_RULES_H
#define EMAILCFG_RULES_H

#include <stdbool.h>

#include "core/model/model.h"

/* Where a violated rule refuses; elsewhere it is only a warning. */
enum { RULE_REFUSES_EDIT = 1, RULE_REFUSES_TEST = 2 };
/* Which channels a rule concerns, for Test & Enable's per-channel verdict. */
enum { CH_INCOMING = 1, CH_OUTGOING = 2, CH_ACT = 4, CH_ALL = 7 };

typedef struct rule_ctx {
	const ec_mailbox *before;    /* the saved mailbox; NULL when judging a state */
	const ec_mailbox *after;     /* the mailbox as it would be */
	const ec_settings *settings; /* organization settings; NULL when unknown */
	const ec_profile *profile;   /* after's server profile; NULL when none/unknown */
} rule_ctx;

typedef struct ec_rule {
	const char *id;
	unsigned refuses;  /* RULE_REFUSES_* */
	unsigned channels; /* CH_* a violation fails */
	const char *field; /* the `mailbox set` key it is mostly about */
	bool (*violated)(const rule_ctx *ctx);
	const char *message; /* N_(): what is wrong */
	const char *fix;     /* N_(): what to do */
} ec_rule;

typedef struct rule_finding {
	const ec_rule *rule;
	bool refused; /* refuses in the scope asked for; otherwise a warning */
} rule_finding;

extern const ec_rule rules_table[];
extern const int rules_count;

/* Every rule the mailbox in ctx violates, refusals first. scope is
 * RULE_REFUSES_EDIT or RULE_REFUSES_TEST. For an edit (ctx->before set) a
 * rule refuses only when the change breaks it: a problem the saved mailbox
 * already had is reported as a warning, so unrelated edits stay possible.
 * Returns the number of findings (at most max are stored). */
int rules_check(const rule_ctx *ctx, unsigned scope, rule_finding *out, int max);

/* Is this change allowed? NULL when it is, else the first refusing rule. */
const ec_rule *rules_refusal(const ec_mailbox *before, const ec_mailbox *after,
                             const ec_settings *settings, const ec_profile *profile);

/* The pickers of the form and `mailbox set`: which values of an option
 * field are allowed for this mailbox, each refused one with its rule. */
enum rules_field { FIELD_INCOMING, FIELD_OUTGOING, FIELD_ACT };

typedef struct rule_choice {
	int wire;
	const char *slug;
	const ec_rule *refused_by; /* NULL when allowed */
} rule_choice;

/* Fills out (room for at least 4) and returns the number of options. */
int rules_choices(enum rules_field field, const ec_mailbox *current, const ec_settings *settings,
                  const ec_profile *profile, rule_choice *out);

/* Whether ACT (appointments, contacts and tasks) applies to the mailbox at
 * all: `mailbox defaults` leaves a queue's ACT alone. */
bool rules_act_applies(const ec_mailbox *m);

/* The organization's default incoming method: Forward Mailbox only when an
 * active forward mailbox exists (settings->forward_mailbox_active). NULL
 * when allowed (or already so before), else the refusing rule. */
const ec_rule *rules_settings_refusal(const ec_settings *before, const ec_settings *after);

/* Whether a change of this `mailbox set` key calls for Test & Enable again
 * (methods, profile, address): the front ends offer it and mark the last
 * results stale. */
bool rules_key_needs_test(const char *key);

/* Translated message and fix of a rule. */
const char *rule_message(const ec_rule *r);
const char *rule_fix(const ec_rule *r);
const ec_rule *rule_find(const char *id);

#endif
