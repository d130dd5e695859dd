/* parse.c — the grammar of the query language, by recursive descent. */
#include "parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clause.h"
#include "document.h"
#include "error.h"
#include "language.h"
#include "utf8.h"

/* Deeper nesting than this is refused, not recursed into. */
#define MAX_DEPTH 64
/* NEAR without a number. */
#define DEFAULT_NEAR 10
#define MAX_NEAR 1000

typedef struct parser {
    analyzer_t *an;
    const char *text;
    size_t len, at; /* bytes */
    parsed_query_t *q;
    nidx_error_t *err;
    nidx_status_t st;
    int depth;
} parser_t;

/* 1-based character (code point) position of byte offset `at`. */
static size_t char_position(const char *text, size_t at)
{
    size_t pos = 1;
    for (size_t i = 0; i < at; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            pos++;
    return pos;
}

/* Records the first error: a message ending with the position of byte
   `at` of the query. Returns false, for `return fail(...)`. */
static bool fail(parser_t *p, size_t at, const char *fmt, ...)
{
    char message[200];
    va_list ap;
    if (p->st != NIDX_OK)
        return false;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    size_t position = char_position(p->text, at);
    p->st = error_set(p->err, NIDX_ERROR_QUERY, "%s (at position %zu)", message,
                      position);
    if (p->err)
        p->err->position = (unsigned)position;
    return false;
}

static bool nomem(parser_t *p)
{
    if (p->st == NIDX_OK)
        p->st = error_set(p->err, NIDX_ERROR_NOMEM, "out of memory");
    return false;
}

/* ---- nodes ---- */

static void node_free(node_t *n)
{
    for (size_t i = 0; i < n->n_kids; i++)
        node_free(&n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n->to);
    memset(n, 0, sizeof *n);
}

void query_free(parsed_query_t *q)
{
    node_free(&q->root);
    for (size_t i = 0; i < q->n_clauses; i++)
        clause_free_words(q->clauses[i].words, q->clauses[i].n_words);
    free(q->clauses);
    free(q->runs);
    memset(q, 0, sizeof *q);
}

/* Moves `kid` into parent's kids; frees it when memory runs out. */
static bool adopt(parser_t *p, node_t *parent, node_t *kid)
{
    node_t *k = realloc(parent->kids, (parent->n_kids + 1) * sizeof *k);
    if (!k) {
        node_free(kid);
        return nomem(p);
    }
    parent->kids = k;
    k[parent->n_kids++] = *kid;
    memset(kid, 0, sizeof *kid);
    return true;
}

static bool is_empty(const node_t *n)
{
    return n->kind == NODE_GROUP && n->n_kids == 0;
}

/* Marks the clauses under an excluded node, which snippets leave alone. */
static void mark_excluded(parsed_query_t *q, const node_t *n)
{
    if (n->kind == NODE_CLAUSE)
        q->clauses[n->clause].excluded = true;
    for (size_t i = 0; i < n->n_kids; i++)
        mark_excluded(q, &n->kids[i]);
}

/* ---- lexing ---- */

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Quote characters: ASCII '"' and the curly pair U+201C U+201D. */
static size_t quote_at(const char *s)
{
    if (*s == '"')
        return 1;
    if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D))
        return 3;
    return 0;
}

/* Whether the byte at i ends a bare word. */
static bool ends_word(const parser_t *p, size_t i)
{
    return i >= p->len || is_space(p->text[i]) || p->text[i] == '(' ||
           p->text[i] == ')' || quote_at(p->text + i);
}

static void skip_space(parser_t *p)
{
    while (p->at < p->len && is_space(p->text[p->at]))
        p->at++;
}

/* End of the bare word starting at `at`. */
static size_t word_end(const parser_t *p, size_t at)
{
    while (!ends_word(p, at))
        at++;
    return at;
}

typedef enum op { OP_NONE, OP_AND, OP_OR, OP_NOT, OP_NEAR } op_t;

/* The operator at the cursor, with its length and NEAR's window; written
   in capitals and standing alone. NEAR/n with a bad n is an error. */
static op_t peek_op(parser_t *p, size_t *len, unsigned *window)
{
    static const struct {
        const char *name;
        op_t op;
    } ops[] = {
        {"AND", OP_AND}, {"OR", OP_OR}, {"NOT", OP_NOT}, {"NEAR", OP_NEAR}};
    const char *s = p->text + p->at;
    size_t end = word_end(p, p->at), n = end - p->at;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t k = strlen(ops[i].name);
        if (n < k || memcmp(s, ops[i].name, k) != 0)
            continue;
        if (n == k) {
            *len = n;
            *window = DEFAULT_NEAR;
            return ops[i].op;
        }
        if (ops[i].op != OP_NEAR || s[k] != '/')
            continue;
        unsigned w = 0;
        size_t j = k + 1;
        for (; j < n && s[j] >= '0' && s[j] <= '9' && w <= MAX_NEAR; j++)
            w = w * 10 + (unsigned)(s[j] - '0');
        if (j != n || j == k + 1 || w > MAX_NEAR) {
            fail(p, p->at,
                 "NEAR/n needs a number of words from 0 to %d after the "
                 "slash",
                 MAX_NEAR);
            return OP_NONE;
        }
        *len = n;
        *window = w;
        return OP_NEAR;
    }
    return OP_NONE;
}

static const char *op_name(op_t op)
{
    return op == OP_AND   ? "AND"
           : op == OP_OR  ? "OR"
           : op == OP_NOT ? "NOT"
                          : "NEAR";
}

/* ---- words, phrases and fields ---- */

/* The nodes of the clauses a piece of text added since clause `first`:
   none (punctuation), one clause, or a group of them. */
static bool piece_node(parser_t *p, size_t first, node_t *out)
{
    memset(out, 0, sizeof *out);
    out->kind = NODE_GROUP;
    if (p->q->n_clauses == first + 1) {
        out->kind = NODE_CLAUSE;
        out->clause = first;
        return true;
    }
    for (size_t c = first; c < p->q->n_clauses; c++) {
        node_t kid = {.kind = NODE_CLAUSE, .clause = c};
        if (!adopt(p, out, &kid))
            return false;
    }
    out->piece = true;
    return true;
}

static bool add_piece(parser_t *p, size_t from, size_t to, bool quoted,
                      bool title, node_t *out)
{
    size_t first = p->q->n_clauses;
    p->st = clause_add_piece(p->q, p->an, p->text + from, to - from, quoted,
                             p->err);
    if (p->st != NIDX_OK)
        return false;
    for (size_t c = first; c < p->q->n_clauses; c++)
        p->q->clauses[c].title = title;
    return piece_node(p, first, out);
}

/* A "quoted phrase" at the cursor. */
static bool parse_phrase(parser_t *p, bool title, node_t *out)
{
    size_t open = p->at, from = p->at + quote_at(p->text + p->at), to = from;
    while (to < p->len && !quote_at(p->text + to))
        to++;
    if (to == p->len)
        return fail(p, open, "unbalanced quote: this phrase is never closed");
    p->at = to + quote_at(p->text + to);
    return add_piece(p, from, to, true, title, out);
}

/* A bare word at the cursor; word* asks for a prefix. */
static bool parse_word(parser_t *p, bool title, node_t *out)
{
    size_t from = p->at, to = word_end(p, from);
    p->at = to;
    if (to - from > 1 && p->text[to - 1] == '*') {
        size_t words = 0, first = p->q->n_clauses;
        p->st = clause_add_prefix(p->q, p->an, p->text + from, to - 1 - from,
                                  &words, p->err);
        if (p->st != NIDX_OK)
            return false;
        if (words != 1)
            return fail(p, from,
                        words ? "a '*' ends one word; this is %zu words"
                              : "a '*' needs letters before it",
                        words);
        p->q->clauses[first].title = title;
        return piece_node(p, first, out);
    }
    return add_piece(p, from, to, false, title, out);
}

/* A field's value: a "phrase" or a bare word, into [*from, *to). */
static bool field_value(parser_t *p, const char *field, size_t *from,
                        size_t *to)
{
    size_t q = quote_at(p->text + p->at);
    if (q) {
        size_t open = p->at;
        *from = p->at + q;
        for (*to = *from; *to < p->len && !quote_at(p->text + *to);)
            (*to)++;
        if (*to == p->len)
            return fail(p, open,
                        "unbalanced quote: this value is never closed");
        p->at = *to + quote_at(p->text + *to);
    } else {
        *from = p->at;
        *to = p->at = word_end(p, p->at);
    }
    if (*to == *from)
        return fail(p, *from, "%s: needs a value", field);
    return true;
}

static bool term_node(parser_t *p, const char *term, size_t len, node_t *out)
{
    memset(out, 0, sizeof *out);
    out->kind = NODE_TERM;
    if (!(out->text = strndup(term, len)))
        return nomem(p);
    return true;
}

/* lang:CODE */
static bool parse_lang(parser_t *p, size_t from, size_t to, node_t *out)
{
    char code[LANGUAGE_CODE_MAX], value[LANGUAGE_CODE_MAX + 1], term[16];
    size_t n = to - from;
    if (n < sizeof value) {
        memcpy(value, p->text + from, n);
        value[n] = '\0';
    }
    if (n >= sizeof value || !language_normalize(value, code) ||
        strlen(code) > 3)
        return fail(p, from, "lang: takes a language code such as en or sr");
    n = document_prefixed_term(term, sizeof term, DOCUMENT_LANG_PREFIX, code,
                               strlen(code), NULL, 0);
    return term_node(p, term, n, out);
}

/* id:ID */
static bool parse_id(parser_t *p, size_t from, size_t to, node_t *out)
{
    char term[DOCUMENT_ID_TERM_MAX + 1];
    char *id = strndup(p->text + from, to - from);
    if (!id)
        return nomem(p);
    size_t n = document_id_term(id, term);
    free(id);
    return term_node(p, term, n, out);
}

/* site:HOST, also pasted as a url. */
static bool parse_site(parser_t *p, size_t from, size_t to, node_t *out)
{
    char host[DOCUMENT_HOST_MAX + 1], term[DOCUMENT_HOST_MAX + 8];
    size_t n;
    if (!document_url_host(p->text + from, to - from, host))
        return fail(p, from, "site: takes a host name such as bbc.co.uk");
    n = document_prefixed_term(term, sizeof term, DOCUMENT_HOST_PREFIX, host,
                               strlen(host), NULL, 0);
    return term_node(p, term, n, out);
}

/* source:NAME or source:"NAME": articles whose source has all its words. */
static bool parse_source(parser_t *p, size_t from, size_t to, node_t *out)
{
    size_t first = p->q->n_clauses;
    node_t words;
    memset(out, 0, sizeof *out);
    out->kind = NODE_AND;
    if (!add_piece(p, from, to, true, false, &words))
        return false;
    node_free(&words);
    /* The clauses were only a way to analyze: they become filter terms. */
    bool ok = true;
    for (size_t c = first; ok && c < p->q->n_clauses; c++) {
        const clause_t *cl = &p->q->clauses[c];
        for (size_t i = 0; ok && i < cl->n_words; i++) {
            char term[ANALYZER_MAX_TERM + 8];
            const char *w = cl->words[i].term;
            size_t n = document_prefixed_term(term, sizeof term,
                                              DOCUMENT_SOURCE_PREFIX, w,
                                              strlen(w), NULL, 0);
            node_t kid;
            ok = !n || (term_node(p, term, n, &kid) && adopt(p, out, &kid));
        }
    }
    while (p->q->n_clauses > first) {
        clause_t *cl = &p->q->clauses[--p->q->n_clauses];
        clause_free_words(cl->words, cl->n_words);
    }
    if (ok && out->n_kids == 0)
        ok = fail(p, from, "source: needs a word of the source's name");
    if (!ok)
        node_free(out);
    return ok;
}

/* One side of a date range: YYYY, YYYY-MM or YYYY-MM-DD, into out. */
static bool date_side(const char *s, size_t n, char out[11])
{
    static const size_t sizes[] = {4, 7, 10};
    bool size_ok = false;
    for (int i = 0; i < 3; i++)
        size_ok |= n == sizes[i];
    if (!size_ok)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    int month = n >= 7 ? (s[5] - '0') * 10 + s[6] - '0' : 1;
    int day = n >= 10 ? (s[8] - '0') * 10 + s[9] - '0' : 1;
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* date:FROM..TO, date:FROM.., date:..TO, date:DAY */
static bool parse_date(parser_t *p, size_t from, size_t to, node_t *out)
{
    const char *s = p->text + from, *dots = NULL;
    size_t n = to - from;
    char lo[11] = "", hi[11] = "";
    for (size_t i = 0; i + 1 < n && !dots; i++)
        if (s[i] == '.' && s[i + 1] == '.')
            dots = s + i;
    size_t lo_n = dots ? (size_t)(dots - s) : n;
    const char *hi_s = dots ? dots + 2 : s;
    size_t hi_n = dots ? n - lo_n - 2 : n;
    if ((lo_n && !date_side(s, lo_n, lo)) ||
        (hi_n && !date_side(hi_s, hi_n, hi)))
        return fail(p, from,
                    "date: takes YYYY, YYYY-MM or YYYY-MM-DD, or a range "
                    "FROM..TO with either side left open");
    if (!lo_n && !hi_n)
        return fail(p, from, "date: a range needs at least one end");
    if (lo_n && hi_n && strncmp(lo, hi, lo_n < hi_n ? lo_n : hi_n) > 0)
        return fail(p, from, "date: this range ends before it starts");
    memset(out, 0, sizeof *out);
    out->kind = NODE_DATE;
    if ((lo_n && !(out->text = strdup(lo))) ||
        (hi_n && !(out->to = strdup(hi)))) {
        node_free(out);
        return nomem(p);
    }
    return true;
}

/* Whether a field name ("title:") starts at the cursor: ASCII letters,
   a colon and a value right after it. Sets *name_len. */
static bool at_field(const parser_t *p, size_t *name_len)
{
    size_t i = p->at;
    while (i < p->len && ((p->text[i] >= 'a' && p->text[i] <= 'z') ||
                          (p->text[i] >= 'A' && p->text[i] <= 'Z')))
        i++;
    if (i == p->at || i + 1 >= p->len || p->text[i] != ':' ||
        (ends_word(p, i + 1) && !quote_at(p->text + i + 1)))
        return false;
    *name_len = i - p->at;
    return true;
}

static bool parse_field(parser_t *p, size_t name_len, node_t *out)
{
    char name[16] = "";
    size_t start = p->at, from, to;
    if (name_len < sizeof name)
        for (size_t i = 0; i < name_len; i++)
            name[i] = (char)(p->text[p->at + i] | 0x20); /* lower case */
    p->at += name_len + 1;
    if (strcmp(name, "title") == 0)
        return quote_at(p->text + p->at) ? parse_phrase(p, true, out)
                                         : parse_word(p, true, out);
    static const struct {
        const char *name;
        bool (*parse)(parser_t *, size_t, size_t, node_t *);
    } fields[] = {{"source", parse_source},
                  {"lang", parse_lang},
                  {"id", parse_id},
                  {"site", parse_site},
                  {"date", parse_date}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(name, fields[i].name) == 0)
            return field_value(p, name, &from, &to) &&
                   fields[i].parse(p, from, to, out);
    return fail(p, start,
                "unknown field '%.*s:' (fields: title, source, lang, id, "
                "site, date); put the text in quotes to search for it",
                (int)(name_len < 40 ? name_len : 40), p->text + start);
}

/* ---- the grammar ---- */

static bool parse_group(parser_t *p, size_t open, node_t *out);
static bool parse_or(parser_t *p, node_t *out);

/* A word, "phrase", field or (group) at the cursor. `after` names the
   operator before it, for the message when there is none. */
static bool parse_primary(parser_t *p, const char *after, size_t after_at,
                          node_t *out)
{
    size_t len, name_len;
    unsigned window;
    skip_space(p);
    if (p->at >= p->len || p->text[p->at] == ')') {
        if (after)
            return fail(p, after_at,
                        "%s needs something to search for after it", after);
        return fail(p, p->at, "something to search for is missing");
    }
    op_t op = peek_op(p, &len, &window);
    if (p->st != NIDX_OK)
        return false;
    if (op != OP_NONE && op != OP_NOT)
        return fail(p, p->at, "%s needs something to search for before it",
                    op_name(op));
    if (op == OP_NOT)
        return fail(p, p->at, "NOT cannot follow a sign or another NOT");
    if (p->text[p->at] == '(') {
        size_t open = p->at++;
        if (++p->depth > MAX_DEPTH)
            return fail(p, open, "parentheses nested too deep");
        bool ok = parse_group(p, open, out);
        p->depth--;
        return ok;
    }
    if (quote_at(p->text + p->at))
        return parse_phrase(p, false, out);
    if (at_field(p, &name_len))
        return parse_field(p, name_len, out);
    return parse_word(p, false, out);
}

/* Whether a NEAR operand is a word NEAR can place (Xapian 1.4 places
   terms, not word* expansions). */
static bool near_operand(const parser_t *p, const node_t *n)
{
    if (n->kind != NODE_CLAUSE)
        return false;
    const clause_t *c = &p->q->clauses[n->clause];
    return c->kind == CLAUSE_WORD && !c->words[0].run;
}

/* primary (NEAR[/n] primary)* */
static bool parse_near(parser_t *p, node_t *out)
{
    size_t len;
    unsigned window;
    if (!parse_primary(p, NULL, 0, out))
        return false;
    skip_space(p);
    size_t near_at = p->at;
    if (peek_op(p, &len, &window) != OP_NEAR) {
        if (p->st == NIDX_OK)
            return true;
        node_free(out);
        return false;
    }
    node_t near = {.kind = NODE_NEAR, .window = window};
    size_t first_near = near_at;
    bool ok = adopt(p, &near, out);
    while (ok) {
        skip_space(p);
        near_at = p->at;
        if (peek_op(p, &len, &window) != OP_NEAR) {
            ok = p->st == NIDX_OK;
            break;
        }
        p->at += len;
        if (window > near.window)
            near.window = window;
        node_t kid;
        ok = parse_primary(p, "NEAR", near_at, &kid) && adopt(p, &near, &kid);
    }
    for (size_t i = 0; ok && i < near.n_kids; i++)
        if (!near_operand(p, &near.kids[i]))
            ok = fail(p, first_near,
                      "NEAR joins single words (no phrases, "
                      "word* or groups)");
    if (!ok) {
        node_free(&near);
        return false;
    }
    *out = near;
    return true;
}

/* Whether a '+' or '-' at the cursor is a sign: it stands before an
   item, not alone. */
static bool signed_item(const parser_t *p)
{
    char c = p->text[p->at];
    return (c == '+' || c == '-') && p->at + 1 < p->len &&
           !is_space(p->text[p->at + 1]) && p->text[p->at + 1] != ')';
}

/* [NOT | + | -] near */
static bool parse_unary(parser_t *p, node_t *out)
{
    size_t len, at;
    unsigned window;
    node_sign_t sign = SIGN_NONE;
    skip_space(p);
    at = p->at;
    if (peek_op(p, &len, &window) == OP_NOT) {
        p->at += len;
        skip_space(p);
        if (p->at >= p->len || p->text[p->at] == ')')
            return fail(p, at, "NOT needs something to exclude after it");
        sign = SIGN_NOT;
    } else if (p->st == NIDX_OK && signed_item(p)) {
        sign = p->text[p->at] == '+' ? SIGN_MUST : SIGN_NOT;
        p->at++;
    }
    if (p->st != NIDX_OK || !parse_near(p, out))
        return false;
    if (sign != SIGN_NONE && out->sign != SIGN_NONE) {
        node_free(out);
        return fail(p, at, "one item takes one of NOT, '+' and '-'");
    }
    out->sign = sign;
    if (sign == SIGN_NOT)
        mark_excluded(p->q, out);
    return true;
}

/* Joins `right` to *left with the binary operator kind, flattening
   chains (a OR b OR c). */
static bool join(parser_t *p, node_kind_t kind, node_t *left, node_t *right)
{
    if (is_empty(right)) {
        node_free(right);
        return true;
    }
    if (is_empty(left)) {
        node_free(left);
        *left = *right;
        return true;
    }
    if (left->kind != kind || left->sign != SIGN_NONE) {
        node_t op = {.kind = kind};
        if (!adopt(p, &op, left)) {
            node_free(right);
            return false;
        }
        *left = op;
    }
    return adopt(p, left, right);
}

/* Whether an AND (or a group) keeps something to search for besides its
   exclusions; checked where it is built. */
static bool has_positive(const node_t *n)
{
    if (n->kind != NODE_AND && n->kind != NODE_GROUP)
        return true;
    for (size_t i = 0; i < n->n_kids; i++)
        if (n->kids[i].sign != SIGN_NOT)
            return true;
    return n->n_kids == 0;
}

/* Takes the binary operator `op` at the cursor, with its position in
   *at: 1 when taken, 0 when the cursor holds something else, -1 on an
   error (nothing after it). */
static int take_binary(parser_t *p, op_t op, size_t *at)
{
    size_t len;
    unsigned window;
    skip_space(p);
    *at = p->at;
    if (peek_op(p, &len, &window) != op)
        return p->st == NIDX_OK ? 0 : -1;
    p->at += len;
    skip_space(p);
    if (p->at >= p->len || p->text[p->at] == ')') {
        fail(p, *at, "%s needs something to search for after it", op_name(op));
        return -1;
    }
    return 1;
}

/* unary (AND unary)* */
static bool parse_and(parser_t *p, node_t *out)
{
    size_t at;
    int took;
    if (!parse_unary(p, out))
        return false;
    while ((took = take_binary(p, OP_AND, &at)) == 1) {
        node_t right;
        if (!parse_unary(p, &right) || !join(p, NODE_AND, out, &right)) {
            node_free(out);
            return false;
        }
        if (!has_positive(out)) {
            node_free(out);
            return fail(p, at, "AND joins only exclusions here");
        }
    }
    if (took < 0)
        node_free(out);
    return took == 0;
}

/* and (OR and)* */
static bool parse_or(parser_t *p, node_t *out)
{
    size_t at;
    int took;
    if (!parse_and(p, out))
        return false;
    while ((took = take_binary(p, OP_OR, &at)) == 1) {
        node_t right;
        if (!parse_and(p, &right)) {
            node_free(out);
            return false;
        }
        bool neg = out->sign == SIGN_NOT || right.sign == SIGN_NOT;
        if (!join(p, NODE_OR, out, &right))
            return false;
        if (neg) {
            node_free(out);
            return fail(p, at,
                        "OR cannot join an exclusion; use "
                        "-(a OR b) to exclude either");
        }
    }
    if (took < 0)
        node_free(out);
    return took == 0;
}

/* Items up to the end, or up to the ')' closing the '(' at `open`
   (SIZE_MAX at the root). */
/* Where a clause stands in the query: from its first word's start to its
   last word's end (bytes). */
static void clause_extent(const clause_t *c, size_t *start, size_t *end)
{
    *start = SIZE_MAX, *end = 0;
    for (size_t w = 0; w < c->n_words; w++) {
        if (c->words[w].start < *start)
            *start = c->words[w].start;
        if (c->words[w].end > *end)
            *end = c->words[w].end;
    }
}

/* Whether clause c starts where clause c - 1 ends: words of a script
   written without spaces ("ドローンの購入"), not words joined by
   punctuation ("U.S.-made"). */
static bool touches_previous(const parsed_query_t *q, size_t c)
{
    size_t start, end, prev_start, prev_end;
    clause_extent(&q->clauses[c], &start, &end);
    clause_extent(&q->clauses[c - 1], &prev_start, &prev_end);
    return start == prev_end;
}

/* Whether a piece's words all touch one another, nothing between them. */
static bool unspaced_piece(const parsed_query_t *q, const node_t *piece)
{
    for (size_t i = 1; i < piece->n_kids; i++)
        if (!touches_previous(q, piece->kids[i].clause))
            return false;
    return piece->n_kids > 1;
}

/* Whether a clause is one word of one letter. */
static bool one_letter(const clause_t *c)
{
    const char *t = c->words[0].term;
    return c->kind == CLAUSE_WORD && utf8_count(t, strlen(t)) == 1;
}

static bool add_run(parser_t *p, size_t first, size_t n)
{
    query_run_t *r = realloc(p->q->runs, (p->q->n_runs + 1) * sizeof *r);
    if (!r)
        return nomem(p);
    p->q->runs = r;
    r[p->q->n_runs++] = (query_run_t){first, n};
    for (size_t c = first; c < first + n; c++)
        p->q->clauses[c].weak = one_letter(&p->q->clauses[c]);
    return true;
}

/* Records the runs of a piece's clauses [first, end): its stretches of
   two words or more that touch. */
static bool note_runs(parser_t *p, size_t first, size_t end)
{
    size_t from = first;
    for (size_t c = first + 1; c <= end; c++)
        if (c == end || !touches_previous(p->q, c)) {
            if (c - from >= 2 && !add_run(p, from, c - from))
                return false;
            from = c;
        }
    return true;
}

static bool parse_group(parser_t *p, size_t open, node_t *out)
{
    memset(out, 0, sizeof *out);
    out->kind = NODE_GROUP;
    for (;;) {
        skip_space(p);
        if (p->at >= p->len) {
            if (open == SIZE_MAX)
                break;
            node_free(out);
            return fail(p, open,
                        "unbalanced parenthesis: this one is never "
                        "closed");
        }
        if (p->text[p->at] == ')') {
            if (open != SIZE_MAX) {
                p->at++;
                break;
            }
            node_free(out);
            return fail(p, p->at,
                        "unbalanced parenthesis: nothing opened "
                        "this one");
        }
        node_t item;
        if (!parse_or(p, &item)) {
            node_free(out);
            return false;
        }
        if (is_empty(&item)) {
            node_free(&item);
            continue;
        }
        /* The words of one piece ("U.S.-made", "ドローンの購入") count as
           typed apart, unless signed together; inside parentheses, a
           chunk whose words touch (a script written without spaces) stays
           one item, all its words required, as there are no tiers there
           to rank the run as written first. */
        bool root = open == SIZE_MAX;
        if (item.kind == NODE_GROUP && item.piece && item.sign == SIGN_NONE &&
            (root || !unspaced_piece(p->q, &item))) {
            size_t first = item.kids[0].clause;
            if (root && !note_runs(p, first, first + item.n_kids)) {
                node_free(&item);
                node_free(out);
                return false;
            }
            for (size_t i = 0; i < item.n_kids; i++)
                if (!adopt(p, out, &item.kids[i])) {
                    node_free(&item);
                    node_free(out);
                    return false;
                }
            node_free(&item);
        } else if (!adopt(p, out, &item)) {
            node_free(out);
            return false;
        }
    }
    if (!has_positive(out)) {
        node_free(out);
        return fail(p, open == SIZE_MAX ? 0 : open,
                    "nothing to search for: only exclusions");
    }
    return true;
}

/* Refuses a query with more words or word* than the matcher is given
   (nidx.h): each costs a posting list or an expansion, and Xapian's
   cost grows faster than their number. */
static void check_size(parser_t *p)
{
    size_t words = 0, prefixes = 0;
    for (size_t c = 0; c < p->q->n_clauses && p->st == NIDX_OK; c++) {
        const clause_t *cl = &p->q->clauses[c];
        prefixes += cl->kind == CLAUSE_PREFIX;
        for (size_t i = 0; i < cl->n_words && p->st == NIDX_OK; i++)
            if (++words > NIDX_QUERY_MAX_WORDS)
                fail(p, cl->words[i].start, "the query has more than %d words",
                     NIDX_QUERY_MAX_WORDS);
        if (prefixes > NIDX_QUERY_MAX_PREFIXES)
            fail(p, cl->words[0].start, "the query has more than %d word*",
                 NIDX_QUERY_MAX_PREFIXES);
    }
}

nidx_status_t query_parse(analyzer_t *an, const char *text, parsed_query_t *out,
                          nidx_error_t *err)
{
    parser_t p = {an, text, strlen(text), 0, out, err, NIDX_OK, 0};
    memset(out, 0, sizeof *out);
    out->text = text;
    if (parse_group(&p, SIZE_MAX, &out->root) && out->root.n_kids == 0)
        p.st = error_set(err, NIDX_ERROR_QUERY,
                         "the query has no words to search for");
    if (p.st == NIDX_OK)
        check_size(&p);
    if (p.st != NIDX_OK)
        query_free(out);
    return p.st;
}

nidx_status_t query_parse_plain(analyzer_t *an, const char *text,
                                parsed_query_t *out, nidx_error_t *err)
{
    parser_t p = {an, text, strlen(text), 0, out, err, NIDX_OK, 0};
    memset(out, 0, sizeof *out);
    out->text = text;
    out->root.kind = NODE_GROUP;
    while (p.st == NIDX_OK) {
        skip_space(&p);
        if (p.at >= p.len)
            break;
        size_t from = p.at, first = out->n_clauses;
        while (p.at < p.len && !is_space(text[p.at]))
            p.at++;
        p.st = clause_add_piece(out, an, text + from, p.at - from, false, err);
        if (p.st == NIDX_OK && out->n_clauses > first)
            note_runs(&p, first, out->n_clauses);
        for (size_t c = first; p.st == NIDX_OK && c < out->n_clauses; c++) {
            node_t kid = {.kind = NODE_CLAUSE, .clause = c};
            adopt(&p, &out->root, &kid);
        }
    }
    if (p.st == NIDX_OK && out->root.n_kids == 0)
        p.st = error_set(err, NIDX_ERROR_QUERY,
                         "the query has no words to search for");
    if (p.st == NIDX_OK)
        check_size(&p);
    if (p.st != NIDX_OK)
        query_free(out);
    return p.st;
}

/* ---- filters given apart from the query text ---- */

typedef bool (*field_parse_fn)(parser_t *, size_t, size_t, node_t *);

/*
 * Adds to q's root the filter "any of values[0..n)" for `field`, each value
 * read as the field's value in the query language would be. A bad value
 * is the caller's argument, not the user's query: NIDX_ERROR_ARGUMENT.
 */
static nidx_status_t add_filter(parsed_query_t *q, analyzer_t *an,
                                const char *field, const char *const *values,
                                size_t n, field_parse_fn parse,
                                nidx_error_t *err)
{
    node_t any = {.kind = NODE_OR, .sign = SIGN_MUST};
    nidx_error_t why;
    for (size_t i = 0; i < n; i++) {
        const char *v = values[i] ? values[i] : "";
        parser_t p = {an, v, strlen(v), 0, q, &why, NIDX_OK, 0};
        node_t kid;
        if (!*v || !parse(&p, 0, p.len, &kid)) {
            node_free(&any);
            if (p.st == NIDX_ERROR_NOMEM)
                return error_set(err, p.st, "out of memory");
            char *at = *v ? strstr(why.message, " (at position") : NULL;
            if (at)
                *at = '\0';
            return error_set(err, NIDX_ERROR_ARGUMENT,
                             "the %s filter '%.200s' is not valid%s%s", field,
                             v, *v ? ": " : "", *v ? why.message : "");
        }
        if (!adopt(&p, &any, &kid)) {
            node_free(&any);
            return error_set(err, NIDX_ERROR_NOMEM, "out of memory");
        }
    }
    parser_t p = {an, "", 0, 0, q, err, NIDX_OK, 0};
    if (any.n_kids && !adopt(&p, &q->root, &any))
        return p.st;
    return NIDX_OK;
}

/* The date filter [from, to] as date:FROM..TO would give it. */
static nidx_status_t add_date_filter(parsed_query_t *q, analyzer_t *an,
                                     const char *from, const char *to,
                                     nidx_error_t *err)
{
    char range[64];
    if (!from && !to)
        return NIDX_OK;
    if ((from && strlen(from) > 10) || (to && strlen(to) > 10))
        return error_set(err, NIDX_ERROR_ARGUMENT,
                         "the date filter takes YYYY, YYYY-MM or YYYY-MM-DD");
    snprintf(range, sizeof range, "%s..%s", from ? from : "", to ? to : "");
    const char *values[] = {range};
    return add_filter(q, an, "date", values, 1, parse_date, err);
}

nidx_status_t query_add_filters(parsed_query_t *q, analyzer_t *an,
                                const nidx_search_options_t *o,
                                nidx_error_t *err)
{
    nidx_status_t st = NIDX_OK;
    if (st == NIDX_OK)
        st = add_filter(q, an, "lang", o->langs, o->n_langs, parse_lang, err);
    if (st == NIDX_OK)
        st = add_filter(q, an, "source", o->sources, o->n_sources, parse_source,
                        err);
    if (st == NIDX_OK)
        st = add_filter(q, an, "site", o->sites, o->n_sites, parse_site, err);
    if (st == NIDX_OK)
        st = add_filter(q, an, "id", o->ids, o->n_ids, parse_id, err);
    if (st == NIDX_OK)
        st = add_date_filter(q, an, o->date_from, o->date_to, err);
    return st;
}

bool query_has_filters(const nidx_search_options_t *o)
{
    return o->n_langs || o->n_sources || o->n_sites || o->n_ids ||
           o->date_from || o->date_to;
}

char *nidx_query_quote(const char *field, const char *text)
{
    size_t n = strlen(text), f = field ? strlen(field) : 0;
    char *out = malloc(f + 1 + n + 3), *o = out;
    if (!out)
        return NULL;
    if (f) {
        memcpy(o, field, f);
        o += f;
        *o++ = ':';
    }
    *o++ = '"';
    for (size_t i = 0; i < n;) {
        size_t q = quote_at(text + i); /* ASCII or typographic quotes */
        if (q) {
            *o++ = ' ';
            i += q;
        } else {
            *o++ = text[i++];
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}
