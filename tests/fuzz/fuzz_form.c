/*
 * fuzz_form.c — form_parse() (worker/form.c's reader on gridsax.c's SAX
 * pass) on arbitrary pages: the login page goes through it, and every view
 * page through the same reader for its hidden inputs.
 *
 * Invariants: what the reference, a walk of libxml2's tree
 * (tests/unit/formref.c), reads; 0, or -1 with error text and an empty
 * form; every field has
 * a non-empty name and a value; the login fields, when found, end with
 * their contract suffixes; form_get() finds the first field of each name;
 * the same bytes parse to the same form again (no hidden state); the page
 * in a heap block of exactly its size is never read past (ASan);
 * form_free() frees everything (LeakSanitizer) and leaves the form empty.
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "tests/unit/ref.h"
#include "worker/worker.h"

static void
form_sane(const struct form *f)
{
	size_t	 i, j;

	for (i = 0; i < f->nfields; i++) {
		FZ_CHECK(f->fields[i].name != NULL &&
		    f->fields[i].name[0] != '\0', "field %zu name", i);
		FZ_CHECK(f->fields[i].value != NULL, "field %zu value", i);
		/* form_get() gives the first of a name. */
		for (j = 0; j < i; j++)
			if (strcmp(f->fields[j].name, f->fields[i].name) == 0)
				break;
		FZ_CHECK(form_get(f, f->fields[i].name) == f->fields[j].value,
		    "form_get('%s')", f->fields[i].name);
	}
	FZ_CHECK(f->user_field == NULL ||
	    ends_with(f->user_field, "UserName_Edit"), "user field");
	FZ_CHECK(f->password_field == NULL ||
	    ends_with(f->password_field, "Password_Edit"), "password field");
	FZ_CHECK(f->submit_field == NULL ||
	    (ends_with(f->submit_field, "LogonButton") &&
	    f->submit_value != NULL), "submit field");
	FZ_CHECK(f->submit_field != NULL || f->submit_value == NULL,
	    "submit value without a field");
	FZ_CHECK(f->error_text == NULL || (f->error_text[0] != '\0' &&
	    f->error_text[0] != ' ' &&
	    f->error_text[strlen(f->error_text) - 1] != ' '),
	    "error text not trimmed: '%s'", f->error_text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const struct form	 zero;
	struct form			 f, g;
	char				 err[256], err2[256], why[512], *copy;
	int				 rc, rc2;

	memset(err, 'x', sizeof(err));
	rc = form_parse((const char *)d, n, &f, err, sizeof(err));
	FZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	FZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL, "err");
	if (rc == -1) {
		FZ_CHECK(err[0] != '\0', "a failure without error text");
		FZ_CHECK(memcmp(&f, &zero, sizeof(f)) == 0,
		    "a failure left the form filled");
	} else
		form_sane(&f);

	/* The reference reads the same. */
	rc2 = formref_parse((const char *)d, n, &g, err2, sizeof(err2));
	FZ_CHECK(rc2 == rc, "rc %d, the reference %d", rc, rc2);
	if (rc == 0) {
		FZ_CHECK(form_diff(&f, &g, why, sizeof why) == 0, "%s", why);
		form_free(&g);
	} else
		FZ_CHECK(str_diff(err, err2, "error", why, sizeof why) == 0,
		    "%s", why);

	/* Again, from a copy of exactly n bytes: the same form. */
	copy = xmalloc(n > 0 ? n : 1);
	memcpy(copy, d, n);
	rc2 = form_parse(copy, n, &g, err2, sizeof(err2));
	free(copy);
	FZ_CHECK(rc2 == rc, "rc %d then %d", rc, rc2);
	if (rc == 0) {
		FZ_CHECK(form_diff(&f, &g, why, sizeof why) == 0, "%s", why);
		form_free(&g);
		form_free(&f);
		FZ_CHECK(memcmp(&f, &zero, sizeof(f)) == 0, "form_free");
	} else
		FZ_CHECK(str_diff(err, err2, "error", why, sizeof why) == 0,
		    "%s", why);

	/* No room for an error: still no crash. */
	rc2 = form_parse((const char *)d, n, &g, NULL, 0);
	FZ_CHECK(rc2 == rc, "rc without err");
	if (rc2 == 0)
		form_free(&g);
	return 0;
}
