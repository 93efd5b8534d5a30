/*
 * form.c — x-www-form-urlencoded bodies and query strings (both '+' and
 * %20 mean a space), and the URL encoding of ReturnUrl.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode n bytes of a form component into a new string. */
char *
url_decode(const char *s, size_t n)
{
	char	*out = xmalloc(n + 1), *o = out;
	size_t	 i;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%' && i + 2 < n &&
		    (h = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (l = hexval((unsigned char)s[i + 2])) >= 0) {
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Parse "a=1&b=2" (len bytes) into f; fields past SIM_MAXFORM are dropped. */
void
form_parse(struct form *f, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *amp, *eq;

	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp > p && f->n < SIM_MAXFORM) {
			if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
				eq = amp;
			f->k[f->n] = url_decode(p, (size_t)(eq - p));
			f->v[f->n] = eq < amp ?
			    url_decode(eq + 1, (size_t)(amp - eq - 1)) :
			    xstrdup("");
			f->n++;
		}
		p = amp + 1;
	}
}

/* The value of the first field named key, or NULL. */
const char *
form_get(const struct form *f, const char *key)
{
	int	 i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->k[i], key) == 0)
			return f->v[i];
	return NULL;
}

/* Free the parsed fields. */
void
form_free(struct form *f)
{
	int	 i;

	for (i = 0; i < f->n; i++) {
		free(f->k[i]);
		free(f->v[i]);
	}
	f->n = 0;
}

/* Append s percent-encoded the way ASP.NET writes ReturnUrl ("%2f"). */
void
url_encode(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p) != NULL)
			buf_addc(b, (char)*p);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}
