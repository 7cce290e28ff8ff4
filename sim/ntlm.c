/* ntlm.c — the emulator's NTLM check for auth = windows (MS-NLMP): answers
 * a NEGOTIATE message with a CHALLENGE (a random server challenge and the
 * target info that makes a client send NTLMv2), and checks the AUTHENTICATE
 * message's NTLMv2 response against the one user and password it is given
 * (EMAILCFG_SIM_NTLM_USER="DOMAIN\user:password"). MD4, MD5 and HMAC-MD5 are
 * here because OpenSSL 3 keeps MD4 in its legacy provider. NTLM signs in a
 * connection, not a request: the state lives per connection thread
 * (libmicrohttpd runs one thread per connection). Every field of a client
 * message is bounds-checked against the decoded length. Touches nothing but
 * its own per-connection state. */
#include "ntlm.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

#define NTLM_MAX_MSG     4096 /* decoded bytes; real AUTHENTICATE messages are < 1 KB */
#define FLAG_UNICODE     0x00000001u
#define FLAG_REQ_TARGET  0x00000004u
#define FLAG_NTLM        0x00000200u
#define FLAG_ALWAYS_SIGN 0x00008000u
#define FLAG_TYPE_DOMAIN 0x00010000u
#define FLAG_ESS         0x00080000u
#define FLAG_TARGET_INFO 0x00800000u

/* One connection's handshake (thread-local: one thread per connection). */
static __thread struct {
	unsigned char challenge[8];
	bool challenged;
	bool authed;
} conn;

/* ---- MD4 (RFC 1320) and MD5 (RFC 1321) ---- */

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}

static void md4_block(uint32_t h[4], const unsigned char *blk)
{
	static const int s1[4] = {3, 7, 11, 19}, s2[4] = {3, 5, 9, 13}, s3[4] = {3, 9, 11, 15};
	static const int o3[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
	uint32_t x[16], a = h[0], b = h[1], c = h[2], d = h[3], t;
	for (int i = 0; i < 16; i++)
		x[i] = le32(blk + 4 * i);
	for (int i = 0; i < 16; i++) {
		t = ROTL(a + ((b & c) | (~b & d)) + x[i], s1[i % 4]);
		a = d, d = c, c = b, b = t;
	}
	for (int i = 0; i < 16; i++) {
		int k = (i % 4) * 4 + i / 4;
		t = ROTL(a + ((b & c) | (b & d) | (c & d)) + x[k] + 0x5a827999u, s2[i % 4]);
		a = d, d = c, c = b, b = t;
	}
	for (int i = 0; i < 16; i++) {
		t = ROTL(a + (b ^ c ^ d) + x[o3[i]] + 0x6ed9eba1u, s3[i % 4]);
		a = d, d = c, c = b, b = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
}

static void md5_block(uint32_t h[4], const unsigned char *blk)
{
	static const int s[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	                          5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
	                          4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	                          6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
	static uint32_t k[64];
	uint32_t x[16], a = h[0], b = h[1], c = h[2], d = h[3];
	if (!k[0]) {
		static const uint32_t kt[64] = {
		    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
		    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
		    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
		    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
		    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
		    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
		    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
		    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
		    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
		    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
		    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
		memcpy(k, kt, sizeof k);
	}
	for (int i = 0; i < 16; i++)
		x[i] = le32(blk + 4 * i);
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g;
		if (i < 16)
			f = (b & c) | (~b & d), g = i;
		else if (i < 32)
			f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
		else if (i < 48)
			f = b ^ c ^ d, g = (3 * i + 5) % 16;
		else
			f = c ^ (b | ~d), g = (7 * i) % 16;
		f += a + k[i] + x[g];
		a = d, d = c, c = b, b = b + ROTL(f, s[i]);
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
}

/* MD4 and MD5 share the padding and the little-endian length. */
static void md_digest(void (*block)(uint32_t[4], const unsigned char *), const unsigned char *p,
                      size_t n, unsigned char out[16])
{
	uint32_t h[4] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
	unsigned char tail[128] = {0};
	size_t full = n / 64 * 64, rest = n - full, tn = rest < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)n * 8;
	for (size_t i = 0; i < full; i += 64)
		block(h, p + i);
	memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	for (int i = 0; i < 8; i++)
		tail[tn - 8 + (size_t)i] = (unsigned char)(bits >> (8 * i));
	for (size_t i = 0; i < tn; i += 64)
		block(h, tail + i);
	for (int i = 0; i < 4; i++)
		put_le32(out + 4 * i, h[i]);
}

void ntlm_md4(const unsigned char *p, size_t n, unsigned char out[16])
{
	md_digest(md4_block, p, n, out);
}

void ntlm_md5(const unsigned char *p, size_t n, unsigned char out[16])
{
	md_digest(md5_block, p, n, out);
}

/* RFC 2104 with a key of at most 64 bytes (NTLM's are 16). */
void ntlm_hmac_md5(const unsigned char *key, size_t klen, const unsigned char *msg, size_t n,
                   unsigned char out[16])
{
	unsigned char pad[64], inner[16], *buf = malloc(64 + n);
	if (!buf)
		abort();
	memset(pad, 0, sizeof pad);
	memcpy(pad, key, klen > 64 ? 64 : klen);
	for (int i = 0; i < 64; i++)
		buf[i] = pad[i] ^ 0x36;
	memcpy(buf + 64, msg, n);
	ntlm_md5(buf, 64 + n, inner);
	for (int i = 0; i < 64; i++)
		buf[i] = pad[i] ^ 0x5c;
	memcpy(buf + 64, inner, 16);
	ntlm_md5(buf, 64 + 16, out);
	free(buf);
}

/* ---- base64 (RFC 4648, standard alphabet) ---- */

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes at most cap bytes; -1 for bad text or an overlong message. */
long ntlm_b64_decode(const char *s, unsigned char *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;
	for (; *s && *s != '='; s++) {
		int v = b64_value(*s);
		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		if ((bits += 6) >= 8) {
			if (n == cap)
				return -1;
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)n;
}

void ntlm_b64_encode(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		buf_putc(b, tab[v >> 18 & 63]);
		buf_putc(b, tab[v >> 12 & 63]);
		buf_putc(b, i + 1 < n ? tab[v >> 6 & 63] : '=');
		buf_putc(b, i + 2 < n ? tab[v & 63] : '=');
	}
}

/* ---- the configured account ---- */

struct account {
	char domain[64], user[64], password[128];
};

/* "DOMAIN\user:password" from the environment; false when not set. */
static bool account_get(struct account *a)
{
	const char *v = getenv("EMAILCFG_SIM_NTLM_USER"), *bs, *colon;
	if (!v || !(bs = strchr(v, '\\')) || !(colon = strchr(bs, ':')))
		return false;
	if ((size_t)(bs - v) >= sizeof a->domain || (size_t)(colon - bs - 1) >= sizeof a->user ||
	    strlen(colon + 1) >= sizeof a->password)
		return false;
	memset(a, 0, sizeof *a);
	memcpy(a->domain, v, (size_t)(bs - v));
	memcpy(a->user, bs + 1, (size_t)(colon - bs - 1));
	strcpy(a->password, colon + 1);
	return true;
}

bool ntlm_enabled(void)
{
	struct account a;
	return account_get(&a);
}

bool ntlm_conn_authed(void)
{
	return conn.authed;
}

/* ASCII/Latin-1 to UTF-16LE by zero extension, as libcurl does. */
static size_t utf16(const char *s, bool upper, unsigned char *out, size_t cap)
{
	size_t n = 0;
	for (; *s && n + 2 <= cap; s++) {
		unsigned char c = (unsigned char)*s;
		out[n++] = upper && c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
		out[n++] = 0;
	}
	return n;
}

/* ---- messages ---- */

/* A field (len, maxlen, offset) at off inside msg[0..n): false if it
 * points outside. */
static bool field_get(const unsigned char *msg, size_t n, size_t off, const unsigned char **p,
                      size_t *len)
{
	size_t l, o;
	if (off + 8 > n)
		return false;
	l = (size_t)msg[off] | (size_t)msg[off + 1] << 8;
	o = le32(msg + off + 4);
	if (o > n || l > n - o)
		return false;
	*p = msg + o, *len = l;
	return true;
}

/* A field's string (UTF-16LE or OEM) as ASCII, for comparing names. */
static void field_text(const unsigned char *p, size_t len, bool unicode, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < cap; i += unicode ? 2 : 1)
		out[k++] = (char)p[i];
	out[k] = '\0';
}

static void put_le16(struct buf *b, size_t v)
{
	buf_putc(b, (char)(v & 0xff));
	buf_putc(b, (char)(v >> 8 & 0xff));
}

static void put_le32b(struct buf *b, uint32_t v)
{
	unsigned char t[4];
	put_le32(t, v);
	buf_put(b, (const char *)t, 4);
}

/* CHALLENGE_MESSAGE: target name = the domain, target info = its NetBIOS
 * name and the end marker (a client only sends NTLMv2 given target info). */
static void challenge_make(const struct account *a, struct buf *out)
{
	unsigned char name[128], info[140];
	size_t nlen = utf16(a->domain, false, name, sizeof name), ilen = 0;
	struct buf m = {0};
	info[ilen++] = 2, info[ilen++] = 0; /* MsvAvNbDomainName */
	info[ilen++] = (unsigned char)nlen, info[ilen++] = 0;
	memcpy(info + ilen, name, nlen), ilen += nlen;
	memset(info + ilen, 0, 4), ilen += 4; /* MsvAvEOL */
	random_bytes(conn.challenge, sizeof conn.challenge);
	conn.challenged = true;
	buf_put(&m, "NTLMSSP\0", 8);
	put_le32b(&m, 2);
	put_le16(&m, nlen), put_le16(&m, nlen), put_le32b(&m, 48);
	put_le32b(&m, FLAG_UNICODE | FLAG_REQ_TARGET | FLAG_NTLM | FLAG_ALWAYS_SIGN |
	                  FLAG_TYPE_DOMAIN | FLAG_ESS | FLAG_TARGET_INFO);
	buf_put(&m, (const char *)conn.challenge, 8);
	buf_put(&m, "\0\0\0\0\0\0\0\0", 8);
	put_le16(&m, ilen), put_le16(&m, ilen), put_le32b(&m, (uint32_t)(48 + nlen));
	buf_put(&m, (const char *)name, nlen);
	buf_put(&m, (const char *)info, ilen);
	buf_puts(out, "NTLM ");
	ntlm_b64_encode(out, (const unsigned char *)m.p, m.len);
	buf_free(&m);
}

/* NTProofStr = HMAC_MD5(NTOWFv2, ServerChallenge . blob), NTOWFv2 =
 * HMAC_MD5(MD4(UTF16(password)), UTF16(UPPER(user) . domain)). */
static bool ntlmv2_ok(const struct account *a, const char *user, const char *domain,
                      const unsigned char *nt, size_t ntlen)
{
	unsigned char pw[256], id[256], nthash[16], owf[16], proof[16], *data;
	size_t plen = utf16(a->password, false, pw, sizeof pw), idlen;
	bool ok;
	if (ntlen <= 24 || ntlen > NTLM_MAX_MSG)
		return false; /* NTLMv1 (24 bytes) is refused, as current Windows does */
	idlen = utf16(user, true, id, sizeof id);
	idlen += utf16(domain, false, id + idlen, sizeof id - idlen);
	ntlm_md4(pw, plen, nthash);
	ntlm_hmac_md5(nthash, 16, id, idlen, owf);
	data = malloc(8 + ntlen - 16);
	if (!data)
		abort();
	memcpy(data, conn.challenge, 8);
	memcpy(data + 8, nt + 16, ntlen - 16);
	ntlm_hmac_md5(owf, 16, data, 8 + ntlen - 16, proof);
	free(data);
	ok = memcmp(proof, nt, 16) == 0;
	memset(pw, 0, sizeof pw), memset(nthash, 0, sizeof nthash), memset(owf, 0, sizeof owf);
	return ok;
}

/* AUTHENTICATE_MESSAGE: the user and domain must be the account's (case
 * aside), and the NTLMv2 response must prove the password. */
static bool authenticate_ok(const struct account *a, const unsigned char *msg, size_t n)
{
	const unsigned char *nt, *dom, *usr;
	size_t ntlen, domlen, usrlen;
	char user[64], domain[64];
	bool unicode;
	if (!conn.challenged || n < 64 || !field_get(msg, n, 20, &nt, &ntlen) ||
	    !field_get(msg, n, 28, &dom, &domlen) || !field_get(msg, n, 36, &usr, &usrlen))
		return false;
	unicode = le32(msg + 60) & FLAG_UNICODE;
	field_text(dom, domlen, unicode, domain, sizeof domain);
	field_text(usr, usrlen, unicode, user, sizeof user);
	conn.challenged = false; /* one answer per challenge */
	if (strcasecmp(user, a->user) != 0 || strcasecmp(domain, a->domain) != 0)
		return false;
	return ntlmv2_ok(a, user, domain, nt, ntlen);
}

int ntlm_step(const char *b64, struct buf *challenge_out)
{
	unsigned char msg[NTLM_MAX_MSG];
	struct account a;
	long n = ntlm_b64_decode(b64, msg, sizeof msg);
	int rc = NTLM_REFUSED;
	if (!account_get(&a) || n < 12 || memcmp(msg, "NTLMSSP\0", 8) != 0)
		return NTLM_REFUSED;
	switch (le32(msg + 8)) {
	case 1:
		challenge_make(&a, challenge_out);
		rc = NTLM_CHALLENGE;
		break;
	case 3:
		conn.authed = authenticate_ok(&a, msg, (size_t)n);
		rc = conn.authed ? NTLM_OK : NTLM_REFUSED;
		break;
	}
	memset(&a, 0, sizeof a);
	return rc;
}
