/* profile_rules.h — what an email server profile's type allows: the rule
 * table of `profile set` and the console's profile form. One table answers
 * may this change be saved, and (through the form, value by value) which
 * options of a picker are refused and why. Pure functions over the model;
 * the mailbox rules are core/model/rules.h. */
#ifndef EMAILCFG_PROFILE_RULES_H
#define EMAILCFG_PROFILE_RULES_H

#include <stdbool.h>

#include "core/model/model.h"

typedef struct profile_rule {
	const char *id;
	const char *field; /* the `profile set` key it is mostly about */
	bool (*violated)(const ec_profile *p);
	const char *message; /* N_(): what is wrong, in plain words */
	const char *fix;     /* N_(): what to do */
} profile_rule;

extern const profile_rule profile_rules_table[];
extern const int profile_rules_count;

/* Is this change allowed? NULL when it is, else the first rule the change
 * breaks. A rule the saved profile (before, may be NULL) already broke
 * does not refuse, so an unrelated fix of an odd profile stays possible. */
const profile_rule *profile_rules_refusal(const ec_profile *before, const ec_profile *after);

/* Every rule p breaks, up to max; returns how many. */
int profile_rules_check(const ec_profile *p, const profile_rule **out, int max);

/* Is the type one that talks EWS (Exchange Server, Exchange Online and the
 * hybrids) rather than POP3/IMAP and SMTP? */
bool profile_is_exchange(int server_type);

/* Translated message and fix of a rule. */
const char *profile_rule_message(const profile_rule *r);
const char *profile_rule_fix(const profile_rule *r);

#endif
