/* odata_filter.c — $filter lexer, recursive-descent parser and evaluator. */
#include "odata_filter.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok_kind { K_END, K_IDENT, K_STRING, K_NUMBER, K_GUID, K_DATE, K_LPAREN, K_RPAREN, K_COMMA };

struct token {
	enum tok_kind kind;
	const char *start;
	size_t len;
	size_t pos; /* offset in the text, for error messages */
};

enum node_kind { N_AND, N_OR, N_NOT, N_CMP, N_FUNC };
enum cmp_op { OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE };
enum func_kind { FN_CONTAINS, FN_STARTSWITH, FN_ENDSWITH };

struct filter {
	enum node_kind kind;
	struct filter *a, *b;
	int col;
	const struct column *column;
	enum cmp_op op;
	enum func_kind fn;
	struct val lit; /* literal, of the column's type */
};

struct parser {
	const struct entity *e;
	const char *text;
	struct token tok;
	size_t pos;
	struct sim_err *err;
	bool failed;
};

static const char *const op_names[] = {"eq", "ne", "gt", "ge", "lt", "le"};
static const char *const op_kinds[] = {
    "Equal", "NotEqual", "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual"};

static bool syntax_error(struct parser *p, size_t pos)
{
	if (!p->failed)
		sim_err_set(p->err, 400, "0x80060888", "Syntax error at position %zu in '%s'.", pos,
		            p->text);
	p->failed = true;
	return false;
}

static bool is_hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool looks_like_guid(const char *s)
{
	return strlen(s) >= 36 && is_hex_run(s, 8) && s[8] == '-' && is_hex_run(s + 9, 4) &&
	       s[13] == '-' && is_hex_run(s + 14, 4) && s[18] == '-' && is_hex_run(s + 19, 4) &&
	       s[23] == '-' && is_hex_run(s + 24, 12) &&
	       !(isalnum((unsigned char)s[36]) || s[36] == '_');
}

static bool lex_string(struct parser *p, const char *s)
{
	size_t i = 1;
	for (;;) {
		if (!s[i])
			return syntax_error(p, p->pos);
		if (s[i] == '\'') {
			if (s[i + 1] == '\'') {
				i += 2;
				continue;
			}
			break;
		}
		i++;
	}
	p->tok.kind = K_STRING;
	p->tok.len = i + 1;
	return true;
}

static void lex_word(struct parser *p, const char *s)
{
	size_t i = 0;
	if (looks_like_guid(s)) {
		p->tok.kind = K_GUID;
		p->tok.len = 36;
	} else if (isdigit((unsigned char)s[0]) && is_hex_run(s, 4) && s[4] == '-') {
		while (s[i] && (isalnum((unsigned char)s[i]) || strchr(":.+-", s[i])))
			i++;
		p->tok.kind = K_DATE;
		p->tok.len = i;
	} else if (isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]))) {
		i = 1;
		while (isdigit((unsigned char)s[i]))
			i++;
		p->tok.kind = K_NUMBER;
		p->tok.len = i;
	} else {
		while (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '/')
			i++;
		p->tok.kind = K_IDENT;
		p->tok.len = i;
	}
}

static bool lex(struct parser *p)
{
	while (p->text[p->pos] == ' ' || p->text[p->pos] == '\t')
		p->pos++;
	const char *s = p->text + p->pos;
	p->tok.start = s;
	p->tok.pos = p->pos;
	p->tok.len = 1;
	switch (*s) {
	case '\0':
		p->tok.kind = K_END;
		p->tok.len = 0;
		break;
	case '(': p->tok.kind = K_LPAREN; break;
	case ')': p->tok.kind = K_RPAREN; break;
	case ',': p->tok.kind = K_COMMA; break;
	case '\'':
		if (!lex_string(p, s))
			return false;
		break;
	default:
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return syntax_error(p, p->pos);
		lex_word(p, s);
		if (!p->tok.len)
			return syntax_error(p, p->pos);
	}
	p->pos += p->tok.len;
	return true;
}

static bool tok_is(const struct token *t, const char *word)
{
	return t->kind == K_IDENT && strlen(word) == t->len && !memcmp(t->start, word, t->len);
}

static struct filter *node_new(enum node_kind kind)
{
	struct filter *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	f->kind = kind;
	f->lit.null = 1;
	return f;
}

static struct filter *parse_or(struct parser *p);

static int column_of(struct parser *p, const struct token *t)
{
	int c = schema_column_index(p->e, t->start, t->len);
	if (c < 0 || !(p->e->cols[c].flags & F_READ)) {
		if (!p->failed)
			sim_err_set(p->err, 400, "0x80060888",
			            "Could not find a property named '%.*s' on type "
			            "'Microsoft.Dynamics.CRM.%s'.",
			            (int)t->len, t->start, p->e->logical);
		p->failed = true;
		return -1;
	}
	return c;
}

static const char *literal_type(const struct token *t)
{
	switch (t->kind) {
	case K_STRING: return "Edm.String";
	case K_NUMBER: return "Edm.Int32";
	case K_GUID: return "Edm.Guid";
	case K_DATE: return "Edm.DateTimeOffset";
	default: return tok_is(t, "null") ? "<null>" : "Edm.Boolean";
	}
}

static bool type_error(struct parser *p, const struct column *c, const struct token *t,
                       enum cmp_op op)
{
	if (!p->failed)
		sim_err_set(p->err, 400, "0x80060888",
		            "A binary operator with incompatible types was detected. Found operand "
		            "types '%s' and '%s' for operator kind '%s'.",
		            schema_edm_type(c), literal_type(t), op_kinds[op]);
	p->failed = true;
	return false;
}

static char *unquote(const struct token *t)
{
	char *s = malloc(t->len);
	if (!s)
		abort();
	size_t o = 0;
	for (size_t i = 1; i + 1 < t->len; i++) {
		s[o++] = t->start[i];
		if (t->start[i] == '\'')
			i++;
	}
	s[o] = '\0';
	return s;
}

/* Converts the literal token into a value of column c's type. */
static bool literal_value(struct parser *p, const struct column *c, const struct token *t,
                          enum cmp_op op, struct val *v)
{
	memset(v, 0, sizeof *v);
	if (tok_is(t, "null")) {
		v->null = 1;
		return true;
	}
	switch (c->type) {
	case T_STRING:
		if (t->kind != K_STRING)
			return type_error(p, c, t, op);
		v->u.s = unquote(t);
		return true;
	case T_INT:
	case T_BIGINT:
	case T_CHOICE:
		if (t->kind != K_NUMBER)
			return type_error(p, c, t, op);
		v->u.i = strtoll(t->start, NULL, 10);
		return true;
	case T_BOOL:
		if (!tok_is(t, "true") && !tok_is(t, "false"))
			return type_error(p, c, t, op);
		v->u.i = tok_is(t, "true");
		return true;
	case T_DATE:
		if (t->kind != K_DATE)
			return type_error(p, c, t, op);
		if (!date_parse(t->start, t->len, &v->u.i))
			return syntax_error(p, t->pos);
		return true;
	case T_GUID:
	case T_LOOKUP:
		if (t->kind != K_GUID)
			return type_error(p, c, t, op);
		return guid_parse(t->start, t->len, &v->u.g) || syntax_error(p, t->pos);
	}
	return type_error(p, c, t, op);
}

static bool is_literal(const struct token *t)
{
	return t->kind == K_STRING || t->kind == K_NUMBER || t->kind == K_GUID ||
	       t->kind == K_DATE || tok_is(t, "null") || tok_is(t, "true") || tok_is(t, "false");
}

static struct filter *parse_function(struct parser *p, struct token name)
{
	static const char *const names[] = {"contains", "startswith", "endswith"};
	int fn = -1;
	for (int i = 0; i < 3; i++)
		if (tok_is(&name, names[i]))
			fn = i;
	if (fn < 0) {
		sim_err_set(
		    p->err, 400, "0x80060888",
		    "An unknown function with name '%.*s' was found. This may also be a "
		    "function import or a key lookup on a navigation property, which is not "
		    "allowed.",
		    (int)name.len, name.start);
		p->failed = true;
		return NULL;
	}
	if (!lex(p) || p->tok.kind != K_IDENT) /* after '(' */
		return syntax_error(p, p->tok.pos), NULL;
	int c = column_of(p, &p->tok);
	if (c < 0 || !lex(p) || p->tok.kind != K_COMMA || !lex(p))
		return p->failed ? NULL : (syntax_error(p, p->tok.pos), NULL);
	struct token arg = p->tok;
	if (p->e->cols[c].type != T_STRING || arg.kind != K_STRING) {
		sim_err_set(p->err, 400, "0x80060888",
		            "No function signature for the function with name '%s' matches the "
		            "specified arguments. The function signatures considered are: "
		            "%s(Edm.String Nullable=true, Edm.String Nullable=true).",
		            names[fn], names[fn]);
		p->failed = true;
		return NULL;
	}
	if (!lex(p) || p->tok.kind != K_RPAREN)
		return syntax_error(p, p->tok.pos), NULL;
	struct filter *f = node_new(N_FUNC);
	f->fn = (enum func_kind)fn;
	f->col = c;
	f->column = &p->e->cols[c];
	f->lit.null = 0;
	f->lit.u.s = unquote(&arg);
	lex(p);
	return f;
}

static struct filter *parse_comparison(struct parser *p, struct token name)
{
	int c = column_of(p, &name);
	if (c < 0)
		return NULL;
	const struct column *col = &p->e->cols[c];
	int op = -1;
	for (int i = 0; i < 6; i++)
		if (tok_is(&p->tok, op_names[i]))
			op = i;
	if (op < 0) {
		if (col->type != T_BOOL)
			return syntax_error(p, p->tok.pos), NULL;
		struct filter *f = node_new(N_CMP); /* bare boolean column */
		f->col = c;
		f->column = col;
		f->op = OP_EQ;
		f->lit.null = 0;
		f->lit.u.i = 1;
		return f;
	}
	if (!lex(p))
		return NULL;
	struct token lit = p->tok;
	if (!is_literal(&lit))
		return syntax_error(p, lit.pos), NULL;
	struct filter *f = node_new(N_CMP);
	f->col = c;
	f->column = col;
	f->op = (enum cmp_op)op;
	if (!literal_value(p, col, &lit, f->op, &f->lit)) {
		free(f);
		return NULL;
	}
	lex(p);
	return f;
}

static struct filter *parse_primary(struct parser *p)
{
	struct token t = p->tok;
	if (t.kind == K_LPAREN) {
		if (!lex(p))
			return NULL;
		struct filter *f = parse_or(p);
		if (!f)
			return NULL;
		if (p->tok.kind != K_RPAREN) {
			filter_free(f);
			return syntax_error(p, p->tok.pos), NULL;
		}
		lex(p);
		return f;
	}
	if (t.kind != K_IDENT || tok_is(&t, "null") || tok_is(&t, "true") || tok_is(&t, "false"))
		return syntax_error(p, t.pos), NULL;
	if (!lex(p))
		return NULL;
	if (p->tok.kind == K_LPAREN)
		return parse_function(p, t);
	return parse_comparison(p, t);
}

static struct filter *parse_unary(struct parser *p)
{
	if (tok_is(&p->tok, "not")) {
		if (!lex(p))
			return NULL;
		struct filter *a = parse_unary(p);
		if (!a)
			return NULL;
		struct filter *f = node_new(N_NOT);
		f->a = a;
		return f;
	}
	return parse_primary(p);
}

static struct filter *parse_binary(struct parser *p, const char *word, enum node_kind kind,
                                   struct filter *(*next)(struct parser *))
{
	struct filter *left = next(p);
	while (left && tok_is(&p->tok, word)) {
		if (!lex(p)) {
			filter_free(left);
			return NULL;
		}
		struct filter *right = next(p);
		if (!right) {
			filter_free(left);
			return NULL;
		}
		struct filter *f = node_new(kind);
		f->a = left;
		f->b = right;
		left = f;
	}
	return left;
}

static struct filter *parse_and(struct parser *p)
{
	return parse_binary(p, "and", N_AND, parse_unary);
}

static struct filter *parse_or(struct parser *p)
{
	return parse_binary(p, "or", N_OR, parse_and);
}

struct filter *filter_parse(const struct entity *e, const char *text, struct sim_err *err)
{
	struct parser p = {.e = e, .text = text, .err = err};
	if (!lex(&p))
		return NULL;
	if (p.tok.kind == K_END) {
		syntax_error(&p, 0);
		return NULL;
	}
	struct filter *f = parse_or(&p);
	if (f && p.tok.kind != K_END) {
		syntax_error(&p, p.tok.pos);
		filter_free(f);
		return NULL;
	}
	if (!f && !p.failed)
		syntax_error(&p, p.pos);
	return f;
}

static bool eval_cmp(const struct filter *f, const struct column *c, const struct val *v)
{
	if (f->lit.null || v->null) {
		bool both = f->lit.null && v->null;
		if (f->op == OP_EQ)
			return both;
		if (f->op == OP_NE)
			return !both;
		return false;
	}
	int r = val_cmp(c, v, &f->lit);
	switch (f->op) {
	case OP_EQ: return r == 0;
	case OP_NE: return r != 0;
	case OP_GT: return r > 0;
	case OP_GE: return r >= 0;
	case OP_LT: return r < 0;
	case OP_LE: return r <= 0;
	}
	return false;
}

static bool eval(const struct filter *f, const struct row *r)
{
	switch (f->kind) {
	case N_AND: return eval(f->a, r) && eval(f->b, r);
	case N_OR: return eval(f->a, r) || eval(f->b, r);
	case N_NOT: return !eval(f->a, r);
	case N_CMP: return eval_cmp(f, f->column, &r->v[f->col]);
	case N_FUNC: {
		const struct val *v = &r->v[f->col];
		if (v->null)
			return false;
		if (f->fn == FN_CONTAINS)
			return fold_contains(v->u.s, f->lit.u.s);
		if (f->fn == FN_STARTSWITH)
			return fold_starts(v->u.s, f->lit.u.s);
		return fold_ends(v->u.s, f->lit.u.s);
	}
	}
	return false;
}

bool filter_eval(const struct filter *f, const struct row *r)
{
	return f ? eval(f, r) : true;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	filter_free(f->a);
	filter_free(f->b);
	if (f->column && f->column->type == T_STRING && !f->lit.null)
		free(f->lit.u.s);
	free(f);
}
