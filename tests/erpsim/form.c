/*
 * form.c — x-www-form-urlencoded bodies and query strings (libevent's
 * parser: both '+' and %20 mean a space), and the URL encoding of
 * ReturnUrl the way ASP.NET writes it.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "tests/erpsim/erpsim.h"

/*
 * Parse "a=1&b=2" (len bytes) into f with libevent's query parser (which
 * decodes '+' and %XX); fields past SIM_MAXFORM are dropped. A malformed
 * form (a field without '=', an empty one) leaves f empty: whatever asked
 * gets the ERP's answer to a request without those fields.
 */
void
form_parse(struct form *f, const char *s, size_t len)
{
	struct evkeyvalq	 q;
	struct evkeyval		*kv;
	char			*copy = xstrndup(s, len);

	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(copy, &q) == 0)
		TAILQ_FOREACH(kv, &q, next) {
			if (f->n >= SIM_MAXFORM)
				break;
			/* libevent decodes values only: keys ("Logon%24x") too. */
			if ((f->k[f->n] = evhttp_uridecode(kv->key, 1,
			    NULL)) == NULL)
				fatalx("evhttp_uridecode: out of memory");
			f->v[f->n] = xstrdup(kv->value != NULL ? kv->value : "");
			f->n++;
		}
	evhttp_clear_headers(&q);
	free(copy);
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
